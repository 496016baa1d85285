// The All users tab with real clients and a real SQLite store: registration
// date and last login, Disable (the online session is kicked, LOGIN is refused
// with AccountDisabled, parley-cli prints it), Enable, Reset password, Revoke sessions.
#include "server-gui/AccountsModel.h"
#include "tests/server-gui/WindowFixture.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/TestClient.h"

#include <boost/test/unit_test.hpp>

#include <QInputDialog>
#include <QMessageBox>
#include <QTabWidget>

using namespace parley;
using server::AccountsModel;
using test::WindowFixture;
using test::waitUntil;

namespace {

const std::string kPassword = "correct horse battery";

struct AccountsFixture : WindowFixture {
    AccountsFixture() {
        port = test::freePort();
        startOn(port);
        BOOST_REQUIRE(waitUntil([&] { return running(); }));
        accounts = find<QTableView>("accountsTable");
        find<QTabWidget>("tabs")->setCurrentWidget(find<QWidget>("accounts"));
    }

    proto::UserId registerUser(const std::string& name) {
        test::TestClient client;
        BOOST_REQUIRE(client.connect(port));
        const auto registered = client.registerUser(name, kPassword, name + " Display");
        BOOST_REQUIRE(registered);
        BOOST_REQUIRE((registered->body.status == proto::AuthStatus::Ok));
        return registered->body.userId;
    }

    /// A LOGIN on a new connection; the status the server answered.
    proto::AuthStatus loginStatus(test::TestClient& client, const std::string& name, const std::string& password) {
        BOOST_REQUIRE(client.connect(port));
        const auto result = client.login(name, password);
        BOOST_REQUIRE(result);
        return result->body.status;
    }

    QString accountCell(int row, int column) const { return accounts->model()->index(row, column).data().toString(); }

    void refreshUntil(const std::function<bool()>& condition) {
        QTest::mouseClick(find<QPushButton>("refreshAccountsButton"), Qt::LeftButton);
        BOOST_REQUIRE(waitUntil(condition));
    }

