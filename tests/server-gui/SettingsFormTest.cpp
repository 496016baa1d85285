// The Settings tab: fields checked as typed (Start disabled until valid), the
// database chooser's templates, the Test button against a real SQLite file, a
// DSN that does not exist and the private MariaDB server, and the settings the
// window remembers (saved at Start, read back by the next launch under the
// command line).
#include "server-gui/ServerWindow.h"
#include "server-gui/LogPanel.h"
#include "server-gui/SettingsForm.h"
#include "server-gui/WindowSettings.h"
#include "server-gui/engine/TransferLog.h"
#include "tests/db/TestDatabase.h"
#include "tests/server-gui/GuiTestSupport.h"
#include "tests/support/TempDir.h"

#include <boost/test/unit_test.hpp>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

#include <memory>

using namespace parley;
using namespace parley::server;
using test::waitUntil;

namespace {

struct FormFixture {
    FormFixture() {
        config.database = "sqlite:" + dir.file("parley.db");
        config.threads = 1;
        config.dbWorkers = 1;
        config.passwordIterations = 1000;
        makeWindow();
    }
    ~FormFixture() { window->close(); }

    void makeWindow() {
        WindowSetup setup;
        setup.settingsFile = windowSettingsFile(dir.path().string());
        setup.defaultSqlite = QString::fromStdString(config.database);
        window = std::make_unique<ServerWindow>(config, setup);
        window->show();
    }

    template <class T>
    T* find(const char* name) {
        return test::findWidget<T>(*window, name);
    }
    QLineEdit* host() { return find<QLineEdit>("listenHostEdit"); }
    QLabel* hostError() { return find<QLabel>("listenHostError"); }
    QSpinBox* port() { return find<QSpinBox>("listenPortSpin"); }
    QComboBox* kind() { return find<QComboBox>("databaseKindCombo"); }
    QLineEdit* database() { return find<QLineEdit>("databaseEdit"); }
    QLabel* databaseErrorLabel() { return find<QLabel>("databaseError"); }
    QPushButton* testButton() { return find<QPushButton>("testDatabaseButton"); }
    QLabel* testLabel() { return find<QLabel>("databaseTestLabel"); }
    QDoubleSpinBox* rate() { return find<QDoubleSpinBox>("messagesPerSecondSpin"); }
    QDoubleSpinBox* burst() { return find<QDoubleSpinBox>("messageBurstSpin"); }
    QLabel* burstError() { return find<QLabel>("burstError"); }
    QSpinBox* fileSize() { return find<QSpinBox>("maxFileSizeSpin"); }
    QSpinBox* threads() { return find<QSpinBox>("ioThreadsSpin"); }
    QPushButton* start() { return find<QPushButton>("startButton"); }
    QPushButton* stop() { return find<QPushButton>("stopButton"); }

    /// Clicks Test and waits for the probe's answer.
    QString testConnection(const QString& connection) {
        database()->setText(connection);
        BOOST_REQUIRE(testButton()->isEnabled());
        QTest::mouseClick(testButton(), Qt::LeftButton);
        BOOST_REQUIRE(waitUntil([&] { return testButton()->isEnabled(); }, 20000));
        return testLabel()->text();
    }

    test::TempDir dir{"parley-settings"};
    ServerConfig config;
    std::unique_ptr<ServerWindow> window;
};

}  // namespace

using test::QtApplicationFixture;
BOOST_TEST_GLOBAL_FIXTURE(QtApplicationFixture);

BOOST_AUTO_TEST_SUITE(settings_form)

