// Connection and login flow: LOGIN, LOGIN_RESULT, CONTACTS pages, PRESENCE,
// REGISTER, logout, KICKED and the re-login rules.

#include "tests/shared/session/SessionHarness.h"

#include <boost/test/unit_test.hpp>

using namespace parley;
using namespace parley::session;
using namespace parley::session::test;

BOOST_FIXTURE_TEST_SUITE(client_session_login, SessionFixture)

BOOST_AUTO_TEST_CASE(state_names) {
    BOOST_TEST(std::string(toString(SessionState::Disconnected)) == "Disconnected");
    BOOST_TEST(std::string(toString(SessionState::Connected)) == "Connected");
    BOOST_TEST(std::string(toString(SessionState::LoggingIn)) == "LoggingIn");
    BOOST_TEST(std::string(toString(SessionState::LoggedIn)) == "LoggedIn");
    BOOST_TEST(std::string(toString(MessageState::Delivered)) == "Delivered");
    BOOST_TEST(std::string(toString(SessionError::NotLoggedIn)) == "NotLoggedIn");
}

BOOST_AUTO_TEST_CASE(login_before_connecting_goes_out_when_the_connection_opens) {
    BOOST_TEST(session.state() == SessionState::Disconnected);
    BOOST_TEST(session.login("alice", "correct horse") == SessionError::None);
    BOOST_TEST(!session.hasOutput());
    BOOST_TEST(session.shouldReconnect());

    open();
    BOOST_TEST(session.state() == SessionState::LoggingIn);
    const auto out = read();
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(typeName(out[0]) == "LOGIN");
    BOOST_TEST(out[0].header.destination == proto::kServerId);
    const auto& login = std::get<proto::Login>(out[0].body);
    BOOST_TEST(login.username == "alice");
    BOOST_TEST(login.password == "correct horse");

    acceptLogin(kAlice, "Alice A.");
    BOOST_TEST(session.state() == SessionState::LoggedIn);
    BOOST_TEST(session.isLoggedIn());
    BOOST_TEST(session.userId() == kAlice);
    BOOST_TEST(session.displayName() == "Alice A.");
    BOOST_TEST(session.username() == "alice");
    BOOST_TEST(listener.take() == (Strings{"state Connected", "state LoggingIn", "state LoggedIn", "login Ok 7"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(login_on_an_open_connection_is_sent_at_once) {
    open();
    BOOST_TEST(session.state() == SessionState::Connected);
    BOOST_TEST(!session.hasOutput());
    BOOST_TEST(session.login("alice", "correct horse") == SessionError::None);
    BOOST_TEST(typeNames(read()) == Strings{"LOGIN"}, boost::test_tools::per_element());
    BOOST_TEST(session.state() == SessionState::LoggingIn);
    BOOST_TEST(session.login("alice", "again") == SessionError::AlreadyLoggedIn);
    acceptLogin();
    BOOST_TEST(session.login("alice", "again") == SessionError::AlreadyLoggedIn);
    BOOST_TEST(!session.hasOutput());
}

BOOST_AUTO_TEST_CASE(credentials_that_cannot_be_encoded_are_refused) {
    BOOST_TEST(session.login("alice", std::string("\xC3\x28", 2)) == SessionError::InvalidUtf8);
    BOOST_TEST(session.login(std::string(kMaxTextBytes + 1, 'a'), "pw") == SessionError::TextTooLong);
    BOOST_TEST(!session.shouldReconnect());
}

BOOST_AUTO_TEST_CASE(contacts_pages_are_reported_once_when_complete) {
    loginAsAlice();
    proto::Contacts page1;
    page1.last = false;
    page1.contacts = {contact(kAlice, "alice"), contact(kBob, "bob", proto::PresenceState::Offline)};
    deliver(0, 0, page1);
    BOOST_TEST(listener.take().empty());
    BOOST_TEST(session.contacts().empty());

    proto::Contacts page2;
    page2.last = true;
    page2.contacts = {contact(kCarol, "carol")};
    deliver(0, 0, page2);
    BOOST_TEST(listener.take() == Strings{"contacts 3"}, boost::test_tools::per_element());
    BOOST_TEST(listener.contactsSnapshot == (Strings{"alice", "bob", "carol"}), boost::test_tools::per_element());
    BOOST_TEST(session.contacts().size() == 3u);
    BOOST_TEST(session.contacts().onlineCount() == 2u);
    const proto::Contact* bob = session.contacts().findByUsername("bob");
    BOOST_TEST_REQUIRE(bob != nullptr);
    BOOST_TEST(bob->userId == kBob);
    BOOST_TEST(bob->displayName == "bob display");
    BOOST_TEST(session.contacts().findByUsername("mallory") == nullptr);

    // A later full list replaces the old one.
    proto::Contacts again;
    again.contacts = {contact(kBob, "bob")};
    deliver(0, 0, again);
    BOOST_TEST(listener.take() == Strings{"contacts 1"}, boost::test_tools::per_element());
    BOOST_TEST(session.contacts().find(kCarol) == nullptr);
}

BOOST_AUTO_TEST_CASE(presence_updates_one_contact_and_adds_new_users) {
    loginAsAlice();
    proto::Contacts list;
    list.contacts = {contact(kAlice, "alice"), contact(kBob, "bob", proto::PresenceState::Offline)};
    deliver(0, 0, list);
    listener.take();

    deliver(0, 0, proto::Presence{contact(kBob, "bob", proto::PresenceState::Online)});
    BOOST_TEST(listener.take() == Strings{"presence 8 Online"}, boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(session.contacts().find(kBob) != nullptr);
    BOOST_TEST((session.contacts().find(kBob)->state == proto::PresenceState::Online));

    deliver(0, 0, proto::Presence{contact(42, "dave")});
    BOOST_TEST(listener.take() == Strings{"presence 42 Online"}, boost::test_tools::per_element());
    BOOST_TEST(session.contacts().size() == 3u);
    BOOST_TEST(session.contacts().findByUsername("dave") != nullptr);
}

BOOST_AUTO_TEST_CASE(presence_during_paging_is_not_undone_by_the_pages_collected_before_it) {
    loginAsAlice();
    proto::Contacts page1;
    page1.last = false;
    page1.contacts = {contact(kBob, "bob", proto::PresenceState::Online)};
    deliver(0, 0, page1);
    deliver(0, 0, proto::Presence{contact(kBob, "bob", proto::PresenceState::Offline)});
    proto::Contacts page2;
    page2.contacts = {contact(kCarol, "carol")};
    deliver(0, 0, page2);
    BOOST_TEST_REQUIRE(session.contacts().find(kBob) != nullptr);
    BOOST_TEST((session.contacts().find(kBob)->state == proto::PresenceState::Offline));
}

BOOST_AUTO_TEST_CASE(refused_login_returns_to_connected_and_forgets_the_credentials) {
    refuseLogin(proto::AuthStatus::BadCredentials);
    BOOST_TEST(session.state() == SessionState::Connected);
    BOOST_TEST(!session.shouldReconnect());
    BOOST_TEST(
        listener.take() == (Strings{"state Connected", "state LoggingIn", "state Connected", "login BadCredentials 0"}),
        boost::test_tools::per_element());

    // A reconnect does not try the same password again.
    close();
    open();
    BOOST_TEST(!session.hasOutput());
    BOOST_TEST(session.state() == SessionState::Connected);
}

BOOST_AUTO_TEST_CASE(throttled_login_keeps_the_credentials_for_the_next_connection) {
    refuseLogin(proto::AuthStatus::Throttled);
    BOOST_TEST(session.state() == SessionState::Connected);
    BOOST_TEST(session.shouldReconnect());
    close();
    open();
    BOOST_TEST(typeNames(read()) == Strings{"LOGIN"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(register_needs_a_connection_and_does_not_log_in) {
    BOOST_TEST(session.registerAccount("alice", "correct horse", "Alice") == SessionError::NotConnected);
    open();
    BOOST_TEST(session.registerAccount("alice", "correct horse", "Alice") == SessionError::None);
    const auto out = read();
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(typeName(out[0]) == "REGISTER");
    const auto& reg = std::get<proto::Register>(out[0].body);
    BOOST_TEST(reg.username == "alice");
    BOOST_TEST(reg.password == "correct horse");
    BOOST_TEST(reg.displayName == "Alice");

    proto::RegisterResult result;
    result.status = proto::AuthStatus::Ok;
    result.userId = kAlice;
    deliver(0, 0, result);
    BOOST_TEST(listener.take() == (Strings{"state Connected", "register Ok 7"}), boost::test_tools::per_element());
    BOOST_TEST(session.state() == SessionState::Connected);

    session.login("alice", "correct horse");
    read();
    BOOST_TEST(session.registerAccount("bob", "correct horse", "") == SessionError::AlreadyLoggedIn);
}

BOOST_AUTO_TEST_CASE(automatic_relogin_after_a_reconnect) {
    loginAsAlice();
    close();
    BOOST_TEST(session.state() == SessionState::Disconnected);
    BOOST_TEST(session.shouldReconnect());
    open();
    const auto out = read();
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(std::get<proto::Login>(out[0].body).username == "alice");
    acceptLogin();
    BOOST_TEST(session.state() == SessionState::LoggedIn);
}

BOOST_AUTO_TEST_CASE(logout_sends_logout_and_stops_relogin) {
    loginAsAlice();
    session.logout();
    BOOST_TEST(typeNames(read()) == Strings{"LOGOUT"}, boost::test_tools::per_element());
    BOOST_TEST(session.state() == SessionState::Connected);
    BOOST_TEST(!session.shouldReconnect());
    BOOST_TEST(session.queryContacts() == SessionError::NotLoggedIn);
    close();
    open();
    BOOST_TEST(!session.hasOutput());
}

BOOST_AUTO_TEST_CASE(a_login_result_after_logout_is_ignored) {
    session.login("alice", "correct horse");
    open();
    read();
    session.logout();
    BOOST_TEST(typeNames(read()) == Strings{"LOGOUT"}, boost::test_tools::per_element());
    listener.take();
    acceptLogin();
    BOOST_TEST(session.state() == SessionState::Connected);
    BOOST_TEST(listener.take().empty());
}

BOOST_AUTO_TEST_CASE(kicked_is_reported_and_stops_automatic_relogin) {
    loginAsAlice();
    deliver(0, 0, proto::Kicked{proto::KickReason::LoggedInElsewhere, "logged in elsewhere"});
    BOOST_TEST(listener.take() == (Strings{"state Connected", "kicked LoggedInElsewhere logged in elsewhere"}),
               boost::test_tools::per_element());
    BOOST_TEST(!session.shouldReconnect());

    // Should the host reconnect anyway, the session does not log in by itself:
    // that would kick the session that took over, which would kick us back.
    close();
    open();
    BOOST_TEST(!session.hasOutput());
    BOOST_TEST(session.state() == SessionState::Connected);
}

BOOST_AUTO_TEST_CASE(server_error_is_reported_with_code_and_text) {
    loginAsAlice();
    deliver(
        0, 0,
        proto::Error{proto::ErrorCode::RateLimited, static_cast<std::uint8_t>(proto::MessageType::Chat), "slow down"});
    BOOST_TEST(listener.take() == Strings{"server-error RateLimited slow down"}, boost::test_tools::per_element());
    BOOST_TEST(session.state() == SessionState::LoggedIn);
}

BOOST_AUTO_TEST_CASE(query_contacts_when_logged_in) {
    open();
    BOOST_TEST(session.queryContacts() == SessionError::NotLoggedIn);
    session.login("alice", "correct horse");
    read();
    acceptLogin();
    BOOST_TEST(session.queryContacts() == SessionError::None);
    BOOST_TEST(typeNames(read()) == Strings{"CONTACTS_QUERY"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(connection_opened_twice_starts_afresh) {
    loginAsAlice();
    open();  // the host forgot connectionClosed()
    BOOST_TEST(listener.take() == (Strings{"state Disconnected", "state Connected", "state LoggingIn"}),
               boost::test_tools::per_element());
    server.reset();
    BOOST_TEST(typeNames(read()) == Strings{"LOGIN"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
