// The server window driven like an operator would: through object names
// (listenPortSpin, startButton, statusLabel, ...), mouse clicks and a real
// engine on 127.0.0.1 with a temporary SQLite database.
#include "server-gui/ServerWindow.h"
#include "tests/server-gui/GuiTestSupport.h"
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
#include <QTableWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace parley;
using namespace parley::server;

namespace {

using test::freePort;
using test::waitUntil;

/// A window with fast test settings, its widgets found by object name.
struct WindowFixture {
    WindowFixture() {
        ServerConfig config;
        config.listenHost = "127.0.0.1";
        config.database = "sqlite:" + dir.file("parley.db");
        config.threads = 1;
        config.dbWorkers = 1;
        config.passwordIterations = 1000;
        window = std::make_unique<ServerWindow>(config);
        window->show();
        hostEdit = find<QLineEdit>("listenHostEdit");
        portSpin = find<QSpinBox>("listenPortSpin");
        databaseEdit = find<QLineEdit>("databaseEdit");
        startButton = find<QPushButton>("startButton");
        stopButton = find<QPushButton>("stopButton");
        statusLabel = find<QLabel>("statusLabel");
        onlineTable = find<QTableWidget>("onlineTable");
        kickButton = find<QPushButton>("kickButton");
        logView = find<QPlainTextEdit>("logView");
        statsLabel = find<QLabel>("statsLabel");
    }
    ~WindowFixture() { window->close(); }

    template <class T>
    T* find(const char* name) {
        return test::findWidget<T>(*window, name);
    }

    void startOn(quint16 port) {
        portSpin->setValue(port);
        QTest::mouseClick(startButton, Qt::LeftButton);
    }

    bool running() const { return window->controller()->isRunning(); }

    test::TempDir dir{"parley-server-gui"};
    std::unique_ptr<ServerWindow> window;
    QLineEdit* hostEdit = nullptr;
    QSpinBox* portSpin = nullptr;
    QLineEdit* databaseEdit = nullptr;
    QPushButton* startButton = nullptr;
    QPushButton* stopButton = nullptr;
    QLabel* statusLabel = nullptr;
    QTableWidget* onlineTable = nullptr;
    QPushButton* kickButton = nullptr;
    QPlainTextEdit* logView = nullptr;
    QLabel* statsLabel = nullptr;
};

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

    BOOST_REQUIRE(waitUntil([&] { return onlineTable->rowCount() == 1; }));
    BOOST_TEST(onlineTable->item(0, 0)->text() == QString::number(registered->body.userId));
    BOOST_TEST(onlineTable->item(0, 1)->text() == QStringLiteral("alice"));
    BOOST_TEST(onlineTable->item(0, 2)->text() == QStringLiteral("Alice Liddell"));
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
    BOOST_REQUIRE(kickButton->isEnabled());
    QTest::mouseClick(kickButton, Qt::LeftButton);
    BOOST_TEST(alice.waitClosed(std::chrono::seconds(10)));
    BOOST_TEST(waitUntil([&] { return onlineTable->rowCount() == 0; }));
    BOOST_TEST(logView->toPlainText().contains(QStringLiteral("kicked user id")));
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
