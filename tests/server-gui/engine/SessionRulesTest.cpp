// Connection-level rules: what is allowed before login, keepalive and
// timeouts, malformed input (closes only the sender), operator actions.
#include "tests/server-gui/engine/EngineHarness.h"
#include "tests/server-gui/engine/ManualClock.h"

#include "shared/proto/Codec.h"

#include <boost/test/unit_test.hpp>

using namespace parley;
using namespace parley::test;
using proto::ErrorCode;

namespace {

// A CHAT frame whose text field holds `text` as given (no UTF-8 check).
std::string rawChat(proto::UserId to, proto::MessageId id, const std::string& text) {
    proto::Header header;
    header.type = static_cast<std::uint8_t>(proto::MessageType::Chat);
    header.destination = to;
    header.messageId = id;
    std::string payload(8, '\0');  // timestampMs
    payload += static_cast<char>(text.size() >> 8);
    payload += static_cast<char>(text.size() & 0xFF);
    payload += text;
    header.payloadLength = static_cast<std::uint32_t>(payload.size());
    std::string frame(proto::kHeaderSize, '\0');
    proto::encodeHeader(header, reinterpret_cast<std::uint8_t*>(frame.data()));
    return frame + payload;
}

bool pingPong(TestClient& client) {
    const auto id = client.send(proto::Ping{});
    return client
        .waitFor<proto::Pong>(10s, [id](const proto::Header& h, const proto::Pong&) { return h.messageId == id; })
        .has_value();
}

// Two logged-in users for "does the rest still work" checks.
struct Bystanders {
    explicit Bystanders(EngineHarness& harness)
        : aliceId(harness.registerUser("alice")),
          bobId(harness.registerUser("bob")),
          alice(harness.login("alice")),
          bob(harness.login("bob")) {}

    void checkChatWorks() {
        const auto id = alice->sendChat(bobId, "still here?");
        const auto chat = bob->waitFor<proto::Chat>(
            10s, [id](const proto::Header& h, const proto::Chat&) { return h.messageId == id; });
        BOOST_TEST(chat.has_value());
        BOOST_TEST(!alice->isClosed());
        BOOST_TEST(!bob->isClosed());
    }

