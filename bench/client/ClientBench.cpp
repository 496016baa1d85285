// parley-client-bench: what the desktop client's windows cost, in process, with the
// real widgets, models and a real SQLite history (no server: the network side of a
// burst is measured by client_gui_core_tests). Figures go to docs/benchmarks.md.
//
//   QT_QPA_PLATFORM=offscreen build/bin/parley-client-bench [--contacts N] [--messages N] [--burst N]
//   ... --server-binary build/bin/parley-server [--contacts N] [--burst N]   (ServerBench.cpp)
//
// Each phase prints its wall time and the process's resident memory after it.
#include "bench/client/BenchSupport.h"
#include "bench/client/ServerBench.h"
#include "client-gui/core/AccountPaths.h"
#include "client-gui/core/ClientSettings.h"
#include "client-gui/core/ContactListModel.h"
#include "client-gui/core/ConversationModel.h"
#include "client-gui/core/HistoryStore.h"
#include "client-gui/core/SessionController.h"
#include "client-gui/widgets/ClientApp.h"
#include "client-gui/widgets/ClientOptions.h"
#include "client-gui/widgets/HistoryView.h"
#include "client-gui/widgets/Icons.h"
#include "client-gui/widgets/LoginWindow.h"
#include "client-gui/widgets/MainWindow.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QListView>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

using namespace parley::gui;

using namespace parley::gui::bench;

int main(int argc, char* argv[]) {
    if (textOption(argc, argv, "--server-binary") != nullptr) return runServerBench(argc, argv);
    const int contacts = option(argc, argv, "--contacts", 10000);
    const int messages = option(argc, argv, "--messages", 100000);
    const int burst = option(argc, argv, "--burst", 10000);
    QElapsedTimer clock;
    clock.start();
    QApplication::setAttribute(Qt::AA_EnableHighDpiScaling);
    QApplication app(argc, argv);
    initClientResources();
    QTemporaryDir profile;
    const AccountPaths paths(profile.path());
    ClientSettings settings(paths);
    SessionController controller(paths);
    ClientApp client(controller, settings);
    client.start(ClientOptions{}, QString());
    showAndPaint(client.loginWindow());
    report("start to login window painted", clock.elapsed());

    // The contact list: N users (a third online) in one reset, shown and scrolled.
    QVector<ContactEntry> entries;
    for (int i = 0; i < contacts; ++i) {
        ContactEntry entry;
        entry.userId = static_cast<quint32>(i + 1);
        entry.name = QStringLiteral("user%1").arg(i + 1);
        entry.displayName = QStringLiteral("User Number %1").arg(i + 1);
        entry.online = i % 3 == 0;
        entry.unread = i % 7 == 0 ? 2 : 0;
        entry.lastPreview = QStringLiteral("the last thing user %1 wrote").arg(i + 1);
        entries.push_back(entry);
    }
    clock.restart();
    controller.contacts()->setContacts(entries);
    showAndPaint(client.mainWindow());
    report(qPrintable(QStringLiteral("contact list of %1 users shown").arg(contacts)), clock.elapsed());
    auto* list = client.mainWindow().findChild<QListView*>(QStringLiteral("contactList"));
    clock.restart();
    list->scrollToBottom();
    list->repaint();
    QApplication::processEvents();
    report("  scrolled to the end and painted", clock.elapsed());

    // A conversation with M messages in its SQLite history.
    HistoryStore store;
    if (!store.open(profile.filePath(QStringLiteral("bench-history.sqlite")))) {
        std::fprintf(stderr, "parley-client-bench: %s\n", qPrintable(store.errorString()));
        return 1;
    }
    const qint64 start = QDateTime::currentMSecsSinceEpoch() - messages * 60000LL;
    clock.restart();
    store.begin();
    for (int i = 0; i < messages; ++i) {
        store.addIncoming(7, 7, static_cast<quint64>(i + 1), start + i * 60000LL,
                          QStringLiteral("message %1: a line of text of a usual length for a chat").arg(i));
    }
    store.commit();
    report(qPrintable(QStringLiteral("(writing %1 messages to the store)").arg(messages)), clock.elapsed());
    clock.restart();
    ConversationModel conversation(store, 7);
    HistoryView view(conversation, false);
    view.resize(520, 600);
    showAndPaint(view);
    view.scrollToNewest();
    view.repaint();
    report(qPrintable(QStringLiteral("conversation of %1 messages opened").arg(messages)), clock.elapsed());
    clock.restart();
    for (int page = 0; page < 10 && view.fetchOlder(); ++page) QApplication::processEvents();
    report("  10 older pages loaded (scrolling up)", clock.elapsed());

    // A burst into the open conversation in the slices the controller handles per
    // event-loop turn (16 KiB of input: ~200 short messages, one store transaction,
    // one model insert); the longest turn is the longest stall of the window.
    qint64 longest = 0;
    qint64 longestView = 0;
    std::vector<qint64> turns;
    clock.restart();
    QElapsedTimer turn;
    constexpr int kSlice = 200;
    for (int sent = 0; sent < burst; sent += kSlice) {
        turn.start();
        store.begin();
        for (int i = sent; i < std::min(burst, sent + kSlice); ++i) {
            conversation.append(store.addIncoming(7, 7, static_cast<quint64>(messages + i + 1),
                                                  QDateTime::currentMSecsSinceEpoch(),
                                                  QStringLiteral("burst message %1").arg(i)));
        }
        store.commit();
        const qint64 stored = turn.elapsed();
        conversation.flushPending();
        QApplication::processEvents();
        turns.push_back(turn.elapsed());
        longest = std::max(longest, turns.back());
        longestView = std::max(longestView, turn.elapsed() - stored);
    }
    report(qPrintable(QStringLiteral("burst of %1 stored and shown").arg(burst)), clock.elapsed());
    std::sort(turns.begin(), turns.end());
    report("  longest event-loop turn in the burst", longest);
    report("  median event-loop turn in the burst", turns.empty() ? 0 : turns[turns.size() / 2]);
    report("  of it the model insert, layout and paint", longestView);
    return 0;
}
