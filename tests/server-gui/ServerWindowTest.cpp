// The server window driven like an operator would: through object names
// (listenPortSpin, startButton, statusLabel, ...), mouse clicks and a real
// engine on 127.0.0.1 with a temporary SQLite database.
#include "server-gui/ServerWindow.h"
#include "tests/server-gui/GuiTestSupport.h"
#include "tests/server-gui/WindowFixture.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/ModalBoxReader.h"
#include "tests/support/TempDir.h"
#include "tests/support/TestClient.h"

#include <boost/test/unit_test.hpp>

#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QHostAddress>
#include <QMessageBox>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <cstdlib>
#include <memory>

using namespace parley;
using namespace parley::server;

namespace {

using test::freePort;
using test::waitUntil;
using test::WindowFixture;

}  // namespace

using test::QtApplicationFixture;
BOOST_TEST_GLOBAL_FIXTURE(QtApplicationFixture);

BOOST_AUTO_TEST_SUITE(server_window)

BOOST_FIXTURE_TEST_CASE(initial_values_come_from_the_config, WindowFixture) {
    BOOST_TEST(window->windowTitle() == QStringLiteral("Parley Server"));
    BOOST_TEST(hostEdit->text() == QStringLiteral("127.0.0.1"));
    BOOST_TEST(databaseEdit->text().startsWith(QStringLiteral("sqlite:")));
    BOOST_TEST(startButton->isEnabled());
    BOOST_TEST(!stopButton->isEnabled());
    BOOST_TEST(!kickButton->isEnabled());
    BOOST_TEST(statusLabel->text() == QStringLiteral("Stopped"));
}

BOOST_FIXTURE_TEST_CASE(the_about_box_names_the_version, WindowFixture) {
    auto* about = window->findChild<QAction*>(QStringLiteral("aboutAction"));
    BOOST_REQUIRE(about);
    const parley::test::ModalBoxReader box;
    about->trigger();
    BOOST_TEST(box.title().startsWith(QStringLiteral("Parley Server")));
    BOOST_TEST(box.text().contains(QStringLiteral(PARLEY_VERSION_STRING)));
}

BOOST_FIXTURE_TEST_CASE(start_shows_connections_then_stop, WindowFixture) {
    const quint16 port = freePort();
    startOn(port);
    BOOST_REQUIRE(waitUntil([&] { return running(); }));
    BOOST_TEST(statusLabel->text().contains(QStringLiteral("Running")));
    BOOST_TEST(statusLabel->text().contains(QString::number(port)));
    BOOST_TEST(!startButton->isEnabled());
    BOOST_TEST(stopButton->isEnabled());
    BOOST_TEST(!portSpin->isEnabled());
    BOOST_TEST(waitUntil([&] { return logView->toPlainText().contains(QStringLiteral("listening on")); }));

    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    BOOST_REQUIRE(socket.waitForConnected(5000));
    BOOST_TEST(waitUntil([&] { return statsLabel->text().contains(QStringLiteral("1 open")); }),
               "stats label: " << statsLabel->text().toStdString());

    QTest::mouseClick(stopButton, Qt::LeftButton);
    BOOST_TEST(!running());
    BOOST_TEST(statusLabel->text() == QStringLiteral("Stopped"));
    BOOST_TEST(startButton->isEnabled());
    BOOST_TEST(!stopButton->isEnabled());
    BOOST_TEST(portSpin->isEnabled());
}

BOOST_FIXTURE_TEST_CASE(port_in_use_is_shown_and_nothing_runs, WindowFixture) {
    QTcpServer occupier;
    BOOST_REQUIRE(occupier.listen(QHostAddress::LocalHost, 0));
    startOn(occupier.serverPort());
    BOOST_REQUIRE(startSettled());
    BOOST_TEST(!running());
    BOOST_TEST(statusLabel->text().contains(QStringLiteral("in use")), "status: " << statusLabel->text().toStdString());
    BOOST_TEST(startButton->isEnabled());
    BOOST_TEST(!stopButton->isEnabled());
    BOOST_TEST(logView->toPlainText().contains(QStringLiteral("start failed")));
    // ... and in a dialog that names the cause.
    auto* dialog = window->findChild<QMessageBox*>(QStringLiteral("startErrorDialog"));
    BOOST_REQUIRE(dialog != nullptr);
    BOOST_TEST(dialog->informativeText().contains(QStringLiteral("in use")), dialog->informativeText().toStdString());
    dialog->accept();

    // The operator frees the port and tries again: the error goes away.
    const quint16 port = occupier.serverPort();
    occupier.close();
    startOn(port);
    BOOST_REQUIRE(waitUntil([&] { return running(); }));
    BOOST_TEST(statusLabel->text().contains(QStringLiteral("Running")));
}