BOOST_FIXTURE_TEST_CASE(a_wrong_field_says_why_and_start_waits_for_it, FormFixture) {
    BOOST_TEST(start()->isEnabled());
    BOOST_TEST(hostError()->isHidden());

    QTest::keyClicks(host(), QStringLiteral("x"));  // 127.0.0.1x
    BOOST_TEST(!start()->isEnabled());
    BOOST_TEST(!hostError()->isHidden());
    BOOST_TEST(hostError()->text().contains(QStringLiteral("not an IPv4 or IPv6 address")),
               hostError()->text().toStdString());
    host()->setText(QStringLiteral("0.0.0.0"));
    BOOST_TEST(hostError()->isHidden());
    BOOST_TEST(start()->isEnabled());

    database()->setText(QStringLiteral("postgres://db"));
    BOOST_TEST(!start()->isEnabled());
    BOOST_TEST(!testButton()->isEnabled());
    BOOST_TEST(!databaseErrorLabel()->isHidden());
    BOOST_TEST(!databaseErrorLabel()->text().isEmpty());
    database()->setText(QString::fromStdString(config.database));
    BOOST_TEST(start()->isEnabled());

    rate()->setValue(100);
    burst()->setValue(50);
    BOOST_TEST(!start()->isEnabled());
    BOOST_TEST(burstError()->text().contains(QStringLiteral("at least the rate")));
    burst()->setValue(100);
    BOOST_TEST(start()->isEnabled());
}

BOOST_FIXTURE_TEST_CASE(the_chooser_fills_a_template_and_keeps_what_was_typed, FormFixture) {
    BOOST_TEST(kind()->currentIndex() == 0);
    kind()->setCurrentIndex(1);
    emit kind()->activated(1);
    BOOST_TEST(database()->text().startsWith(QStringLiteral("odbc:Driver={MariaDB Unicode};Server=")));
    database()->setText(QStringLiteral("odbc:DSN=mine"));
    kind()->setCurrentIndex(0);
    emit kind()->activated(0);
    BOOST_TEST(database()->text() == QString::fromStdString(config.database));
    kind()->setCurrentIndex(1);
    emit kind()->activated(1);
    BOOST_TEST(database()->text() == QStringLiteral("odbc:DSN=mine"));
    // Typing a prefix moves the chooser.
    database()->setText(QStringLiteral("sqlite:/tmp/other.db"));
    BOOST_TEST(kind()->currentIndex() == 0);
}

