#include "bench/client/ServerBench.h"

#include "bench/client/BenchSupport.h"
#include "client-gui/core/AccountPaths.h"
#include "client-gui/core/ClientSettings.h"
#include "client-gui/core/ContactListModel.h"
#include "client-gui/core/ConversationModel.h"
#include "client-gui/core/HistoryStore.h"
#include "client-gui/core/SessionController.h"
#include "client-gui/widgets/ChatWindow.h"
#include "client-gui/widgets/ClientApp.h"
#include "client-gui/widgets/ClientOptions.h"
#include "client-gui/widgets/HistoryView.h"
#include "client-gui/widgets/Icons.h"
#include "client-gui/widgets/MainWindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <vector>

namespace parley::gui::bench {

namespace {

const QString kPassword = QStringLiteral("bench password");

quint16 freePort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

bool accepting(quint16 port) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    return socket.waitForConnected(200);
}

/// Registers user0..user(count-1) plus `extra`, `parallel` at a time; false on any failure.
bool registerUsers(const QString& profiles, const ServerAddress& server, int count, const QStringList& extra) {
    QStringList names = extra;
    for (int i = 0; i < count; ++i) names << QStringLiteral("user%1").arg(i);
    constexpr int kParallel = 32;
    int next = 0;
    int failed = 0;
    while (next < names.size()) {
        std::vector<std::unique_ptr<SessionController>> batch;
        int done = 0;
        for (; next < names.size() && static_cast<int>(batch.size()) < kParallel; ++next) {
            auto c = std::make_unique<SessionController>(AccountPaths(profiles + QStringLiteral("/reg")));
            QObject::connect(c.get(), &SessionController::registerSucceeded, [&done] { ++done; });
            QObject::connect(c.get(), &SessionController::registerFailed,
                             [&done, &failed](RegisterField, const QString& text) {
                                 std::fprintf(stderr, "register: %s\n", qPrintable(text));
                                 ++done;
                                 ++failed;
                             });
            c->connectToServer(server);
            c->registerAccount(names.at(next), names.at(next).toUpper(), kPassword);
            batch.push_back(std::move(c));
        }
        const int wanted = static_cast<int>(batch.size());
        if (!waitUntil([&] { return done == wanted; }, 60000) || failed > 0) return false;
    }
    return true;
}

quint32 idOf(const ContactListModel& list, const QString& name) {
    for (int row = 0; row < list.rowCount(); ++row) {
        const QModelIndex at = list.index(row);
        if (at.data(ContactListModel::NameRole).toString() == name)
            return at.data(ContactListModel::UserIdRole).toUInt();
    }
    return 0;
}

/// The scripted peer: its own controller on its own thread (own event loop), so that
/// its sending is not in the receiver's stall. Logs in, then sends `count` chats.
class Peer {
public:
    Peer(const QString& profile, const ServerAddress& server, int count) {
        m_thread.start();
        m_context.moveToThread(&m_thread);
        QMetaObject::invokeMethod(&m_context, [this, profile, server, count] {
            m_controller = std::make_unique<SessionController>(AccountPaths(profile));
            QObject::connect(m_controller.get(), &SessionController::ready, &m_context, [this, count] {
                const quint32 to = idOf(*m_controller->contacts(), QStringLiteral("receiver"));
                m_started.store(true);
                for (int i = 0; i < count; ++i) m_controller->sendChat(to, QStringLiteral("burst message %1").arg(i));
                m_sent.store(true);
            });
            m_controller->connectToServer(server);
            m_controller->logIn(QStringLiteral("sender"), kPassword);
        });
    }
    ~Peer() {
        QMetaObject::invokeMethod(
            &m_context, [this] { m_controller.reset(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    Peer(const Peer&) = delete;
    Peer& operator=(const Peer&) = delete;

    bool started() const { return m_started.load(); }
    bool sent() const { return m_sent.load(); }

private:
    QThread m_thread;
    QObject m_context;
    std::unique_ptr<SessionController> m_controller;  ///< lives on m_thread
    std::atomic<bool> m_started{false};
    std::atomic<bool> m_sent{false};
};

}  // namespace

int runServerBench(int argc, char** argv) {
    const char* serverBinary = textOption(argc, argv, "--server-binary");
    const int contacts = option(argc, argv, "--contacts", 10000);
    const int burst = option(argc, argv, "--burst", 10000);
    QApplication::setAttribute(Qt::AA_EnableHighDpiScaling);
    QApplication app(argc, argv);
    initClientResources();
    QTemporaryDir dir;
    const quint16 port = freePort();
    const ServerAddress address{QStringLiteral("127.0.0.1"), port};
    QProcess server;
    server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    server.setStandardOutputFile(dir.filePath(QStringLiteral("server.log")));
    // Test-grade settings: cheap password hashes (registering N users), no limits on
    // registrations or on the chat rate (the burst is the point).
    server.start(QString::fromLocal8Bit(serverBinary),
                 {QStringLiteral("--headless"), QStringLiteral("--listen"), address.toString(),
                  QStringLiteral("--data"), dir.filePath(QStringLiteral("server")), QStringLiteral("--hash-iterations"),
                  QStringLiteral("1000"), QStringLiteral("--registrations-per-hour"), QStringLiteral("0"),
                  QStringLiteral("--max-connections-per-address"), QStringLiteral("0"), QStringLiteral("--rate"),
                  QStringLiteral("1000000"), QStringLiteral("--burst"), QStringLiteral("1000000"),
                  QStringLiteral("--stats-every"), QStringLiteral("0")});
    if (!server.waitForStarted(5000) || !waitUntil([&] { return accepting(port); }, 10000)) {
        std::fprintf(stderr, "parley-client-bench: %s did not start\n", serverBinary);
        return 1;
    }
    QElapsedTimer clock;
    clock.start();
    if (!registerUsers(dir.path(), address, contacts, {QStringLiteral("receiver"), QStringLiteral("sender")})) {
        std::fprintf(stderr, "parley-client-bench: registering failed\n");
        return 1;
    }
    report(qPrintable(QStringLiteral("(registering %1 users, 1000 PBKDF2 iterations)").arg(contacts + 2)),
           clock.elapsed());

    // The receiver: the real windows, logged in as a person would with --server --user.
    const AccountPaths paths(dir.filePath(QStringLiteral("receiver")));
    ClientSettings settings(paths);
    SessionController controller(paths);
    ClientApp client(controller, settings);
    bool ready = false;
    QObject::connect(&controller, &SessionController::ready, [&ready] { ready = true; });
    ClientOptions options;
    options.server = address.toString();
    options.user = QStringLiteral("receiver");
    clock.restart();
    client.start(options, kPassword);
    if (!waitUntil([&] { return ready && client.mainWindow().isVisible(); }, 60000)) {
        std::fprintf(stderr, "parley-client-bench: the receiver did not log in\n");
        return 1;
    }
    client.mainWindow().repaint();
    QApplication::processEvents();
    report(
        qPrintable(QStringLiteral("login to a contact list of %1 users shown").arg(controller.contacts()->rowCount())),
        clock.elapsed());

    const quint32 senderId = idOf(*controller.contacts(), QStringLiteral("sender"));
    QMetaObject::invokeMethod(&client, "openConversation", Q_ARG(quint32, senderId));
    QApplication::processEvents();
    ConversationModel* conversation = controller.conversation(senderId);

    // The longest gap between ticks of a 5 ms timer: the receiver's longest stall.
    QElapsedTimer sinceTick;
    qint64 longestStall = 0;
    QTimer probe;
    QObject::connect(&probe, &QTimer::timeout, [&] { longestStall = std::max(longestStall, sinceTick.restart()); });
    Peer peer(dir.filePath(QStringLiteral("sender")), address, burst);
    if (!waitUntil([&] { return peer.started(); }, 60000)) {
        std::fprintf(stderr, "parley-client-bench: the sender did not log in\n");
        return 1;
    }
    clock.restart();
    sinceTick.start();
    probe.start(5);
    const bool all = waitUntil(
        [&] { return conversation->rowCount() >= burst && controller.store()->count(senderId) >= burst; }, 300000);
    probe.stop();
    report(qPrintable(QStringLiteral("burst of %1 from a peer stored and shown%2")
                          .arg(burst)
                          .arg(all ? QString() : QStringLiteral(" (INCOMPLETE)"))),
           clock.elapsed());
    report("  longest stall of the receiver's event loop", longestStall);
    server.terminate();
    server.waitForFinished(10000);
    return all ? 0 : 1;
}

}  // namespace parley::gui::bench
