// Login tokens in the session (protocol 9.11): "remember me" asks for one, the token
// then replaces the password for reconnects; a refused token asks for the password
// once instead of looping.

#include "tests/shared/session/SessionHarness.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace parley;
using namespace parley::session;
using namespace parley::session::test;

namespace {

const std::string kToken(64, 'c');

proto::Login onlyLogin(const std::vector<proto::Message>& out) {
    BOOST_REQUIRE(out.size() == 1u);
    BOOST_REQUIRE(out[0].header.messageType() == proto::MessageType::Login);
    return std::get<proto::Login>(out[0].body);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(client_session_tokens, SessionFixture)

const proto::Error kLoginRefused{proto::ErrorCode::MalformedPayload,
                                 static_cast<std::uint8_t>(proto::MessageType::Login), "trailing bytes"};

BOOST_AUTO_TEST_CASE(a_plain_login_names_its_mode_for_the_contacts_version_and_drops_both_for_an_old_server) {
    session.login("alice", "correct horse");
    open();
    const proto::Login first = onlyLogin(read());
    BOOST_TEST((first.mode == proto::LoginMode::Password));
    BOOST_TEST((first.contactsVersion == std::uint64_t{0}));  // no list held yet
    deliver(0, 0, kLoginRefused);                             // a server from before CONTACT_STATES, and before tokens
    const proto::Login again = onlyLogin(read());
    BOOST_TEST(!again.mode.has_value());  // the LOGIN of clients before tokens
    BOOST_TEST(!again.contactsVersion.has_value());
}

BOOST_AUTO_TEST_CASE(remember_me_gets_a_token_that_replaces_the_password_for_reconnects) {
    BOOST_TEST(session.login("alice", "correct horse", true) == SessionError::None);
    open();
    const proto::Login first = onlyLogin(read());
    BOOST_TEST((first.mode == proto::LoginMode::PasswordAndToken));
    BOOST_TEST(first.password == "correct horse");

    proto::LoginResult ok{proto::AuthStatus::Ok, kAlice, 0, "Alice", "", proto::IssuedToken{kToken, 99}};
    deliver(0, 0, ok);
    BOOST_TEST(session.isLoggedIn());
    BOOST_TEST(session.usesToken());
    const Strings events = listener.take();
    BOOST_TEST(std::count(events.begin(), events.end(), "token alice " + kToken) == 1);

    // The connection drops: the re-login uses the token, not the password.
    close();
    BOOST_TEST(session.shouldReconnect());
    open();
    const proto::Login again = onlyLogin(read());
    BOOST_TEST((again.mode == proto::LoginMode::Token));
    BOOST_TEST(again.password == kToken);
    BOOST_TEST(again.username == "alice");
}

BOOST_AUTO_TEST_CASE(a_stored_token_logs_in_without_a_password) {
    BOOST_TEST(session.loginWithToken("alice", kToken) == SessionError::None);
    open();
    const proto::Login login = onlyLogin(read());
    BOOST_TEST((login.mode == proto::LoginMode::Token));
    BOOST_TEST(login.password == kToken);
    acceptLogin();
    BOOST_TEST(session.isLoggedIn());
    BOOST_TEST(session.usesToken());
}

BOOST_AUTO_TEST_CASE(a_refused_token_asks_for_the_password_and_does_not_loop) {
    for (const proto::AuthStatus status : {proto::AuthStatus::TokenInvalid, proto::AuthStatus::TokenExpired}) {
        session.loginWithToken("alice", kToken);
        open();
        read();
        listener.take();
        deliver(0, 0, proto::LoginResult{status, 0, 0, "", "log in with your password"});
        BOOST_TEST(listener.take() == (Strings{"state Connected", "password needed alice log in with your password",
                                               std::string("login ") + proto::toString(status) + " 0"}),
                   boost::test_tools::per_element());
        BOOST_TEST(!session.shouldReconnect());
        BOOST_TEST(!session.usesToken());
        close();
        listener.take();
    }
}

BOOST_AUTO_TEST_CASE(a_throttled_token_login_is_retried_with_the_token) {
    session.loginWithToken("alice", kToken);
    open();
    read();
    deliver(0, 0, proto::LoginResult{proto::AuthStatus::Throttled, 0, 5, "", "wait"});
    BOOST_TEST(session.shouldReconnect());
    BOOST_TEST(session.usesToken());
}

// Protocol 10: a server from before tokens answers LOGIN's mode byte with MalformedPayload.
BOOST_AUTO_TEST_CASE(a_server_without_tokens_gets_the_plain_password_login_again) {
    session.login("alice", "correct horse", true);
    open();
    BOOST_TEST((onlyLogin(read()).mode == proto::LoginMode::PasswordAndToken));
    deliver(0, 0, kLoginRefused);  // refuses contactsVersion: asked again without it
    const proto::Login withoutVersion = onlyLogin(read());
    BOOST_TEST((withoutVersion.mode == proto::LoginMode::PasswordAndToken));
    BOOST_TEST(!withoutVersion.contactsVersion.has_value());
    deliver(0, 0, kLoginRefused);  // refuses the mode byte: no tokens there
    const proto::Login again = onlyLogin(read());
    BOOST_TEST(!again.mode.has_value());
    BOOST_TEST(again.password == "correct horse");
    acceptLogin();
    BOOST_TEST(session.isLoggedIn());
    BOOST_TEST(!session.usesToken());
}

BOOST_AUTO_TEST_CASE(a_saved_token_at_a_server_without_tokens_asks_for_the_password) {
    session.loginWithToken("alice", kToken);
    open();
    read();
    deliver(0, 0, kLoginRefused);
    BOOST_TEST(!onlyLogin(read()).contactsVersion.has_value());
    listener.take();
    deliver(0, 0, kLoginRefused);
    const Strings events = listener.take();
    BOOST_TEST(std::count_if(events.begin(), events.end(),
                             [](const std::string& e) { return e.rfind("password needed alice", 0) == 0; }) == 1);
    BOOST_TEST(read().empty());  // no LOGIN loop
    BOOST_TEST(!session.shouldReconnect());
}

BOOST_AUTO_TEST_SUITE_END()
