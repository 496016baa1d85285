// A client that keeps its contact list (docs/protocol.md 9.13): the last CONTACTS page
// carries the list's version; a LOGIN naming the current version gets CONTACT_STATES
// (the ids of who is online) instead of every name; presence goes to it as
// PRESENCE_STATES, except a new account, which comes with its names. Clients that do not
// ask see none of it.
#include "tests/server-gui/engine/EngineHarness.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>

using namespace parley;
using namespace parley::test;
using proto::LoginMode;
using proto::PresenceState;

namespace {

// LOGIN with contactsVersion `version`; the LOGIN_RESULT must be Ok.
void keptListLogin(TestClient& client, const std::string& name, std::uint64_t version) {
    client.send(proto::Login{name, kPassword, LoginMode::Password, version});
    const auto result = client.waitFor<proto::LoginResult>(10s);
    BOOST_REQUIRE(result);
    BOOST_REQUIRE_MESSAGE((result->body.status == proto::AuthStatus::Ok), result->body.text);
}

// The CONTACTS pages of one answer: the users listed and the last page's version.
std::uint64_t fullList(TestClient& client, std::size_t& listed) {
    listed = 0;
    for (;;) {
        const auto page = client.waitFor<proto::Contacts>(10s);
        BOOST_REQUIRE(page);
        listed += page->body.contacts.size();
        if (page->body.last) {
            BOOST_REQUIRE(page->body.version.has_value());
            return *page->body.version;
        }
        BOOST_TEST(!page->body.version.has_value());  // on the last page only
    }
}

// The CONTACT_STATES pages of one answer: the ids named.
std::set<proto::UserId> statesList(TestClient& client) {
    std::set<proto::UserId> online;
    for (;;) {
        const auto page = client.waitFor<proto::ContactStates>(10s);
        BOOST_REQUIRE(page);
        for (const proto::ContactState& s : page->body.states) {
            BOOST_TEST((s.state == PresenceState::Online));
            online.insert(s.userId);
        }
        if (page->body.last) return online;
    }
}

bool sawType(const TestClient& client, proto::MessageType type) {
    const auto all = client.history();
    return std::any_of(all.begin(), all.end(),
                       [type](const proto::Message& m) { return m.header.messageType() == type; });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(contacts_version)

BOOST_AUTO_TEST_CASE(an_unchanged_list_is_answered_with_states_and_presence_without_names) {
    EngineHarness harness;
    const proto::UserId alice = harness.registerUser("alice");
    const proto::UserId bob = harness.registerUser("bob");
    const proto::UserId carol = harness.registerUser("carol");
    auto bobClient = harness.login("bob");  // an old-style client: plain LOGIN

    auto first = harness.connect();
    keptListLogin(*first, "alice", 0);
    std::size_t listed = 0;
    const std::uint64_t version = fullList(*first, listed);
    BOOST_TEST(listed == 2u);
    BOOST_TEST(version != 0u);

    // carol comes online: alice (list complete) gets it as PRESENCE_STATES; bob as PRESENCE.
    auto carolClient = harness.login("carol");
    const auto change = first->waitFor<proto::PresenceStates>(10s);
    BOOST_REQUIRE(change);
    BOOST_TEST(change->body.states.size() == 1u);
    BOOST_TEST(change->body.states[0].userId == carol);
    BOOST_TEST((change->body.states[0].state == PresenceState::Online));
    const auto named = bobClient->waitForMessage(10s, [carol](const proto::Message& m) {
        const auto* presence = std::get_if<proto::Presence>(&m.body);
        return presence != nullptr && presence->contact.userId == carol;
    });
    BOOST_REQUIRE(named);
    BOOST_TEST(std::get<proto::Presence>(named->body).contact.username == "carol");
    first->close();

    // The same version again: the states of who is online, no names.
    auto second = harness.connect();
    keptListLogin(*second, "alice", version);
    BOOST_TEST(statesList(*second) == (std::set<proto::UserId>{bob, carol}));
    BOOST_TEST(!sawType(*second, proto::MessageType::Contacts));
    (void)alice;

    // A new account: announced with its names (alice's list does not have it)...
    const proto::UserId dave = harness.registerUser("dave");
    const auto announced = second->waitFor<proto::Presence>(10s);
    BOOST_REQUIRE(announced);
    BOOST_TEST(announced->body.contact.userId == dave);
    BOOST_TEST(announced->body.contact.username == "dave");
    // ...and a CONTACTS_QUERY is always the whole list, with the new version.
    second->send(proto::ContactsQuery{});
    const std::uint64_t changed = fullList(*second, listed);
    BOOST_TEST(listed == 3u);
    BOOST_TEST(changed != version);
    second->close();

    // An old version: the whole list, not states.
    auto third = harness.connect();
    keptListLogin(*third, "alice", version);
    BOOST_TEST(fullList(*third, listed) == changed);
    BOOST_TEST(listed == 3u);

    // The plain client never saw the new frames.
    BOOST_TEST(!sawType(*bobClient, proto::MessageType::PresenceStates));
    BOOST_TEST(!sawType(*bobClient, proto::MessageType::ContactStates));
}

BOOST_AUTO_TEST_CASE(the_version_survives_a_restart_of_the_server) {
    EngineHarness harness;
    harness.registerUser("alice");
    harness.registerUser("bob", "Bob B.");
    std::uint64_t version = 0;
    {
        auto client = harness.connect();
        keptListLogin(*client, "alice", 0);
        std::size_t listed = 0;
        version = fullList(*client, listed);
    }
    harness.restart();
    auto client = harness.connect();
    keptListLogin(*client, "alice", version);
    BOOST_TEST(statesList(*client).empty());  // bob is offline; alice's copy is current
}

BOOST_AUTO_TEST_SUITE_END()
