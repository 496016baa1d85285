// The login window and the register dialog against a real server: errors under the
// field that caused them, remembered accounts, KICKED back to the login window; and
// parley-client's command line.
#include "tests/client-gui/widgets/GuiClient.h"
#include "tests/support/ModalBoxReader.h"

#include "client-gui/widgets/ChatWindow.h"
#include "client-gui/widgets/ClientOptions.h"
#include "client-gui/widgets/LoginWindow.h"
#include "client-gui/widgets/MainWindow.h"
#include "client-gui/widgets/RegisterDialog.h"

#include <boost/test/unit_test.hpp>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTcpServer>
#include <QTest>

#include <atomic>
#include <fstream>

using namespace parley::gui;
using namespace parley::gui::test;

namespace {

/// Opens the register dialog from `client`'s login window.
RegisterDialog* openRegister(GuiClient& client) {
    QTest::mouseClick(child<QPushButton>(client.app().loginWindow(), "registerButton"), Qt::LeftButton);
    auto* dialog = client.app().loginWindow().findChild<RegisterDialog*>();
    BOOST_TEST_REQUIRE((dialog != nullptr && dialog->isVisible()), "Register… opened no dialog");
    return dialog;
}

/// Fills the dialog and clicks "Create account".
void fill(RegisterDialog& dialog, const QString& server, const QString& name, const QString& pass,
          const QString& repeat) {
    const auto set = [&](const char* field, const QString& text) {
        auto* edit = child<QLineEdit>(dialog, field);
        edit->clear();
        QTest::keyClicks(edit, text);
    };
    set("serverEdit", server);
    set("nameEdit", name);
    set("passwordEdit", pass);
    set("repeatEdit", repeat);
    QTest::mouseClick(child<QPushButton>(dialog, "registerButton"), Qt::LeftButton);
}

QString errorUnder(RegisterDialog& dialog, const char* label) {
    auto* error = child<QLabel>(dialog, label);
    return error->isVisible() ? error->text() : QString();
}

/// A 127.0.0.1 port nobody listens on.
quint16 closedPort() {
    QTcpServer probe;
    BOOST_TEST_REQUIRE(probe.listen(QHostAddress::LocalHost, 0));
    return probe.serverPort();  // closed when `probe` goes
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(login_widgets, AliceAndBob)

BOOST_AUTO_TEST_CASE(register_errors_are_shown_under_their_field) {
    RegisterDialog* dialog = openRegister(alice);
    const QString address = QStringLiteral("127.0.0.1:%1").arg(server.port());
    const QString good = QStringLiteral("a long enough password");

    fill(*dialog, address, QStringLiteral("carol"), QStringLiteral("short"), QStringLiteral("short"));
    BOOST_TEST(errorUnder(*dialog, "passwordError").contains(QStringLiteral("weak")));
    BOOST_TEST(errorUnder(*dialog, "nameError").isEmpty());

    fill(*dialog, address, QStringLiteral("carol"), good, good + QStringLiteral("!"));
    BOOST_TEST(errorUnder(*dialog, "repeatError").contains(QStringLiteral("differ")));
    BOOST_TEST(errorUnder(*dialog, "passwordError").isEmpty());

    fill(*dialog, address, QStringLiteral("bob"), good, good);
    BOOST_TEST(waitUntil([&] { return !errorUnder(*dialog, "nameError").isEmpty(); }), "no error for a taken name");
    BOOST_TEST(errorUnder(*dialog, "repeatError").isEmpty());
    BOOST_TEST(dialog->isVisible());

    fill(*dialog, QStringLiteral("127.0.0.1:%1").arg(closedPort()), QStringLiteral("carol"), good, good);
    BOOST_TEST(waitUntil([&] { return !errorUnder(*dialog, "serverError").isEmpty(); }),
               "no error for a server that is not there");
    BOOST_TEST(errorUnder(*dialog, "nameError").isEmpty());

    // Fixed: the account is made, the dialog closes and the client logs in with it.
    fill(*dialog, address, QStringLiteral("carol"), good, good);
    BOOST_TEST(waitUntil([&] { return alice.app().inSession(); }), "registering did not lead to a login");
    BOOST_TEST(alice.controller().ownName() == QStringLiteral("carol"));
}

BOOST_AUTO_TEST_CASE(a_wrong_password_is_said_and_nothing_opens) {
    LoginWindow& login = alice.app().loginWindow();
    child<QComboBox>(login, "serverCombo")->setCurrentText(QStringLiteral("127.0.0.1:%1").arg(server.port()));
    child<QComboBox>(login, "userCombo")->setCurrentText(QStringLiteral("alice"));
    QTest::keyClicks(child<QLineEdit>(login, "passwordEdit"), QStringLiteral("not the password"));
    QTest::keyClick(child<QLineEdit>(login, "passwordEdit"), Qt::Key_Return);
    auto* error = child<QLabel>(login, "loginError");
    BOOST_TEST(waitUntil([&] { return error->isVisible() && !error->text().isEmpty(); }),
               "no error for a wrong password");
    BOOST_TEST(!alice.app().mainWindow().isVisible());
    BOOST_TEST(child<QPushButton>(login, "loginButton")->isEnabled());
}

BOOST_AUTO_TEST_CASE(an_unreachable_server_is_said) {
    LoginWindow& login = alice.app().loginWindow();
    child<QComboBox>(login, "serverCombo")->setCurrentText(QStringLiteral("127.0.0.1:%1").arg(closedPort()));
    child<QComboBox>(login, "userCombo")->setCurrentText(QStringLiteral("alice"));
    QTest::keyClicks(child<QLineEdit>(login, "passwordEdit"), password());
    QTest::mouseClick(child<QPushButton>(login, "loginButton"), Qt::LeftButton);
    auto* error = child<QLabel>(login, "loginError");
    BOOST_TEST(waitUntil([&] { return error->isVisible() && error->text().contains(QStringLiteral("reach")); }),
               "the login window said '" << error->text().toStdString() << "'");
    BOOST_TEST(child<QPushButton>(login, "loginButton")->isEnabled());
}

BOOST_AUTO_TEST_CASE(kicked_returns_to_the_login_window_with_the_reason) {
    alice.logIn(server.port(), QStringLiteral("alice"));
    BOOST_TEST(alice.app().mainWindow().windowTitle() == QStringLiteral("Parley — alice"));
    BOOST_TEST_REQUIRE(server.server().kick(aliceId, "maintenance"));
    LoginWindow& login = alice.app().loginWindow();
    BOOST_TEST(waitUntil([&] { return login.isVisible() && !alice.app().mainWindow().isVisible(); }),
               "KICKED did not return to the login window");
    const QString said = child<QLabel>(login, "loginError")->text();
    BOOST_TEST(said.contains(QStringLiteral("maintenance")), "the login window said '" << said.toStdString() << "'");
    BOOST_TEST(!alice.app().chatWindow().isVisible());

    // Logging in again works, from the same window.
    alice.logIn(server.port(), QStringLiteral("alice"));
}

// "Remember me" (on by default) keeps a login token; the operator's "Revoke sessions"
// logs the client out, and the saved login then asks for the password with a clear reason.
BOOST_AUTO_TEST_CASE(remember_me_is_on_and_a_revoked_saved_login_asks_for_the_password) {
    LoginWindow& login = alice.app().loginWindow();
    BOOST_TEST(child<QCheckBox>(login, "rememberBox")->isChecked());
    alice.logIn(server.port(), QStringLiteral("alice"));
    const ServerAddress address{QStringLiteral("127.0.0.1"), server.port()};
    BOOST_TEST_REQUIRE(waitUntil([&] { return alice.controller().hasSavedLogin(address, QStringLiteral("alice")); }));

    std::atomic<int> revoked{0};  // the store's worker answers
    server.server().revokeSessions(aliceId, [&](const parley::db::Result& result) { revoked = result.ok() ? 1 : -1; });
    BOOST_TEST_REQUIRE(waitUntil([&] { return revoked != 0; }));
    BOOST_TEST(revoked == 1);
    BOOST_TEST_REQUIRE(waitUntil([&] { return login.isVisible() && !alice.app().mainWindow().isVisible(); }),
                       "Revoke sessions did not end the session");

    // The saved login is still on this computer: an empty password field uses it; refused.
    auto* passwordEdit = child<QLineEdit>(login, "passwordEdit");
    BOOST_TEST(child<QComboBox>(login, "userCombo")->currentText() == QStringLiteral("alice"));
    BOOST_TEST(!passwordEdit->placeholderText().isEmpty(), "the form does not say a login is saved");
    QTest::mouseClick(child<QPushButton>(login, "loginButton"), Qt::LeftButton);
    auto* error = child<QLabel>(login, "loginError");
    BOOST_TEST(waitUntil([&] { return error->text().contains(QStringLiteral("saved login")); }),
               "the login window said '" << error->text().toStdString() << "'");
    BOOST_TEST(!alice.controller().hasSavedLogin(address, QStringLiteral("alice")));
    BOOST_TEST(passwordEdit->placeholderText().isEmpty());
    BOOST_TEST(!alice.app().mainWindow().isVisible());

    // The password works, and "Log out" forgets the new saved login.
    alice.logIn(server.port(), QStringLiteral("alice"));
    BOOST_TEST_REQUIRE(waitUntil([&] { return alice.controller().hasSavedLogin(address, QStringLiteral("alice")); }));
    alice.logOut(server);
    BOOST_TEST(!alice.controller().hasSavedLogin(address, QStringLiteral("alice")));
    BOOST_TEST(passwordEdit->placeholderText().isEmpty());
}

BOOST_AUTO_TEST_CASE(log_out_while_the_server_is_down_forgets_the_login_and_says_what_it_could_not_do) {
    const ServerAddress address{QStringLiteral("127.0.0.1"), server.port()};
    alice.logIn(server.port(), QStringLiteral("alice"));
    BOOST_TEST_REQUIRE(waitUntil([&] { return alice.controller().hasSavedLogin(address, QStringLiteral("alice")); }));
    server.server().stop();
    BOOST_TEST_REQUIRE(waitUntil([&] { return alice.controller().connectionState() != ConnectionState::Connected; }));
    child<QAction>(alice.app().mainWindow(), "logOutAction")->trigger();
    BOOST_TEST(alice.app().loginWindow().isVisible());
    BOOST_TEST(!alice.controller().hasSavedLogin(address, QStringLiteral("alice")));
    const QString said = child<QLabel>(alice.app().loginWindow(), "loginError")->text();
    BOOST_TEST(said.contains(QStringLiteral("could not be reached")), said.toStdString());
    // ...and the form no longer offers the saved login.
    BOOST_TEST(child<QLineEdit>(alice.app().loginWindow(), "passwordEdit")->placeholderText().isEmpty());
}

BOOST_AUTO_TEST_CASE(without_remember_me_nothing_is_saved) {
    LoginWindow& login = alice.app().loginWindow();
    child<QCheckBox>(login, "rememberBox")->setChecked(false);
    alice.logIn(server.port(), QStringLiteral("alice"));
    waitUntil([] { return false; }, 300);
    BOOST_TEST(
        !alice.controller().hasSavedLogin({QStringLiteral("127.0.0.1"), server.port()}, QStringLiteral("alice")));
}

BOOST_AUTO_TEST_CASE(logged_in_elsewhere_is_a_kick_too) {
    alice.logIn(server.port(), QStringLiteral("alice"));
    bob.logIn(server.port(), QStringLiteral("bob"));
    // bob's client logs in as alice: alice's first client is told and goes back.
    bob.logOut(server);
    bob.logIn(server.port(), QStringLiteral("alice"));
    BOOST_TEST(waitUntil([&] { return alice.app().loginWindow().isVisible(); }));
    BOOST_TEST(!child<QLabel>(alice.app().loginWindow(), "loginError")->text().isEmpty());
}

BOOST_AUTO_TEST_CASE(accounts_are_remembered_per_server) {
    alice.logIn(server.port(), QStringLiteral("alice"));
    alice.logOut(server);
    LoginWindow& login = alice.app().loginWindow();
    auto* serverCombo = child<QComboBox>(login, "serverCombo");
    auto* userCombo = child<QComboBox>(login, "userCombo");
    BOOST_TEST(serverCombo->currentText() == QStringLiteral("127.0.0.1:%1").arg(server.port()));
    BOOST_TEST(userCombo->findText(QStringLiteral("alice")) >= 0);
    BOOST_TEST(child<QLineEdit>(login, "passwordEdit")->text().isEmpty(), "the password is never kept");
    serverCombo->setCurrentText(QStringLiteral("192.0.2.1:7878"));
    BOOST_TEST(userCombo->findText(QStringLiteral("alice")) < 0, "another server has other accounts");
}

BOOST_AUTO_TEST_CASE(a_store_that_cannot_be_opened_is_said_and_chat_goes_on) {
    // A file where the accounts folder should be: the store cannot be created (a
    // read-only folder would do the same, but root may write anywhere).
    std::ofstream(alice.profile() / "accounts") << "not a folder";
    alice.logIn(server.port(), QStringLiteral("alice"));
    auto* error = child<QLabel>(alice.app().mainWindow(), "storeErrorLabel");
    BOOST_TEST(error->isVisible(), "the store error is not shown");
    BOOST_TEST(error->text().contains(QStringLiteral("not saved")));
    BOOST_TEST(alice.controller().sendChat(bobId, QStringLiteral("still works")));
}

BOOST_AUTO_TEST_CASE(a_profile_folder_that_cannot_be_made_is_said_and_the_client_still_logs_in) {
    // Under a file no folder can be made (a read-only folder would do, but not for root).
    parley::test::TempDir dir("parley-gui-blocked");
    std::ofstream(dir.path() / "blocked") << "a file, not a folder";
    const AccountPaths paths(QString::fromStdString((dir.path() / "blocked" / "profile").string()));
    ClientSettings settings(paths);
    SessionController controller(paths);
    ClientApp app(controller, settings);
    // No pin can be kept in this profile: the server's self-signed certificate is
    // trusted as its own CA (--ca), or the server listens in plaintext.
    ClientOptions options;
    options.plaintext = !server.config().tls.enabled;
    if (!options.plaintext) options.caFile = QString::fromStdString(server.config().tls.certificateFile);
    app.start(options, QString());
    auto* error = child<QLabel>(app.loginWindow(), "loginError");
    BOOST_TEST(error->isVisible());
    BOOST_TEST(error->text().contains(QStringLiteral("cannot be written")), error->text().toStdString());

    app.loginWindow().logInWith(QStringLiteral("127.0.0.1:%1").arg(server.port()), QStringLiteral("alice"), password());
    BOOST_TEST(waitUntil([&] { return app.inSession() && controller.connectionState() == ConnectionState::Connected; }),
               "the client did not log in");
    BOOST_TEST(child<QLabel>(app.mainWindow(), "storeErrorLabel")->isVisible(), "the store error is not shown");
}

BOOST_AUTO_TEST_CASE(the_about_box_names_the_version) {
    alice.logIn(server.port(), QStringLiteral("alice"));
    const parley::test::ModalBoxReader box;
    child<QAction>(alice.app().mainWindow(), "aboutAction")->trigger();
    BOOST_TEST(box.title().startsWith(QStringLiteral("Parley")));
    BOOST_TEST(box.text().contains(QStringLiteral(PARLEY_VERSION_STRING)));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(client_options)

BOOST_AUTO_TEST_CASE(parses_profile_server_user_help_version) {
    ClientOptions options;
    BOOST_TEST(parseClientOptions({QStringLiteral("--profile"), QStringLiteral("/tmp/p"),
                                   QStringLiteral("--server=host:1"), QStringLiteral("--user"), QStringLiteral("bob")},
                                  options)
                   .isEmpty());
    BOOST_TEST(options.profileDir == QStringLiteral("/tmp/p"));
    BOOST_TEST(options.server == QStringLiteral("host:1"));
    BOOST_TEST(options.user == QStringLiteral("bob"));
    ClientOptions flags;
    BOOST_TEST(parseClientOptions({QStringLiteral("--help"), QStringLiteral("--version")}, flags).isEmpty());
    BOOST_TEST((flags.help && flags.version));
    BOOST_TEST(clientVersion() == QStringLiteral("parley-client 0.1.0"));
    BOOST_TEST(clientUsage().startsWith(QStringLiteral("Usage: parley-client")));
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_named) {
    ClientOptions options;
    BOOST_TEST(parseClientOptions({QStringLiteral("--frobnicate")}, options).contains(QStringLiteral("--frobnicate")));
    BOOST_TEST(parseClientOptions({QStringLiteral("--user")}, options) == QStringLiteral("--user needs a value"));
    BOOST_TEST(parseClientOptions({QStringLiteral("--server=")}, options) == QStringLiteral("--server needs a value"));
}

BOOST_AUTO_TEST_SUITE_END()