    quint16 port = 0;
    QTableView* accounts = nullptr;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(all_users)

BOOST_FIXTURE_TEST_CASE(disable_refuses_the_login_and_enable_allows_it_again, AccountsFixture) {
    registerUser("alice");
    registerUser("bob");
    test::TestClient alice;
    BOOST_REQUIRE((loginStatus(alice, "alice", kPassword) == proto::AuthStatus::Ok));

    // Both accounts, online or not; alice's login is recorded, bob never logged in.
    refreshUntil([&] {
        return accounts->model()->rowCount() == 2 &&
               accountCell(0, AccountsModel::LastLogin) != QStringLiteral("never");
    });
    BOOST_TEST(accountCell(0, 1) == QStringLiteral("alice"));
    BOOST_TEST(accountCell(1, AccountsModel::LastLogin) == QStringLiteral("never"));
    BOOST_TEST(accountCell(0, AccountsModel::Registered).startsWith(QStringLiteral("20")));
    BOOST_TEST(accountCell(0, AccountsModel::State) == QStringLiteral("enabled"));

    // Disable alice while she is online: she is kicked.
    accounts->selectRow(0);
    auto* disable = find<QPushButton>("disableAccountButton");
    BOOST_REQUIRE(disable->isEnabled());
    QTest::mouseClick(disable, Qt::LeftButton);
    const auto kicked = alice.waitFor<proto::Kicked>(std::chrono::seconds(10));
    BOOST_REQUIRE(kicked);
    BOOST_TEST((kicked->body.reason == proto::KickReason::Operator));
    BOOST_TEST(waitUntil([&] { return accountCell(0, AccountsModel::State) == QStringLiteral("disabled"); }));
    BOOST_TEST(find<QLabel>("accountsStatusLabel")->text().contains(QStringLiteral("disabled")));
    BOOST_TEST(disable->text().contains(QStringLiteral("Enable")));

    // The right password gets AccountDisabled; a wrong one the usual BadCredentials.
    test::TestClient again;
    BOOST_TEST((loginStatus(again, "alice", kPassword) == proto::AuthStatus::AccountDisabled));
    BOOST_TEST((again.login("alice", "not the password")->body.status == proto::AuthStatus::BadCredentials));

    // parley-cli says why.
    test::ChildProcess who({test::cliBinary(), "--plaintext", "--server", "127.0.0.1:" + std::to_string(port), "--user",
                            "alice", "--password", kPassword, "who"},
                           dir.path() / "who");
    BOOST_REQUIRE(waitUntil([&] { return who.poll().has_value(); }, 20000));
    BOOST_TEST(*who.poll() == 3);  // login refused
    BOOST_TEST(who.readErr().find("AccountDisabled") != std::string::npos, who.readErr());

    // Enabled again: the login works.
    QTest::mouseClick(disable, Qt::LeftButton);
    BOOST_TEST(waitUntil([&] { return accountCell(0, AccountsModel::State) == QStringLiteral("enabled"); }));
    test::TestClient back;
    BOOST_TEST((loginStatus(back, "alice", kPassword) == proto::AuthStatus::Ok));
}

BOOST_FIXTURE_TEST_CASE(reset_password_replaces_the_old_one, AccountsFixture) {
    registerUser("carol");
    refreshUntil([&] { return accounts->model()->rowCount() == 1; });
    accounts->selectRow(0);
    QTest::mouseClick(find<QPushButton>("resetPasswordButton"), Qt::LeftButton);
    auto* dialog = window->findChild<QInputDialog*>(QStringLiteral("resetPasswordDialog"));
    BOOST_REQUIRE(dialog != nullptr);
    BOOST_TEST((dialog->textEchoMode() == QLineEdit::Password));
    dialog->setTextValue(QStringLiteral("a brand new secret"));
    dialog->accept();
    auto* status = find<QLabel>("accountsStatusLabel");
    BOOST_REQUIRE(waitUntil([&] { return status->text().contains(QStringLiteral("reset")); }));

    test::TestClient oldPassword;
    BOOST_TEST((loginStatus(oldPassword, "carol", kPassword) == proto::AuthStatus::BadCredentials));
    test::TestClient newPassword;
    BOOST_TEST((loginStatus(newPassword, "carol", "a brand new secret") == proto::AuthStatus::Ok));

    // Too short a password: the rule, next to the buttons; nothing changes.
    QTest::mouseClick(find<QPushButton>("resetPasswordButton"), Qt::LeftButton);
    dialog = window->findChild<QInputDialog*>(QStringLiteral("resetPasswordDialog"));
    BOOST_REQUIRE(dialog != nullptr);
    dialog->setTextValue(QStringLiteral("short"));
    dialog->accept();
    BOOST_REQUIRE(waitUntil([&] { return status->text().contains(QStringLiteral("8 to 1024")); }));
    test::TestClient stillNew;
    BOOST_TEST((loginStatus(stillNew, "carol", "a brand new secret") == proto::AuthStatus::Ok));
}

BOOST_FIXTURE_TEST_CASE(revoke_sessions_asks_first_then_ends_every_saved_login, AccountsFixture) {
    registerUser("dave");
    test::TestClient online;
    BOOST_REQUIRE(online.connect(port));
    const auto issued = online.login(proto::Login{"dave", kPassword, proto::LoginMode::PasswordAndToken});
    BOOST_REQUIRE(issued);
    BOOST_REQUIRE((issued->body.status == proto::AuthStatus::Ok));
    BOOST_REQUIRE(issued->body.token.has_value());
    const std::string token = issued->body.token->token;
    refreshUntil([&] { return accounts->model()->rowCount() == 1; });
    accounts->selectRow(0);
    auto* revoke = find<QPushButton>("revokeSessionsButton");
    BOOST_REQUIRE(revoke->isEnabled());

    // Cancel (the default button) changes nothing.
    QTest::mouseClick(revoke, Qt::LeftButton);
    auto* question = window->findChild<QMessageBox*>(QStringLiteral("revokeSessionsQuestion"));
    BOOST_REQUIRE(question != nullptr);
    BOOST_TEST(question->text().contains(QStringLiteral("dave")));
    BOOST_TEST(question->defaultButton() == question->button(QMessageBox::Cancel));
    QTest::mouseClick(question->button(QMessageBox::Cancel), Qt::LeftButton);
    BOOST_TEST(online.expectNothing(std::chrono::milliseconds(300), [](const proto::Message& m) {
        return std::holds_alternative<proto::Kicked>(m.body);
    }));

    // Confirmed: the open session is kicked and the token is refused from then on.
    QTest::mouseClick(revoke, Qt::LeftButton);
    BOOST_TEST_REQUIRE(waitUntil([&] {
        // The cancelled box may still wait for its deferred delete: the visible one is new.
        question = nullptr;
        for (auto* box : window->findChildren<QMessageBox*>(QStringLiteral("revokeSessionsQuestion"))) {
            if (box->isVisible()) question = box;
        }
        return question != nullptr;
    }));
    QTest::mouseClick(question->findChild<QPushButton*>(QStringLiteral("confirmRevokeButton")), Qt::LeftButton);
    BOOST_REQUIRE(online.waitFor<proto::Kicked>(std::chrono::seconds(10)));
    BOOST_TEST(
        waitUntil([&] { return find<QLabel>("accountsStatusLabel")->text().contains(QStringLiteral("revoked")); }));
    test::TestClient withToken;
    BOOST_REQUIRE(withToken.connect(port));
    const auto refused = withToken.login(proto::Login{"dave", token, proto::LoginMode::Token});
    BOOST_REQUIRE(refused);
    BOOST_TEST((refused->body.status == proto::AuthStatus::TokenInvalid));
    test::TestClient withPassword;
    BOOST_TEST((loginStatus(withPassword, "dave", kPassword) == proto::AuthStatus::Ok));
}

BOOST_AUTO_TEST_SUITE_END()