    proto::UserId aliceId;
    proto::UserId bobId;
    std::unique_ptr<TestClient> alice;
    std::unique_ptr<TestClient> bob;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(before_login)

BOOST_AUTO_TEST_CASE(only_register_login_ping_are_accepted) {
    EngineHarness harness;
    const auto bobId = harness.registerUser("bob");
    auto client = harness.connect();

    const auto chatId = client->sendChat(bobId, "hi");
    const auto error = waitError(*client, ErrorCode::NotAuthenticated);
    BOOST_REQUIRE(error);
    BOOST_TEST(error->header.messageId == chatId);
    BOOST_TEST(error->body.refType == static_cast<std::uint8_t>(proto::MessageType::Chat));

    const auto queryId = client->send(proto::ContactsQuery{});
    const auto queryError = waitError(*client, ErrorCode::NotAuthenticated);
    BOOST_REQUIRE(queryError);
    BOOST_TEST(queryError->header.messageId == queryId);

    client->send(proto::Ack{proto::AckKind::Received, 1}, bobId);
    BOOST_TEST(waitError(*client, ErrorCode::NotAuthenticated).has_value());

    // Refused frames are dropped, the connection stays.
    BOOST_TEST(pingPong(*client));
    BOOST_TEST(!client->isClosed());
    BOOST_TEST((loginStatus(*client, "bob") == proto::AuthStatus::Ok));
}

// LOGOUT is not one of the frames allowed before login (protocol section 7):
// NotAuthenticated, and the connection stays. An ERROR is taken but never
// answered with one; a closing ERROR makes the server close too (section 8).
BOOST_AUTO_TEST_CASE(logout_and_errors_before_login_follow_the_error_rules) {
    EngineHarness harness;
    harness.registerUser("alice");
    auto client = harness.connect();
    const auto logoutId = client->send(proto::Logout{});
    const auto refused = waitError(*client, ErrorCode::NotAuthenticated);
    BOOST_REQUIRE(refused);
    BOOST_TEST(refused->header.messageId == logoutId);
    BOOST_TEST(refused->body.refType == static_cast<std::uint8_t>(proto::MessageType::Logout));

    client->send(proto::Error{ErrorCode::UnsupportedType, 0x7E, "type 126 is not supported"});
    BOOST_TEST(client->expectNothing(
        300ms, [](const proto::Message& m) { return std::holds_alternative<proto::Error>(m.body); }));
    BOOST_TEST(pingPong(*client));

    client->send(proto::Error{ErrorCode::MalformedPayload, 0x31, "bad PONG"});
    BOOST_TEST(client->waitClosed(10s));
    // A malformed ERROR is not answered with an ERROR either: the connection just closes.
    auto broken = harness.connect();
    proto::Header header;
    header.type = static_cast<std::uint8_t>(proto::MessageType::Error);
    header.payloadLength = 1;  // the code alone needs 2 bytes
    std::string frame(proto::kHeaderSize, '\0');
    proto::encodeHeader(header, reinterpret_cast<std::uint8_t*>(frame.data()));
    broken->sendRaw(frame + "x");
    BOOST_TEST(broken->waitClosed(10s));
    BOOST_TEST(broken->expectNothing(
        0ms, [](const proto::Message& m) { return std::holds_alternative<proto::Error>(m.body); }));
    BOOST_TEST(harness.log().contains("reported an error: MalformedPayload bad PONG"));

    // Logged in, a closing ERROR ends the session as well; a non-closing one does not.
    auto alice = harness.login("alice");
    alice->send(proto::Error{ErrorCode::InvalidMessage, 0, "not for me"});
    BOOST_TEST(pingPong(*alice));
    alice->send(proto::Error{ErrorCode::IdleTimeout, 0, "the server said nothing"});
    BOOST_TEST(alice->waitClosed(10s));
}

BOOST_AUTO_TEST_CASE(ping_is_answered_with_the_same_id_before_and_after_login) {
    EngineHarness harness;
    harness.registerUser("alice");
    auto client = harness.connect();
    const auto before = client->send(proto::Ping{}, 0, 0xFEDCBA9876543210ULL);
    const auto pong = client->waitFor<proto::Pong>(10s);
    BOOST_REQUIRE(pong);
    BOOST_TEST(pong->header.messageId == before);
    BOOST_TEST(pong->header.source == proto::kServerId);

    client->login("alice", kPassword);
    const auto after = client->send(proto::Ping{});
    const auto pong2 = client->waitFor<proto::Pong>(10s);
    BOOST_REQUIRE(pong2);
    BOOST_TEST(pong2->header.messageId == after);
    // A PONG from the client needs no answer.
    client->send(proto::Pong{});
    BOOST_TEST(client->expectNothing(
        200ms, [](const proto::Message& m) { return !std::holds_alternative<proto::Presence>(m.body); }));
}

// On the engine's clock (ManualClock), as the idle case below: the sweep's real timer
// only decides when it looks.
BOOST_AUTO_TEST_CASE(login_timeout_closes_unauthenticated_connections_only) {
    ManualClock clock;
    EngineHarness harness([](server::ServerConfig& c) { c.limits.loginTimeoutMs = 300; }, clock);
    harness.registerUser("alice");
    auto loggedIn = harness.login("alice");
    auto waiting = harness.connect();
    BOOST_REQUIRE(pingPong(*waiting));  // pings are taken before login...
    clock.advance(200ms);
    // 200 ms of 300 on the engine's clock: the sweeps that look meanwhile (every 75 ms) leave it open.
    BOOST_TEST(!waitError(*waiting, ErrorCode::LoginTimeout, 300ms));
    BOOST_REQUIRE(pingPong(*waiting));
    clock.advance(200ms);  // 400 ms of 300 without a login: pings do not count as one
    const auto error = waitError(*waiting, ErrorCode::LoginTimeout, 5s);
    BOOST_REQUIRE(error);
    BOOST_TEST(error->header.messageId == 0u);
    BOOST_TEST(waiting->waitClosed());
    // The logged-in connection, accepted before `waiting`, outlives the login period.
    BOOST_TEST(pingPong(*loggedIn));
    BOOST_TEST(!loggedIn->isClosed());
}

// Time passes on the engine's clock only (ManualClock): the test moves it instead of
// sleeping through the timeout; the sweep's real timer only decides when it looks.
BOOST_AUTO_TEST_CASE(idle_connections_are_closed) {
    ManualClock clock;
    EngineHarness harness([](server::ServerConfig& c) { c.limits.idleTimeoutMs = 400; }, clock);
    harness.registerUser("alice");
    harness.registerUser("bob");
    auto silent = harness.login("alice");
    auto talker = harness.login("bob");
    clock.advance(300ms);
    BOOST_REQUIRE(pingPong(*talker));  // bob's last frame: 300 ms after both logged in
    BOOST_TEST(!silent->isClosed());   // not idle yet: the clock says 300 ms of 400
    clock.advance(200ms);              // alice: 500 ms without a frame; bob: 200 ms
    const auto error = waitError(*silent, ErrorCode::IdleTimeout, 5s);
    BOOST_REQUIRE(error);
    BOOST_TEST(silent->waitClosed());
    BOOST_TEST(pingPong(*talker));
    BOOST_TEST(!talker->isClosed());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(malformed_input)

BOOST_AUTO_TEST_CASE(bad_magic_closes_only_the_sender) {
    EngineHarness harness;
    Bystanders others(harness);
    auto bad = harness.connect();
    bad->sendRaw("GET / HTTP/1.1\r\nHost: parley\r\n\r\n");
    const auto error = waitError(*bad, ErrorCode::BadMagic);
    BOOST_REQUIRE(error);
    BOOST_TEST(bad->waitClosed());
    others.checkChatWorks();
}

BOOST_AUTO_TEST_CASE(bad_version_and_reserved_bits_close) {
    EngineHarness harness;
    auto client = harness.connect();
    std::string frame = encodeFrame(proto::Header{}, proto::Ping{});
    frame[2] = 2;  // version
    client->sendRaw(frame);
    BOOST_TEST(waitError(*client, ErrorCode::UnsupportedVersion).has_value());
    BOOST_TEST(client->waitClosed());

    auto other = harness.connect();
    frame = encodeFrame(proto::Header{}, proto::Ping{});
    frame[7] = 1;  // reserved
    other->sendRaw(frame);
    BOOST_TEST(waitError(*other, ErrorCode::MalformedPayload).has_value());
    BOOST_TEST(other->waitClosed());
}

BOOST_AUTO_TEST_CASE(oversized_header_is_refused_without_waiting_for_the_payload) {
    EngineHarness harness;
    Bystanders others(harness);
    proto::Header header;
    header.type = static_cast<std::uint8_t>(proto::MessageType::Chat);
    header.payloadLength = proto::kMaxPayload + 1;
    header.messageId = 777;
    std::string frame(proto::kHeaderSize, '\0');
    proto::encodeHeader(header, reinterpret_cast<std::uint8_t*>(frame.data()));
    others.alice->sendRaw(frame);  // only the header: the server must not wait for 1 MiB
    const auto error = waitError(*others.alice, ErrorCode::PayloadTooLarge);
    BOOST_REQUIRE(error);
    // protocol 8: refType is the header's type when known; ERROR names the frame.
    BOOST_TEST(error->body.refType == static_cast<std::uint8_t>(proto::MessageType::Chat));
    BOOST_TEST(error->header.messageId == 777u);
    BOOST_TEST(others.alice->waitClosed());
    BOOST_TEST(waitPresence(*others.bob, others.aliceId, proto::PresenceState::Offline));
    BOOST_TEST(pingPong(*others.bob));
}

BOOST_AUTO_TEST_CASE(invalid_utf8_and_truncated_payloads_close) {
    EngineHarness harness;
    Bystanders others(harness);
    harness.registerUser("carol");
    harness.registerUser("dave");

    auto carol = harness.login("carol");
    const auto badId = nextMessageId();
    carol->sendRaw(rawChat(others.bobId, badId, "bad \xC0\xAF utf-8"));
    const auto utf8 = waitError(*carol, ErrorCode::MalformedPayload);
    BOOST_REQUIRE(utf8);
    BOOST_TEST(utf8->body.refType == static_cast<std::uint8_t>(proto::MessageType::Chat));
    BOOST_TEST(utf8->header.messageId == badId);  // the offending frame's id
    BOOST_TEST(carol->waitClosed());

    auto dave = harness.login("dave");
    std::string truncated = rawChat(others.bobId, nextMessageId(), "hello");
    truncated[proto::kHeaderSize + 9] = 50;  // the text claims 50 bytes, 5 follow
    dave->sendRaw(truncated);
    BOOST_TEST(waitError(*dave, ErrorCode::MalformedPayload).has_value());
    BOOST_TEST(dave->waitClosed());

    // A payload with trailing bytes, before login.
    auto anon = harness.connect();
    proto::Header header;
    header.type = static_cast<std::uint8_t>(proto::MessageType::Ping);
    header.payloadLength = 1;
    std::string ping(proto::kHeaderSize, '\0');
    proto::encodeHeader(header, reinterpret_cast<std::uint8_t*>(ping.data()));
    anon->sendRaw(ping + "x");
    BOOST_TEST(waitError(*anon, ErrorCode::MalformedPayload).has_value());
    BOOST_TEST(anon->waitClosed());

    others.checkChatWorks();
    BOOST_TEST(others.bob->expectNothing(
        100ms, [](const proto::Message& m) { return std::holds_alternative<proto::Chat>(m.body); }));
}

BOOST_AUTO_TEST_CASE(unknown_type_is_skipped_and_the_connection_stays) {
    EngineHarness harness;
    harness.registerUser("alice");
    auto client = harness.connect();
    proto::Header header;
    header.type = 0x7E;
    header.messageId = 4242;
    header.payloadLength = 5;
    std::string frame(proto::kHeaderSize, '\0');
    proto::encodeHeader(header, reinterpret_cast<std::uint8_t*>(frame.data()));
    client->sendRaw(frame + "abcde");
    const auto error = waitError(*client, ErrorCode::UnsupportedType);
    BOOST_REQUIRE(error);
    BOOST_TEST(error->body.refType == 0x7E);
    BOOST_TEST(error->header.messageId == 4242u);
    BOOST_TEST(pingPong(*client));
    BOOST_TEST((loginStatus(*client, "alice") == proto::AuthStatus::Ok));
    client->sendRaw(frame + "abcde");
    BOOST_TEST(waitError(*client, ErrorCode::UnsupportedType).has_value());
    BOOST_TEST(pingPong(*client));
}

BOOST_AUTO_TEST_CASE(server_to_client_types_from_a_client_are_refused) {
    EngineHarness harness;
    harness.registerUser("alice");
    auto client = harness.login("alice");
    const auto id = client->send(proto::Presence{{1, proto::PresenceState::Online, "x", ""}});
    const auto error = waitError(*client, ErrorCode::InvalidMessage);
    BOOST_REQUIRE(error);
    BOOST_TEST(error->header.messageId == id);
    client->send(proto::Ack{proto::AckKind::Delivered, 1}, 1);
    BOOST_TEST(waitError(*client, ErrorCode::InvalidMessage).has_value());
    BOOST_TEST(pingPong(*client));
}

BOOST_AUTO_TEST_SUITE_END()

// docs/protocol.md 9.12: what the server does where the rules leave a choice.
BOOST_AUTO_TEST_SUITE(documented_cases)

BOOST_AUTO_TEST_CASE(server_made_frames_are_addressed_to_their_receiver) {
    EngineHarness harness;
    const auto aliceId = harness.registerUser("alice");
    auto client = harness.connect();
    client->send(proto::Ping{});
    const auto early = client->waitFor<proto::Pong>(10s);
    BOOST_REQUIRE(early);
    BOOST_TEST(early->header.destination == 0u);  // before login: nobody yet
    const auto result = client->login("alice", kPassword);
    BOOST_REQUIRE(result);
    BOOST_TEST(result->header.destination == aliceId);
    bool sawContacts = false;
    for (const auto& message : client->history()) {
        if (!std::holds_alternative<proto::Contacts>(message.body)) continue;
        sawContacts = true;
        BOOST_TEST(message.header.destination == aliceId);
    }
    BOOST_TEST(sawContacts);
    client->send(proto::Ack{proto::AckKind::Stored, 1}, aliceId);
    const auto queryError = waitError(*client, ErrorCode::InvalidMessage);
    BOOST_REQUIRE(queryError);  // clients acknowledge with Received or Read only
    BOOST_TEST(queryError->header.destination == aliceId);
    BOOST_TEST(queryError->body.refType == static_cast<std::uint8_t>(proto::MessageType::Ack));
}

BOOST_AUTO_TEST_CASE(room_with_a_destination_is_a_room_and_typing_to_nobody_is_dropped) {
    EngineHarness harness;
    Bystanders users(harness);
    const auto id = users.alice->send(proto::Room{0, "to everyone"}, users.bobId);
    const auto room = users.bob->waitFor<proto::Room>(10s);
    BOOST_REQUIRE(room);
    BOOST_TEST(room->header.destination == 0u);
    BOOST_TEST(room->header.messageId == id);
    BOOST_TEST(waitAck(*users.alice, proto::AckKind::Broadcast, proto::kServerId, id).has_value());

    for (const proto::UserId to : {proto::UserId{99999}, users.aliceId, proto::UserId{0}})
        users.alice->send(proto::Typing{true}, to);
    BOOST_TEST(pingPong(*users.alice));  // handled in order: the TYPINGs are behind us
    BOOST_TEST(users.alice->expectNothing(200ms, [](const proto::Message& m) {
        return std::holds_alternative<proto::Error>(m.body) || std::holds_alternative<proto::Typing>(m.body);
    }));
    BOOST_TEST(users.bob->expectNothing(
        0ms, [](const proto::Message& m) { return std::holds_alternative<proto::Typing>(m.body); }));
    users.checkChatWorks();
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(operator_actions)

BOOST_AUTO_TEST_CASE(kick_and_stop_tell_the_clients_why) {
    EngineHarness harness;
    Bystanders users(harness);
    BOOST_TEST(harness.server().onlineUsers().size() == 2u);
    BOOST_TEST(harness.server().kick(users.bobId, "bye"));
    const auto kicked = users.bob->waitFor<proto::Kicked>(10s);
    BOOST_REQUIRE(kicked);
    BOOST_TEST((kicked->body.reason == proto::KickReason::Operator));
    BOOST_TEST(users.bob->waitClosed());
    BOOST_TEST(waitPresence(*users.alice, users.bobId, proto::PresenceState::Offline));
    BOOST_TEST(!harness.server().kick(users.bobId));

    harness.server().stop();
    const auto shutdown = users.alice->waitFor<proto::Kicked>(10s);
    BOOST_REQUIRE(shutdown);
    BOOST_TEST((shutdown->body.reason == proto::KickReason::ServerShutdown));
    BOOST_TEST(users.alice->waitClosed());
    BOOST_TEST(!harness.server().running());
    BOOST_TEST(harness.server().port() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