BOOST_FIXTURE_TEST_CASE(stop_then_start_again_on_the_same_port_at_once, WindowFixture) {
    const quint16 port = freePort();
    startOn(port);
    BOOST_REQUIRE(waitUntil([&] { return running(); }));
    QTest::mouseClick(stopButton, Qt::LeftButton);
    BOOST_REQUIRE(!running());
    QTest::mouseClick(startButton, Qt::LeftButton);
    BOOST_TEST(waitUntil([&] { return running(); }), "status: " << statusLabel->text().toStdString());
    BOOST_TEST(window->controller()->port() == port);
}

BOOST_FIXTURE_TEST_CASE(unreachable_database_is_shown, WindowFixture) {
    databaseEdit->setText(QStringLiteral("odbc:DSN=parley-no-such-dsn"));
    startOn(freePort());
    BOOST_REQUIRE(startSettled());
    BOOST_TEST(!running());
    BOOST_TEST(statusLabel->text().startsWith(QStringLiteral("Not started:")),
               "status: " << statusLabel->text().toStdString());
    auto* dialog = window->findChild<QMessageBox*>(QStringLiteral("startErrorDialog"));
    BOOST_REQUIRE(dialog != nullptr);
    BOOST_TEST(dialog->informativeText().contains(QStringLiteral("cannot open the database")),
               dialog->informativeText().toStdString());
}

BOOST_FIXTURE_TEST_CASE(online_user_appears_and_can_be_kicked, WindowFixture) {
    const quint16 port = freePort();
    startOn(port);
    BOOST_REQUIRE(waitUntil([&] { return running(); }));

    test::TestClient alice;
    BOOST_REQUIRE(alice.connect(port));
    const auto registered = alice.registerUser("alice", "correct horse battery", "Alice Liddell");
    BOOST_REQUIRE(registered);
    BOOST_REQUIRE(registered->body.status == proto::AuthStatus::Ok);
    const auto login = alice.login("alice", "correct horse battery");
    BOOST_REQUIRE(login);
    BOOST_REQUIRE(login->body.status == proto::AuthStatus::Ok);

    BOOST_REQUIRE(waitUntil([&] { return onlineRows() == 1; }));
    BOOST_TEST(cell(0, 0) == QString::number(registered->body.userId));
    BOOST_TEST(cell(0, 1) == QStringLiteral("alice"));
    BOOST_TEST(cell(0, 2) == QStringLiteral("Alice Liddell"));
    BOOST_TEST(cell(0, 3) == QStringLiteral("127.0.0.1"));
    BOOST_TEST(waitUntil([&] { return logView->toPlainText().contains(QStringLiteral("alice (id")); }));
    BOOST_TEST(waitUntil([&] { return statsLabel->text().contains(QStringLiteral("Users online")); }));

    BOOST_TEST(!kickButton->isEnabled());
    onlineTable->selectRow(0);
    kickSelected(QStringLiteral("time for lunch"));
    const auto kicked = alice.waitFor<proto::Kicked>(std::chrono::seconds(10));
    BOOST_REQUIRE(kicked);
    BOOST_TEST((kicked->body.reason == proto::KickReason::Operator));
    BOOST_TEST(kicked->body.text == "time for lunch");
    BOOST_TEST(alice.waitClosed(std::chrono::seconds(10)));
    BOOST_TEST(waitUntil([&] { return onlineRows() == 0; }));
    BOOST_TEST(logView->toPlainText().contains(QStringLiteral("kicked user id")));
    BOOST_TEST(logView->toPlainText().contains(QStringLiteral("time for lunch")));
}

// Opening the database (and hashing, and binding) happens on a worker: the click
// returns at once with the form locked, and the window keeps handling events while a
// slow start (a costly password hash) is under way.
BOOST_FIXTURE_TEST_CASE(start_runs_off_the_gui_thread, WindowFixture) {
    ServerConfig slow = window->controller()->config();
    slow.passwordIterations = 400'000;  // the dummy hash of Server::start: a noticeable wait
    window->controller()->setConfig(slow);
    startOn(freePort());
    BOOST_TEST(window->controller()->isStarting());
    BOOST_TEST(statusLabel->text() == QStringLiteral("Starting…"));
    BOOST_TEST(!startButton->isEnabled());
    BOOST_TEST(!portSpin->isEnabled());
    // PARLEY_SCREENSHOT_DIR=<dir>: the window while it starts (docs/screenshots).
    if (const QByteArray folder = qgetenv("PARLEY_SCREENSHOT_DIR"); !folder.isEmpty())
        BOOST_TEST(
            window->grab().save(QDir(QString::fromLocal8Bit(folder)).filePath(QStringLiteral("server-starting.png"))));
    int ticks = 0;
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, [&ticks] { ++ticks; });
    ticker.start(5);
    BOOST_REQUIRE(waitUntil([&] { return running(); }, 20000));
    BOOST_TEST(ticks > 0, "the GUI thread handled no timer while the server started");
    BOOST_TEST(statusLabel->text().contains(QStringLiteral("Running")));
    BOOST_TEST(!startButton->isEnabled());
    BOOST_TEST(stopButton->isEnabled());
}

