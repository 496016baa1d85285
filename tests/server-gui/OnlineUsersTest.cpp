// The Online users tab with real clients: two raw-protocol sessions and a
// parley-cli process; addresses, per-session message and byte counts, sorting,
// the filter box, Copy, and Kick with a reason that parley-cli prints.
#include "server-gui/OnlineUsersModel.h"
#include "server-gui/ThroughputGraph.h"
#include "tests/server-gui/WindowFixture.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/TestClient.h"

#include <boost/test/unit_test.hpp>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QHeaderView>

using namespace parley;
using server::OnlineUsersModel;
using test::WindowFixture;
using test::waitUntil;

namespace {

struct Pair {
    test::TestClient alice;
    test::TestClient bob;
    proto::UserId aliceId = 0;
    proto::UserId bobId = 0;

    static proto::UserId join(test::TestClient& client, quint16 port, const std::string& name) {
        BOOST_REQUIRE(client.connect(port));
        const auto registered = client.registerUser(name, "correct horse battery", name + " Display");
        BOOST_REQUIRE(registered);
        BOOST_REQUIRE((registered->body.status == proto::AuthStatus::Ok));
        const auto login = client.login(name, "correct horse battery");
        BOOST_REQUIRE(login);
        BOOST_REQUIRE((login->body.status == proto::AuthStatus::Ok));
        return registered->body.userId;
    }

