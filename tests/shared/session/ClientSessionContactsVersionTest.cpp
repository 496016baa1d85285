// A contact list kept between logins (protocol 9.13): the next LOGIN names the list's
// version; an unchanged list comes back as CONTACT_STATES (who is not offline), and
// presence as PRESENCE_STATES (ids and states, no names).

#include "tests/shared/session/SessionHarness.h"

#include <boost/test/unit_test.hpp>

using namespace parley;
using namespace parley::session;
using namespace parley::session::test;

namespace {

constexpr std::uint64_t kVersion = 0x0102030405060708;

proto::Login onlyLogin(const std::vector<proto::Message>& out) {
    BOOST_REQUIRE(out.size() == 1u);
    BOOST_REQUIRE(out[0].header.messageType() == proto::MessageType::Login);
    return std::get<proto::Login>(out[0].body);
}

proto::PresenceState stateOf(const ClientSession& session, UserId id) {
    const proto::Contact* contact = session.contacts().find(id);
    BOOST_REQUIRE(contact != nullptr);
    return contact->state;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(client_session_contacts_version, SessionFixture)

// Logs in, gets bob (online) and carol (online) with kVersion, and reconnects.
struct KeptList : SessionFixture {
    KeptList() {
        session.login("alice", "correct horse");
        open();
        BOOST_TEST((onlyLogin(read()).contactsVersion == std::uint64_t{0}));
        acceptLogin();
        deliver(0, 0, proto::Contacts{true, {contact(kBob, "bob"), contact(kCarol, "carol")}, kVersion});
        close();
        open();
        const proto::Login again = onlyLogin(read());
        BOOST_TEST((again.contactsVersion == kVersion));
        acceptLogin();
        listener.take();
    }
};

BOOST_FIXTURE_TEST_CASE(an_unchanged_list_comes_back_as_the_states_of_who_is_online, KeptList) {
    BOOST_TEST(!session.isReady());
    deliver(0, 0, proto::ContactStates{false, {}});
    BOOST_TEST(!session.isReady());  // more pages follow
    deliver(0, 0, proto::ContactStates{true, {{kCarol, proto::PresenceState::Online}}});
    BOOST_TEST(session.isReady());
    BOOST_TEST(listener.take() == (Strings{"contacts 2", "ready again"}), boost::test_tools::per_element());
    BOOST_TEST((stateOf(session, kBob) == proto::PresenceState::Offline));  // not named: offline
    BOOST_TEST((stateOf(session, kCarol) == proto::PresenceState::Online));
    BOOST_TEST(session.contacts().find(kBob)->username == "bob");  // the names are kept
    BOOST_TEST(read().empty());
}

BOOST_FIXTURE_TEST_CASE(presence_states_change_known_users_and_an_unknown_id_asks_for_the_list, KeptList) {
    deliver(0, 0, proto::ContactStates{true, {}});
    listener.take();
    deliver(0, 0,
            proto::PresenceStates{{{kBob, proto::PresenceState::Online},
                                   {kCarol, proto::PresenceState::Online},
                                   {kCarol, proto::PresenceState::Offline}}});
    BOOST_TEST((stateOf(session, kBob) == proto::PresenceState::Online));
    BOOST_TEST((stateOf(session, kCarol) == proto::PresenceState::Offline));  // in order: the last one holds
    BOOST_TEST(listener.take().size() == 3u);
    BOOST_TEST(read().empty());

    // An id the list does not have: the whole list once, not a query per frame.
    deliver(0, 0, proto::PresenceStates{{{99, proto::PresenceState::Online}}});
    deliver(0, 0, proto::PresenceStates{{{98, proto::PresenceState::Online}}});
    const std::vector<proto::Message> out = read();
    BOOST_TEST(typeNames(out) == Strings{"CONTACTS_QUERY"}, boost::test_tools::per_element());
    BOOST_TEST(session.contacts().find(99) == nullptr);
    // The full answer brings the new user and the version to keep.
    deliver(0, 0, proto::Contacts{true, {contact(kBob, "bob"), contact(kCarol, "carol"), contact(99, "dave")}, 77});
    BOOST_TEST((stateOf(session, 99) == proto::PresenceState::Online));
    close();
    open();
    BOOST_TEST((onlyLogin(read()).contactsVersion == std::uint64_t{77}));
}

BOOST_FIXTURE_TEST_CASE(a_changed_list_comes_back_whole_and_replaces_the_kept_one, KeptList) {
    deliver(0, 0, proto::Contacts{true, {contact(kBob, "bob", proto::PresenceState::Offline)}, kVersion + 1});
    BOOST_TEST(session.isReady());
    BOOST_TEST(session.contacts().size() == 1u);
    BOOST_TEST(session.contacts().find(kCarol) == nullptr);
}

BOOST_AUTO_TEST_CASE(another_account_does_not_reuse_the_list) {
    session.login("alice", "correct horse");
    open();
    read();
    acceptLogin();
    deliver(0, 0, proto::Contacts{true, {contact(kBob, "bob")}, kVersion});
    session.logout();
    close();
    session.login("bob", "correct horse");
    open();
    read();
    acceptLogin(kBob, "Bob");  // another account: the list and its version are dropped
    close();
    open();
    BOOST_TEST((onlyLogin(read()).contactsVersion == std::uint64_t{0}));
}

BOOST_AUTO_TEST_SUITE_END()
