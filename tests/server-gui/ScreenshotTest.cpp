// Every tab with real traffic: three users chatting for a few seconds, a file
// relayed and verified, another held in progress by a slow receiver. Checks
// that each tab shows it; with PARLEY_SCREENSHOT_DIR=<dir> it also saves
// server-<tab>.png there (docs/screenshots, taken under Xvfb).
#include "tests/server-gui/WindowFixture.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/TestClient.h"

#include <boost/test/unit_test.hpp>

#include <QDir>
#include <QTabWidget>

#include <filesystem>
#include <fstream>

using namespace parley;
using test::waitUntil;

namespace {

const std::string kPassword = "correct horse battery";

proto::UserId join(test::TestClient& client, quint16 port, const std::string& name, const std::string& display) {
    BOOST_REQUIRE(client.connect(port));
    const auto registered = client.registerUser(name, kPassword, display);
    BOOST_REQUIRE(registered);
    BOOST_REQUIRE(client.login(name, kPassword));
    return registered->body.userId;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(screenshots)

BOOST_FIXTURE_TEST_CASE(every_tab_with_real_traffic, test::WindowFixture) {
    window->resize(1100, 640);
    const quint16 port = test::freePort();
    startOn(port);
    BOOST_REQUIRE(waitUntil([&] { return running(); }));

    test::TestClient alice, bob, carol;
    join(alice, port, "alice", "Alice Liddell");
    const proto::UserId bobId = join(bob, port, "bob", "Bob Marley");
    const proto::UserId carolId = join(carol, port, "carol", "Carol Danvers");
    {
        test::TestClient dave;  // registered, never online
        BOOST_REQUIRE(dave.connect(port));
        BOOST_REQUIRE(dave.registerUser("dave", kPassword, "Dave Grohl"));
    }

    // A file relayed and verified: parley-cli to parley-cli.
    const std::string inbox = dir.file("inbox");
    std::filesystem::create_directories(inbox);
    const std::string file = dir.file("quarterly-report.pdf");
    {
        std::ofstream out(file, std::ios::binary);
        for (int i = 0; i < 12 * 1024 * 1024; ++i) out.put(static_cast<char>(i * 7 % 253));
    }
    const auto cli = [&](const std::string& user, std::vector<std::string> command) {
        std::vector<std::string> args = {
            test::cliBinary(), "--plaintext", "--server",   "127.0.0.1:" + std::to_string(port),
            "--user",          user,          "--password", kPassword};
        args.insert(args.end(), command.begin(), command.end());
        return args;
    };
    test::ChildProcess erin0(cli("erin", {"register", "--display", "Erin Brockovich"}), dir.path() / "r-erin");
    test::ChildProcess frank0(cli("frank", {"register", "--display", "Frank Zappa"}), dir.path() / "r-frank");
    test::ChildProcess grace0(cli("grace", {"register", "--display", "Grace Hopper"}), dir.path() / "r-grace");
    BOOST_REQUIRE(waitUntil([&] { return erin0.poll() && frank0.poll() && grace0.poll(); }, 20000));
    test::ChildProcess frank(cli("frank", {"recvfile", "--dir", inbox, "--wait", "60"}), dir.path() / "recv");
    BOOST_REQUIRE(waitUntil([&] { return selectUser(QStringLiteral("frank")); }, 20000));
    test::ChildProcess erin(cli("erin", {"sendfile", "frank", file}), dir.path() / "send");

    // A second transfer that bob accepts with little credit: it stays in progress.
    test::ChildProcess slow(cli("grace", {"sendfile", "bob", file}), dir.path() / "send-slow");
    // Chat for a few seconds, so that the graph has a shape.
    for (int second = 0; second < 8; ++second) {
        for (int i = 0; i < 10 + second * 6; ++i) {
            alice.sendChat(bobId, "message " + std::to_string(i));
            if (i % 3 == 0) bob.sendChat(carolId, "reply " + std::to_string(i));
        }
        if (const auto offer = bob.waitFor<proto::FileOffer>(std::chrono::milliseconds(10))) {
            bob.send(proto::FileAccept{offer->body.transferId, 0}, offer->header.source);
            bob.send(proto::FileCredit{offer->body.transferId, 4 * 1024 * 1024}, offer->header.source);
        }
        waitUntil([] { return false; }, 1000);
    }
    BOOST_REQUIRE(waitUntil([&] { return erin.poll().has_value(); }, 30000));
    BOOST_TEST(*erin.poll() == 0);
    waitUntil([] { return false; }, 1200);  // one more refresh with everything in

    auto* tabs = find<QTabWidget>("tabs");
    const QByteArray folder = qgetenv("PARLEY_SCREENSHOT_DIR");
    const auto shoot = [&](const char* tab, const char* name) {
        tabs->setCurrentWidget(find<QWidget>(tab));
        waitUntil([] { return false; }, 1200);  // a refresh on the tab shown
        BOOST_TEST(!window->grab().isNull());
        if (!folder.isEmpty())
            BOOST_TEST(window->grab().save(QDir(QString::fromLocal8Bit(folder)).filePath(QString::fromLatin1(name))));
    };
    // The graph first, while the traffic is still on it.
    const int throughput = tabs->indexOf(find<QWidget>("throughputGraph")->parentWidget());
    BOOST_REQUIRE(throughput >= 0);
    tabs->setCurrentIndex(throughput);
    if (!folder.isEmpty())
        BOOST_TEST(window->grab().save(
            QDir(QString::fromLocal8Bit(folder)).filePath(QStringLiteral("server-throughput.png"))));
    onlineTable->clearSelection();
    shoot("onlineUsers", "server-online.png");
    BOOST_TEST(onlineRows() == 4);  // erin and frank are done and gone
    shoot("accounts", "server-accounts.png");
    BOOST_TEST(find<QTableView>("accountsTable")->model()->rowCount() == 7);
    shoot("transfers", "server-transfers.png");
    BOOST_TEST(find<QTableView>("transfersTable")->model()->rowCount() == 2);
    shoot("log", "server-log.png");
    tabs->setCurrentIndex(0);
    shoot("settingsForm", "server-settings.png");
}

BOOST_AUTO_TEST_SUITE_END()
