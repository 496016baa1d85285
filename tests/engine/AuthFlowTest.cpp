// Register, login, contacts, presence, logout and the limits around them,
// against a real server over TCP (docs/protocol.md 9.1).
#include "tests/engine/EngineHarness.h"

#include "shared/proto/Codec.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace parley;
using namespace parley::test;
using proto::AuthStatus;
using proto::PresenceState;

namespace {

const proto::Contact* findContact(const std::vector<proto::Contact>& contacts, proto::UserId id) {
    const auto it = std::find_if(contacts.begin(), contacts.end(), [id](const proto::Contact& c) { return c.userId == id; });
    return it == contacts.end() ? nullptr : &*it;
}

// Sends LOGIN with `password` and returns the LOGIN_RESULT.
Frame<proto::LoginResult> loginAttempt(TestClient& client, const std::string& username, const std::string& password) {
    auto result = client.login(username, password);
    BOOST_REQUIRE_MESSAGE(result, "no LOGIN_RESULT for " << username);
    return *result;
}

// Listens on "::" so that a client can come from two addresses (::1 and
// 127.0.0.1, seen as ::ffff:127.0.0.1); 3 failures throttle for 30 s.
void dualStackThrottle(server::ServerConfig& c) {
    c.listenHost = "::";
    c.limits.loginFailuresBeforeThrottle = 3;
    c.limits.loginThrottleFirstSeconds = 30;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(register_and_login)

BOOST_AUTO_TEST_CASE(register_ok_echoes_the_request_id) {
    EngineHarness harness;
    auto client = harness.connect();
    const auto id = client->send(proto::Register{"alice", kPassword, "Alice A."});
    const auto result = client->waitFor<proto::RegisterResult>(10s);
    BOOST_REQUIRE(result);
    BOOST_TEST((result->body.status == AuthStatus::Ok), result->body.text);
    BOOST_TEST(result->body.userId >= 1u);
    BOOST_TEST(result->header.messageId == id);  // protocol 2: replies echo the request's id
    BOOST_TEST(result->header.source == proto::kServerId);

    // REGISTER does not log in: the connection is still unauthenticated.
    const auto chatId = client->sendChat(result->body.userId, "hello?");
    const auto error = waitError(*client, proto::ErrorCode::NotAuthenticated);
    BOOST_REQUIRE(error);
    BOOST_TEST(error->header.messageId == chatId);
}

BOOST_AUTO_TEST_CASE(taken_name_in_any_case_is_refused) {
    EngineHarness harness;
    harness.registerUser("alice");
    auto client = harness.connect();
    for (const char* name : {"alice", "ALICE", "Alice"}) {
        const auto result = client->registerUser(name, kPassword);
        BOOST_REQUIRE(result);
        BOOST_TEST((result->body.status == AuthStatus::UsernameTaken), name << ": " << result->body.text);
        BOOST_TEST(result->body.userId == 0u);
    }
}

BOOST_AUTO_TEST_CASE(invalid_fields_get_their_own_status_and_keep_the_connection) {
    EngineHarness harness;
    auto client = harness.connect();
    struct Case {
        proto::Register request;
        AuthStatus expected;
    };
    const std::vector<Case> cases = {
        {{"ab", kPassword, ""}, AuthStatus::InvalidUsername},
        {{"_alice", kPassword, ""}, AuthStatus::InvalidUsername},
        {{"al ice", kPassword, ""}, AuthStatus::InvalidUsername},
        {{std::string(33, 'a'), kPassword, ""}, AuthStatus::InvalidUsername},
        {{"alice", "short", ""}, AuthStatus::InvalidPassword},
        {{"alice", std::string(1025, 'p'), ""}, AuthStatus::InvalidPassword},
        {{"alice", kPassword, "line\nbreak"}, AuthStatus::InvalidDisplayName},
        {{"alice", kPassword, std::string(65, 'd')}, AuthStatus::InvalidDisplayName},
    };
    for (const Case& c : cases) {
        client->send(c.request);
        const auto result = client->waitFor<proto::RegisterResult>(10s);
        BOOST_REQUIRE(result);
        BOOST_TEST((result->body.status == c.expected),
                   c.request.username.substr(0, 10) << ": got " << proto::toString(result->body.status));
        BOOST_TEST(!result->body.text.empty());
    }
    // After all those refusals the same connection registers fine.
    const auto ok = client->registerUser("alice", kPassword, "Alice");
    BOOST_REQUIRE(ok);
    BOOST_TEST((ok->body.status == AuthStatus::Ok));
}

BOOST_AUTO_TEST_CASE(login_answers_result_then_contacts_with_online_state) {
    EngineHarness harness;
    const auto aliceId = harness.registerUser("alice", "Alice A.");
    const auto bobId = harness.registerUser("bob", "Bob B.");
    const auto carolId = harness.registerUser("carol");
    auto bob = harness.login("bob");

    auto alice = harness.connect();
    const auto loginId = alice->send(proto::Login{"ALICE", kPassword});  // case-insensitive name
    const auto result = alice->waitFor<proto::LoginResult>(10s);
    BOOST_REQUIRE(result);
    BOOST_TEST((result->body.status == AuthStatus::Ok), result->body.text);
    BOOST_TEST(result->body.userId == aliceId);
    BOOST_TEST(result->body.displayName == "Alice A.");
    BOOST_TEST(result->body.retryAfterSeconds == 0u);
    BOOST_TEST(result->header.messageId == loginId);

    // LOGIN_RESULT is the first frame, CONTACTS pages follow right after it.
    const auto first = alice->history();
    BOOST_REQUIRE(!first.empty());
    BOOST_TEST(std::holds_alternative<proto::LoginResult>(first.front().body));
    const auto page = alice->waitFor<proto::Contacts>(10s);
    BOOST_REQUIRE(page);
    BOOST_TEST(page->body.last);
    const auto& contacts = page->body.contacts;
    const auto* bob_ = findContact(contacts, bobId);
    const auto* carol = findContact(contacts, carolId);
    BOOST_REQUIRE(bob_);
    BOOST_REQUIRE(carol);
    BOOST_TEST((bob_->state == PresenceState::Online));
    BOOST_TEST(bob_->username == "bob");
    BOOST_TEST(bob_->displayName == "Bob B.");
    BOOST_TEST((carol->state == PresenceState::Offline));
    // protocol 6, CONTACTS: every registered user except the receiver, each once.
    BOOST_TEST(findContact(contacts, aliceId) == nullptr);
    BOOST_TEST(contacts.size() == 2u);

    // Logging in or registering again on the same connection is refused.
    alice->send(proto::Login{"alice", kPassword});
    const auto again = alice->waitFor<proto::LoginResult>(10s);
    BOOST_REQUIRE(again);
    BOOST_TEST((again->body.status == AuthStatus::AlreadyAuthenticated));
    alice->send(proto::Register{"dave", kPassword, ""});
    const auto registered = alice->waitFor<proto::RegisterResult>(10s);
    BOOST_REQUIRE(registered);
    BOOST_TEST((registered->body.status == AuthStatus::AlreadyAuthenticated));

    // CONTACTS_QUERY: the same list again.
    alice->send(proto::ContactsQuery{});
    const auto requery = alice->waitFor<proto::Contacts>(10s);
    BOOST_REQUIRE(requery);
    BOOST_TEST(requery->body.last);
    BOOST_TEST((requery->body.contacts == contacts));
}

BOOST_AUTO_TEST_CASE(pipelined_register_login_and_chat_are_handled_in_order) {
    EngineHarness harness;
    const auto bobId = harness.registerUser("bob");
    auto bob = harness.login("bob");
    auto alice = harness.connect();
    // One write: the server must finish each step (hashing runs elsewhere)
    // before it looks at the next frame.
    std::string bytes;
    const auto append = [&bytes](proto::MessageId id, proto::UserId to, const proto::Body& body) {
        proto::Header header;
        header.messageId = id;
        header.destination = to;
        const auto frame = proto::encode(header, body);
        bytes.append(frame.begin(), frame.end());
    };
    const auto registerId = nextMessageId();
    const auto loginId = nextMessageId();
    const auto chatId = nextMessageId();
    append(registerId, 0, proto::Register{"alice", kPassword, ""});
    append(loginId, 0, proto::Login{"alice", kPassword});
    append(chatId, bobId, proto::Chat{0, "right after logging in"});
    alice->sendRaw(bytes);

    const auto registered = alice->waitFor<proto::RegisterResult>(10s);
    BOOST_REQUIRE(registered);
    BOOST_TEST((registered->body.status == AuthStatus::Ok));
    BOOST_TEST(registered->header.messageId == registerId);
    const auto loggedIn = alice->waitFor<proto::LoginResult>(10s);
    BOOST_REQUIRE(loggedIn);
    BOOST_TEST((loggedIn->body.status == AuthStatus::Ok));
    BOOST_TEST(loggedIn->header.messageId == loginId);
    const auto chat = bob->waitFor<proto::Chat>(10s);
    BOOST_REQUIRE(chat);
    BOOST_TEST(chat->header.messageId == chatId);
    BOOST_TEST(chat->header.source == registered->body.userId);
    BOOST_TEST(!waitError(*alice, proto::ErrorCode::NotAuthenticated, 100ms).has_value());
}

BOOST_AUTO_TEST_CASE(presence_follows_logins_registrations_and_logouts) {
    EngineHarness harness;
    harness.registerUser("alice");
    const auto bobId = harness.registerUser("bob");
    auto alice = harness.login("alice");

    auto bob = harness.login("bob");
    BOOST_TEST(waitPresence(*alice, bobId, PresenceState::Online));

    // A new account shows up for everyone online, as offline.
    auto newcomer = harness.connect();
    const auto carol = newcomer->registerUser("carol", kPassword, "Carol C.");
    BOOST_REQUIRE(carol);
    const auto presence = alice->waitFor<proto::Presence>(10s, [&](const proto::Header&, const proto::Presence& p) {
        return p.contact.userId == carol->body.userId;
    });
    BOOST_REQUIRE(presence);
    BOOST_TEST((presence->body.contact.state == PresenceState::Offline));
    BOOST_TEST(presence->body.contact.username == "carol");
    BOOST_TEST(presence->body.contact.displayName == "Carol C.");
    BOOST_TEST(waitPresence(*bob, carol->body.userId, PresenceState::Offline));

    // LOGOUT: the server closes the connection, the others see Offline.
    bob->send(proto::Logout{});
    BOOST_TEST(bob->waitClosed());
    BOOST_TEST(waitPresence(*alice, bobId, PresenceState::Offline));

    // A connection that just drops has the same effect.
    bob = harness.login("bob");
    BOOST_TEST(waitPresence(*alice, bobId, PresenceState::Online));
    bob.reset();
    BOOST_TEST(waitPresence(*alice, bobId, PresenceState::Offline));
    BOOST_TEST(alice->decodeErrors().empty());
}

BOOST_AUTO_TEST_CASE(wrong_password_and_unknown_user_answer_alike) {
    EngineHarness harness;
    harness.registerUser("alice");
    auto client = harness.connect();
    const auto wrong = loginAttempt(*client, "alice", "not the password");
    const auto unknown = loginAttempt(*client, "nobody", "not the password");
    BOOST_TEST((wrong.body.status == AuthStatus::BadCredentials));
    BOOST_TEST((unknown.body.status == wrong.body.status));
    BOOST_TEST(unknown.body.text == wrong.body.text);
    BOOST_TEST(unknown.body.userId == 0u);
    BOOST_TEST(wrong.body.userId == 0u);
    BOOST_TEST(unknown.body.retryAfterSeconds == wrong.body.retryAfterSeconds);
    BOOST_TEST(unknown.body.displayName == wrong.body.displayName);

    // A failed login keeps the connection: the right password works next.
    const auto ok = loginAttempt(*client, "alice", kPassword);
    BOOST_TEST((ok.body.status == AuthStatus::Ok));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(abuse_limits)

// The account key is independent of the address: a second address (IPv6
// loopback vs. IPv4 on a dual-stack listener) is throttled for the same account,
// and the first address may still log in to other accounts.
BOOST_AUTO_TEST_CASE(login_failures_throttle_the_account) {
    EngineHarness harness(dualStackThrottle);
    harness.registerUser("alice");
    harness.registerUser("bob");
    auto attacker = harness.connect(nullptr, "::1");
    for (int i = 0; i < 2; ++i)
        BOOST_TEST((loginAttempt(*attacker, "alice", "guess-guess").body.status == AuthStatus::BadCredentials));
    const auto third = loginAttempt(*attacker, "alice", "guess-guess");
    BOOST_TEST((third.body.status == AuthStatus::BadCredentials));  // the third failure is still answered as such
    const auto blocked = loginAttempt(*attacker, "alice", "guess-guess");
    BOOST_TEST((blocked.body.status == AuthStatus::Throttled));
    BOOST_TEST(blocked.body.retryAfterSeconds > 0u);

    // From another address, the right password is refused during the wait too.
    auto owner = harness.connect(nullptr, "127.0.0.1");
    const auto refused = loginAttempt(*owner, "alice", kPassword);
    BOOST_TEST((refused.body.status == AuthStatus::Throttled), refused.body.text);
    BOOST_TEST(refused.body.retryAfterSeconds > 0u);
    BOOST_TEST(refused.body.retryAfterSeconds <= 30u);
    // Other accounts from the same address are fine.
    const auto bob = loginAttempt(*owner, "bob", kPassword);
    BOOST_TEST((bob.body.status == AuthStatus::Ok), bob.body.text);
}

BOOST_AUTO_TEST_CASE(login_failures_throttle_the_address) {
    EngineHarness harness(dualStackThrottle);
    harness.registerUser("alice");
    auto attacker = harness.connect(nullptr, "127.0.0.1");
    // Spread over accounts (unknown ones too), so no single account reaches the limit.
    for (const char* name : {"u1", "u2", "u3"})
        BOOST_TEST((loginAttempt(*attacker, name, "guess-guess").body.status == AuthStatus::BadCredentials));
    const auto blocked = loginAttempt(*attacker, "alice", kPassword);
    BOOST_TEST((blocked.body.status == AuthStatus::Throttled), blocked.body.text);
    BOOST_TEST(blocked.body.retryAfterSeconds > 0u);
    // A new connection from the same address is throttled as well ...
    auto again = harness.connect(nullptr, "127.0.0.1");
    BOOST_TEST((loginAttempt(*again, "alice", kPassword).body.status == AuthStatus::Throttled));
    // ... while another address logs in to the same account.
    auto elsewhere = harness.connect(nullptr, "::1");
    const auto ok = loginAttempt(*elsewhere, "alice", kPassword);
    BOOST_TEST((ok.body.status == AuthStatus::Ok), ok.body.text);
}

BOOST_AUTO_TEST_CASE(registrations_per_address_are_limited) {
    EngineHarness harness([](server::ServerConfig& c) { c.limits.registrationsPerAddressPerHour = 2; });
    auto client = harness.connect();
    BOOST_TEST((registerStatus(*client, "user1") == AuthStatus::Ok));
    BOOST_TEST((registerStatus(*client, "user2") == AuthStatus::Ok));
    const auto third = client->registerUser("user3", kPassword);
    BOOST_REQUIRE(third);
    BOOST_TEST((third->body.status == AuthStatus::RegistrationLimited), third->body.text);
    // Per address, not per connection.
    auto other = harness.connect();
    BOOST_TEST((registerStatus(*other, "user4") == AuthStatus::RegistrationLimited));
    // The refused names were not created.
    BOOST_TEST((loginStatus(*other, "user3") == AuthStatus::BadCredentials));
}

BOOST_AUTO_TEST_CASE(connections_per_address_are_limited) {
    EngineHarness harness([](server::ServerConfig& c) { c.limits.connectionsPerAddress = 3; });
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(harness.connect());
        const auto id = clients.back()->send(proto::Ping{});
        BOOST_TEST(clients.back()->waitFor<proto::Pong>(10s, [id](const proto::Header& h, const proto::Pong&) {
            return h.messageId == id;
        }).has_value());
    }
    auto fourth = harness.connect();
    const auto error = waitError(*fourth, proto::ErrorCode::TooManyConnections);
    BOOST_REQUIRE(error);
    BOOST_TEST(!error->body.text.empty());
    BOOST_TEST(fourth->waitClosed());

    // The slot comes back once a connection closes.
    clients.front().reset();
    bool admitted = false;
    for (int attempt = 0; attempt < 100 && !admitted; ++attempt) {
        auto next = harness.connect();
        next->send(proto::Ping{});
        admitted = next->waitFor<proto::Pong>(2s).has_value();
        if (!admitted) std::this_thread::sleep_for(20ms);
    }
    BOOST_TEST(admitted);
}

BOOST_AUTO_TEST_SUITE_END()