    explicit Pair(quint16 port) {
        aliceId = join(alice, port, "alice");
        bobId = join(bob, port, "bob");
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(online_users)

BOOST_FIXTURE_TEST_CASE(sessions_show_address_and_count_their_messages, WindowFixture) {
    const quint16 port = test::freePort();
    startOn(port);
    BOOST_REQUIRE(waitUntil([&] { return running(); }));
    Pair pair(port);
    BOOST_REQUIRE(waitUntil([&] { return onlineRows() == 2; }));

    for (int i = 0; i < 3; ++i) pair.alice.sendChat(pair.bobId, "hello " + std::to_string(i));
    BOOST_REQUIRE(pair.bob.waitFor<proto::Chat>(std::chrono::seconds(5),
                                                [](const auto&, const proto::Chat& c) { return c.text == "hello 2"; }));
    // Sorted by id: alice first. The counters arrive with a later refresh.
    BOOST_TEST(waitUntil([&] { return cell(0, OnlineUsersModel::MessagesIn) == QStringLiteral("3"); }),
               "alice's messages in: " << cell(0, OnlineUsersModel::MessagesIn).toStdString());
    BOOST_TEST(waitUntil([&] { return cell(1, OnlineUsersModel::MessagesOut) == QStringLiteral("3"); }),
               "bob's messages out: " << cell(1, OnlineUsersModel::MessagesOut).toStdString());
    BOOST_TEST(cell(0, OnlineUsersModel::MessagesOut) == QStringLiteral("0"));
    // The graph counted them too (one sample a second from the engine's counters).
    auto* graph = window->findChild<server::ThroughputGraph*>(QStringLiteral("throughputGraph"));
    BOOST_REQUIRE(graph != nullptr);
    const auto counted = [&] {
        double messages = 0;
        double chatBytes = 0;
        for (const server::ThroughputSample& s : graph->samples()) {
            messages += s.messagesPerSecond;
            chatBytes += s.chatBytesPerSecond;
        }
        return messages > 0 && chatBytes > 0 && graph->samples().back().connections == 2.0;
    };
    BOOST_TEST(waitUntil(counted, 5000));
    BOOST_TEST(cell(0, 3) == QStringLiteral("127.0.0.1"));
    BOOST_TEST(cell(1, 3) == QStringLiteral("127.0.0.1"));
    BOOST_TEST(cell(0, OnlineUsersModel::BytesIn).endsWith(QStringLiteral("B")));
    BOOST_TEST(!cell(0, 4).isEmpty());  // connected since

    // Sorting by a column (descending id: bob first), then the filter box.
    onlineTable->sortByColumn(0, Qt::DescendingOrder);
    BOOST_TEST(cell(0, 1) == QStringLiteral("bob"));
    auto* filter = find<QLineEdit>("onlineFilterEdit");
    filter->setText(QStringLiteral("ALI"));
    BOOST_REQUIRE(onlineRows() == 1);
    BOOST_TEST(cell(0, 1) == QStringLiteral("alice"));
    // The filter holds across refreshes.
    waitUntil([] { return false; }, 1200);
    BOOST_TEST(onlineRows() == 1);

    // Copy: the selected row, tab-separated.
    BOOST_REQUIRE(selectUser(QStringLiteral("alice")));
    auto* copy = window->findChild<QAction*>(QStringLiteral("onlineCopyAction"));
    BOOST_REQUIRE(copy != nullptr);
    BOOST_REQUIRE(copy->isEnabled());
    copy->trigger();
    const QString copied = QApplication::clipboard()->text();
    BOOST_TEST(copied.startsWith(QString::number(pair.aliceId) + QStringLiteral("\talice\talice Display\t127.0.0.1\t")),
               copied.toStdString());
    filter->clear();
    BOOST_TEST(onlineRows() == 2);
}

BOOST_FIXTURE_TEST_CASE(the_log_filters_searches_and_never_shows_message_contents, WindowFixture) {
    const quint16 port = test::freePort();
    startOn(port);
    BOOST_REQUIRE(waitUntil([&] { return running(); }));
    Pair pair(port);
    const std::string secret = "the-launch-code-is-0000";
    pair.alice.sendChat(pair.bobId, secret);
    BOOST_REQUIRE(pair.bob.waitFor<proto::Chat>(std::chrono::seconds(5)));
    test::TestClient stranger;
    BOOST_REQUIRE(stranger.connect(port));
    BOOST_REQUIRE(stranger.login("alice", "wrong password here"));  // an info line: failed login
    BOOST_REQUIRE(waitUntil([&] { return logView->toPlainText().contains(QStringLiteral("failed login")); }));

    // Search narrows to matching lines, case-insensitively.
    auto* search = find<QLineEdit>("logSearchEdit");
    search->setText(QStringLiteral("LOGGED IN"));
    const QStringList lines = logView->toPlainText().split(QLatin1Char('\n'));
    BOOST_TEST(lines.size() == 2);  // alice and bob
    for (const QString& line : lines) BOOST_TEST(line.contains(QStringLiteral("logged in")), line.toStdString());
    search->clear();
    // Warnings and errors only: the info lines go.
    auto* level = find<QComboBox>("logLevelCombo");
    level->setCurrentIndex(2);
    BOOST_TEST(!logView->toPlainText().contains(QStringLiteral("[info]")));
    level->setCurrentIndex(1);
    BOOST_TEST(logView->toPlainText().contains(QStringLiteral("listening on")));

    // The file in the data folder has the same lines, owner-only, and neither has the text.
    QFile file(QString::fromStdString(dir.file("server-window.log")));
    BOOST_REQUIRE(file.open(QIODevice::ReadOnly));
    const QString written = QString::fromUtf8(file.readAll());
    BOOST_TEST(written.contains(QStringLiteral("failed login")));
    BOOST_TEST((file.permissions() & (QFile::ReadGroup | QFile::ReadOther)) == QFile::Permissions());
    BOOST_TEST(!written.contains(QString::fromStdString(secret)));
    BOOST_TEST(!logView->toPlainText().contains(QString::fromStdString(secret)));
}

BOOST_FIXTURE_TEST_CASE(kick_with_a_reason_that_parley_cli_prints, WindowFixture) {
    const quint16 port = test::freePort();
    startOn(port);
    BOOST_REQUIRE(waitUntil([&] { return running(); }));
    const std::string server = "127.0.0.1:" + std::to_string(port);
    const std::vector<std::string> login = {test::cliBinary(), "--plaintext", "--server",   server,
                                            "--user",          "carol",       "--password", "correct horse battery"};
    auto registerArgs = login;
    registerArgs.push_back("register");
    test::ChildProcess registration(registerArgs, dir.path() / "register");
    // The GUI thread must keep running for the server's snapshots; the engine runs on its own threads.
    BOOST_REQUIRE(waitUntil([&] { return registration.poll().has_value(); }, 20000));
    BOOST_REQUIRE(*registration.poll() == 0);

    auto recvArgs = login;
    recvArgs.insert(recvArgs.end(), {"recv", "--wait", "60"});
    test::ChildProcess carol(recvArgs, dir.path() / "recv");
    BOOST_REQUIRE(waitUntil([&] { return selectUser(QStringLiteral("carol")); }, 20000));
    kickSelected(QStringLiteral("maintenance at noon"));
    BOOST_REQUIRE(waitUntil([&] { return carol.poll().has_value(); }, 20000));
    BOOST_TEST(*carol.poll() == 4);  // refused by the server: kicked
    const std::string said = carol.readOut() + carol.readErr();
    BOOST_TEST(said.find("maintenance at noon") != std::string::npos, said);
    BOOST_TEST(waitUntil([&] { return onlineRows() == 0; }));
}

BOOST_AUTO_TEST_SUITE_END()