// Stop (or quit) while a start is under way waits for it and stops what it started.
BOOST_FIXTURE_TEST_CASE(stop_during_a_start_leaves_nothing_running, WindowFixture) {
    const quint16 port = freePort();
    startOn(port);
    BOOST_TEST(window->controller()->isStarting());
    window->controller()->stop();
    BOOST_TEST(!window->controller()->isStarting());
    BOOST_TEST(!running());
    BOOST_TEST(statusLabel->text() == QStringLiteral("Stopped"));
    BOOST_TEST(startButton->isEnabled());
    // The port is free again, and the late report of the start changes nothing.
    QTcpServer again;
    BOOST_TEST(again.listen(QHostAddress::LocalHost, port));
    QCoreApplication::processEvents();
    BOOST_TEST(!running());
}

BOOST_FIXTURE_TEST_CASE(closing_the_window_asks_then_stops_the_server, WindowFixture) {
    const quint16 port = freePort();
    startOn(port);
    BOOST_REQUIRE(waitUntil([&] { return running(); }));

    // Cancel keeps everything as it was.
    window->close();
    auto* question = window->findChild<QMessageBox*>(QStringLiteral("closeQuestion"));
    BOOST_REQUIRE(question != nullptr);
    question->button(QMessageBox::Cancel)->click();
    BOOST_TEST(running());
    BOOST_TEST(window->isVisible());

    window->close();
    BOOST_REQUIRE(
        waitUntil([&] { return window->findChild<QMessageBox*>(QStringLiteral("closeQuestion")) != nullptr; }));
    question = window->findChild<QMessageBox*>(QStringLiteral("closeQuestion"));
    auto* stop = question->findChild<QPushButton*>(QStringLiteral("stopAndQuitButton"));
    BOOST_REQUIRE(stop != nullptr);
    stop->click();
    BOOST_TEST(!running());
    BOOST_TEST(!window->isVisible());
    // The port is free again.
    QTcpServer again;
    BOOST_TEST(again.listen(QHostAddress::LocalHost, port));
}

BOOST_FIXTURE_TEST_CASE(a_stopped_server_closes_without_asking, WindowFixture) {
    window->close();
    BOOST_TEST(!window->isVisible());
    BOOST_TEST(window->findChild<QMessageBox*>(QStringLiteral("closeQuestion")) == nullptr);
}

BOOST_AUTO_TEST_CASE(sigterm_stops_the_window_mode_server_cleanly) {
    // The real binary in window mode (offscreen), started at once with --start.
    const char* binary = std::getenv("PARLEY_SERVER_BINARY");
    BOOST_REQUIRE_MESSAGE(binary != nullptr, "PARLEY_SERVER_BINARY is not set (run through ctest)");
    test::TempDir dir("parley-sigterm");
    const quint16 port = freePort();
    // --plaintext: TestClient speaks plaintext.
    test::ChildProcess server({binary, "--start", "--plaintext", "--data", dir.path().string(), "--listen",
                               "127.0.0.1:" + std::to_string(port), "--hash-iterations", "1000"},
                              dir.path() / "server", {}, {{"QT_QPA_PLATFORM", "offscreen"}});
    // A fresh client per attempt: the window may take a moment to listen.
    std::unique_ptr<test::TestClient> client;
    BOOST_REQUIRE(waitUntil(
        [&] {
            client = std::make_unique<test::TestClient>();
            return client->connect(port);
        },
        20000));
    test::TestClient& alice = *client;
    BOOST_REQUIRE(alice.registerUser("alice", "correct horse battery", "Alice"));
    const auto login = alice.login("alice", "correct horse battery");
    BOOST_REQUIRE(login);
    BOOST_REQUIRE((login->body.status == proto::AuthStatus::Ok));

    // SIGTERM, then SIGKILL only if it is still there 20 s later (exit code 137).
    const int exitCode = server.terminate(std::chrono::seconds(20), SIGTERM);
    BOOST_TEST(exitCode == 0, server.readErr());
    // Clients were told, as in headless mode.
    const auto kicked = alice.waitFor<proto::Kicked>(std::chrono::seconds(10));
    BOOST_REQUIRE(kicked);
    BOOST_TEST((kicked->body.reason == proto::KickReason::ServerShutdown));
}

BOOST_AUTO_TEST_SUITE_END()
