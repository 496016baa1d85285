// The server window driven like an operator would: through object names
// (listenPortSpin, startButton, statusLabel, ...), mouse clicks and a real
// engine on 127.0.0.1 with a temporary SQLite database.
#include "server-gui/ServerWindow.h"
#include "tests/server-gui/GuiTestSupport.h"
#include "tests/server-gui/WindowFixture.h"
#include "tests/support/TempDir.h"
#include "tests/support/TestClient.h"

#include <boost/test/unit_test.hpp>

#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

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
    BOOST_TEST(!running());
    BOOST_TEST(statusLabel->text().contains(QStringLiteral("in use")),
               "status: " << statusLabel->text().toStdString());
    BOOST_TEST(startButton->isEnabled());
    BOOST_TEST(!stopButton->isEnabled());
    BOOST_TEST(logView->toPlainText().contains(QStringLiteral("start failed")));

    // The operator frees the port and tries again: the error goes away.
    const quint16 port = occupier.serverPort();
    occupier.close();
    startOn(port);
    BOOST_REQUIRE(waitUntil([&] { return running(); }));
    BOOST_TEST(statusLabel->text().contains(QStringLiteral("Running")));
}

BOOST_FIXTURE_TEST_CASE(unreachable_database_is_shown, WindowFixture) {
    databaseEdit->setText(QStringLiteral("odbc:DSN=parley-no-such-dsn"));
    startOn(freePort());
    BOOST_TEST(!running());
    BOOST_TEST(statusLabel->text().startsWith(QStringLiteral("Not started:")),
               "status: " << statusLabel->text().toStdString());
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

    const QByteArray screenshot = qgetenv("PARLEY_SCREENSHOT");
    if (!screenshot.isEmpty()) {
        waitUntil([&] { return false; }, 1200);  // one stats tick, so the figures are live
        onlineTable->selectRow(0);
        BOOST_TEST(window->grab().save(QString::fromLocal8Bit(screenshot)));
        onlineTable->clearSelection();
    }

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

BOOST_FIXTURE_TEST_CASE(closing_the_window_stops_the_server, WindowFixture) {
    const quint16 port = freePort();
    startOn(port);
    BOOST_REQUIRE(waitUntil([&] { return running(); }));
    window->close();
    BOOST_TEST(!running());
    // The port is free again.
    QTcpServer again;
    BOOST_TEST(again.listen(QHostAddress::LocalHost, port));
}

BOOST_AUTO_TEST_SUITE_END()