BOOST_FIXTURE_TEST_CASE(test_says_ok_for_sqlite_and_creates_no_tables, FormFixture) {
    const std::string file = dir.file("probe.db");
    const QString answer = testConnection(QString::fromStdString("sqlite:" + file));
    BOOST_TEST(answer.startsWith(QStringLiteral("OK: connected (sqlite)")), answer.toStdString());
    BOOST_TEST(answer.contains(QStringLiteral("no Parley tables yet")), answer.toStdString());
    BOOST_TEST(db::test::queryRaw("sqlite:" + file, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") == "0");
}

BOOST_FIXTURE_TEST_CASE(test_gives_the_drivers_error_for_a_missing_dsn, FormFixture) {
    const QString answer = testConnection(QStringLiteral("odbc:DSN=parley-no-such-dsn"));
    BOOST_TEST(!answer.startsWith(QStringLiteral("OK")), answer.toStdString());
    // unixODBC's own words (IM002), not a generic "failed".
    BOOST_TEST(answer.contains(QStringLiteral("Data source name not found")), answer.toStdString());
}

BOOST_FIXTURE_TEST_CASE(test_says_ok_for_the_private_mariadb, FormFixture) {
    db::test::TestDatabase mariadb;  // an empty database on the fixture's server
    const QString answer = testConnection(QString::fromStdString(mariadb.connectionString()));
    BOOST_TEST(answer.startsWith(QStringLiteral("OK: connected (mysql)")), answer.toStdString());

    // A wrong password: MariaDB's own refusal.
    std::string wrong = mariadb.connectionString();
    wrong = wrong.substr(0, wrong.find("Pwd=")) + "Pwd=not-the-password";
    const QString refused = testConnection(QString::fromStdString(wrong));
    BOOST_TEST(refused.contains(QStringLiteral("Access denied")), refused.toStdString());
}

BOOST_FIXTURE_TEST_CASE(settings_survive_a_restart_and_the_command_line_wins, FormFixture) {
    const quint16 free = test::freePort();
    port()->setValue(free);
    rate()->setValue(50);
    burst()->setValue(75);
    fileSize()->setValue(64);
    threads()->setValue(1);
    find<QSpinBox>("tokenLifetimeSpin")->setValue(7);
    QTest::mouseClick(start(), Qt::LeftButton);
    BOOST_REQUIRE(test::waitUntil([&] { return window->controller()->isRunning(); }));
    BOOST_TEST(window->controller()->config().limits.maxFileSize == 64ull * 1024 * 1024);
    BOOST_TEST(window->controller()->config().tokenLifetimeDays == 7u);
    QTest::mouseClick(stop(), Qt::LeftButton);

    const QString file = windowSettingsFile(dir.path().string());
    BOOST_TEST((QFile::permissions(file) &
                (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther)) == QFile::Permissions());

    // The next launch: parley-server --data DIR reads them back ...
    ServerOptions options;
    BOOST_REQUIRE(loadWindowOptions({"--data", dir.path().string()}, options).empty());
    BOOST_TEST(options.config.listenPort == free);
    BOOST_TEST(options.config.database == config.database);
    BOOST_TEST(options.config.limits.messagesPerSecond == 50.0);
    BOOST_TEST(options.config.limits.messageBurst == 75.0);
    BOOST_TEST(options.config.limits.maxFileSize == 64ull * 1024 * 1024);
    BOOST_TEST(options.config.tokenLifetimeDays == 7u);
    // ... and a flag on the command line wins over them.
    ServerOptions overridden;
    BOOST_REQUIRE(loadWindowOptions({"--data", dir.path().string(), "--listen", "127.0.0.1:7999"}, overridden).empty());
    BOOST_TEST(overridden.config.listenPort == 7999);
    BOOST_TEST(overridden.config.limits.messageBurst == 75.0);

    // A new window shows what was saved.
    window->close();
    config = options.config;
    makeWindow();
    BOOST_TEST(port()->value() == free);
    BOOST_TEST(rate()->value() == 50.0);
    BOOST_TEST(fileSize()->value() == 64);
    BOOST_TEST(find<QSpinBox>("tokenLifetimeSpin")->value() == 7);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(log_file)

BOOST_AUTO_TEST_CASE(the_window_log_rotates_and_keeps_a_bounded_number_of_files) {
    test::TempDir dir("parley-log");
    const QString path = QString::fromStdString(dir.file("server-window.log"));
    RotatingLogFile log(path, 100, 2);
    for (int i = 0; i < 40; ++i) log.write(QStringLiteral("line %1 of the log.....").arg(i, 2));
    BOOST_TEST(QFile::exists(path));
    BOOST_TEST(QFile::exists(path + QStringLiteral(".1")));
    BOOST_TEST(QFile::exists(path + QStringLiteral(".2")));
    BOOST_TEST(!QFile::exists(path + QStringLiteral(".3")));
    QFile current(path);
    BOOST_REQUIRE(current.open(QIODevice::ReadOnly));
    BOOST_TEST(current.size() < 200);
    BOOST_TEST(QString::fromUtf8(current.readAll()).contains(QStringLiteral("line 39")));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(transfer_log)

BOOST_AUTO_TEST_CASE(ended_transfers_are_kept_an_hour_and_bounded_in_number) {
    TransferLog log;
    const std::uint64_t t0 = 1'000'000;
    const std::size_t many = TransferLog::kMaxEnded + 100;
    for (std::size_t i = 0; i < many; ++i) {
        log.offered(1, i, 2, "f", 10, t0 + i);
        log.ended(1, i, TransferInfo::State::Verified, "verified", t0 + i);
    }
    log.offered(1, 999'999, 2, "in progress", 10, t0 + many);
    const auto kept = log.snapshot(t0 + many);
    BOOST_TEST(kept.size() == TransferLog::kMaxEnded + 1);
    BOOST_TEST(kept.front().id == 100u);  // the oldest went first
    // An hour later only the transfer in progress is left.
    const auto later = log.snapshot(t0 + many + TransferLog::kKeepEndedMs + 1);
    BOOST_REQUIRE(later.size() == 1u);
    BOOST_TEST(later.front().fileName == "in progress");
    // A re-offer after an interruption counts a resume.
    log.ended(1, 999'999, TransferInfo::State::Interrupted, "interrupted", t0 + many + 1);
    log.offered(1, 999'999, 2, "in progress", 10, t0 + many + 2);
    BOOST_TEST(log.snapshot(t0 + many + 3).back().resumes == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
