// Every resource a peer can make the server hold has a bound (issue 14,
// docs/architecture.md "Bounds"): output per connection (read pause, slow
// consumer, hard limit), input before login, ACK amplification, control-frame
// rates, idle = no complete frame. Real server, real sockets, both backends.
#include "tests/server-gui/engine/EngineHarness.h"
#include "tests/server-gui/engine/ManualClock.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <thread>
#include <vector>

using namespace parley;
using namespace parley::test;
using proto::AckKind;
using proto::ErrorCode;

namespace {

// `count` copies of `frame` back to back.
std::string repeated(const std::string& frame, std::size_t count) {
    std::string out;
    out.reserve(frame.size() * count);
    for (std::size_t i = 0; i < count; ++i) out += frame;
    return out;
}

bool waitLog(const EngineHarness& harness, const std::string& fragment, std::chrono::milliseconds timeout = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (harness.log().contains(fragment)) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

std::size_t countAcks(const TestClient& client, AckKind kind) {
    std::size_t count = 0;
    for (const auto& message : client.history()) {
        if (const auto* ack = std::get_if<proto::Ack>(&message.body); ack && ack->kind == kind) ++count;
    }
    return count;
}

std::size_t countErrors(const TestClient& client, ErrorCode code) {
    std::size_t count = 0;
    for (const auto& message : client.history()) {
        if (const auto* error = std::get_if<proto::Error>(&message.body); error && error->code == code) ++count;
    }
    return count;
}

// Small output bounds, no control-rate limit in the way (unless a test sets one).
void smallOutputBounds(server::ServerConfig& config) {
    auto& limits = config.limits;
    limits.outputHighWater = 64 * 1024;
    limits.outputLowWater = 16 * 1024;
    limits.outputLimit = 1024 * 1024;
    limits.preLoginOutputHighWater = 16 * 1024;
    limits.preLoginOutputLowWater = 4 * 1024;
    limits.preLoginOutputLimit = 256 * 1024;
    limits.slowConsumerMs = 500;
    limits.controlFramesPerSecond = 1e7;
    limits.controlFrameBurst = 1e7;
    limits.messagesPerSecond = 1e6;
    limits.messageBurst = 1e6;
}

// Alice → bob chat, acked: the server still serves everyone else.
void checkChatWorks(EngineHarness& harness, const std::string& from, const std::string& to) {
    auto sender = harness.login(from);
    auto receiver = harness.login(to, EngineHarness::Acks::Auto);
    const auto id = sender->sendChat(receiver->userId(), "still here?");
    BOOST_TEST(waitAck(*sender, AckKind::Delivered, receiver->userId(), id).has_value());
}

// A PING flood the size of many times every kernel buffer on the way.
constexpr std::size_t kFloodPings = 800'000;  // 22 MB of PING, as much PONG

}  // namespace

BOOST_AUTO_TEST_SUITE(output_bounds)

// Finding 1, the remote crash: PINGs from a reader that never reads. The
// server stops reading from it above the high-water mark and closes it as a
// slow consumer; before the fix its output grew until the process aborted.
BOOST_AUTO_TEST_CASE(a_ping_flood_that_never_reads_is_closed_as_a_slow_consumer) {
    EngineHarness harness(smallOutputBounds);
    harness.registerUser("mallory");
    harness.registerUser("alice");
    harness.registerUser("bob");
    auto mallory = harness.login("mallory");
    mallory->pauseReading();
    mallory->sendRaw(repeated(encodeFrame(proto::Header{}, proto::Ping{}), kFloodPings));
    BOOST_TEST(waitLog(harness, "closed as a slow consumer"));
    checkChatWorks(harness, "alice", "bob");
}

// The same before login (smaller marks): closed long before the login timeout.
BOOST_AUTO_TEST_CASE(a_ping_flood_before_login_is_closed_as_a_slow_consumer) {
    EngineHarness harness(smallOutputBounds);
    harness.registerUser("alice");
    harness.registerUser("bob");
    auto flooder = harness.connect();
    flooder->pauseReading();
    flooder->sendRaw(repeated(encodeFrame(proto::Header{}, proto::Ping{}), kFloodPings));
    BOOST_TEST(waitLog(harness, "closed as a slow consumer"));
    checkChatWorks(harness, "alice", "bob");
}

// Finding 3: ROOM to a stalled reader. Its output reaches the hard limit and
// it is closed at once (the slow-consumer time is out of reach here).
BOOST_AUTO_TEST_CASE(room_fan_out_to_a_stalled_reader_stops_at_the_output_limit) {
    EngineHarness harness([](server::ServerConfig& config) {
        smallOutputBounds(config);
        config.limits.slowConsumerMs = 600'000;
    });
    for (const char* name : {"alice", "stalled", "carol", "dave"}) harness.registerUser(name);
    auto stalled = harness.login("stalled");
    stalled->pauseReading();
    auto alice = harness.login("alice");
    const std::string text(16'000, 'r');
    proto::MessageId last = 0;
    for (int i = 0; i < 2000; ++i) last = alice->send(proto::Room{0, text});  // 32 MB to the stalled reader
    BOOST_TEST(waitLog(harness, "over its limit of 1048576"));
    BOOST_TEST(waitAck(*alice, AckKind::Broadcast, proto::kServerId, last, 30s).has_value());
    checkChatWorks(harness, "carol", "dave");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(ack_amplification)

// Finding 1, ACK Received aimed at another user: only what it newly confirms
// becomes an ACK Delivered; before the fix every one of them did.
BOOST_AUTO_TEST_CASE(ack_received_for_nothing_delivered_sends_no_ack_delivered) {
    EngineHarness harness;
    harness.registerUser("alice");
    harness.registerUser("bob");
    auto alice = harness.login("alice");
    auto bob = harness.login("bob");
    for (proto::MessageId upTo = 1; upTo <= 500; ++upTo) bob->ackReceived(alice->userId(), upTo);
    const auto id = alice->sendChat(bob->userId(), "one real message");
    BOOST_REQUIRE(bob->waitFor<proto::Chat>(10s).has_value());
    for (int i = 0; i < 100; ++i) bob->ackReceived(alice->userId(), id);  // the same ack, again and again
    BOOST_REQUIRE(waitAck(*alice, AckKind::Delivered, bob->userId(), id).has_value());
    // A PING after the acks: its PONG comes after any ACK Delivered they caused.
    const auto ping = bob->send(proto::Ping{});
    BOOST_REQUIRE(bob->waitFor<proto::Pong>(
        10s, [ping](const proto::Header& h, const proto::Pong&) { return h.messageId == ping; }));
    const auto alicePing = alice->send(proto::Ping{});
    BOOST_REQUIRE(alice->waitFor<proto::Pong>(
        10s, [alicePing](const proto::Header& h, const proto::Pong&) { return h.messageId == alicePing; }));
    BOOST_TEST(countAcks(*alice, AckKind::Delivered) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(control_rate)

// Finding 6: CONTACTS_QUERY costs tokens by the size of the list it asks for.
BOOST_AUTO_TEST_CASE(a_contacts_query_loop_is_slowed_then_cut) {
    EngineHarness harness([](server::ServerConfig& config) {
        config.limits.controlFramesPerSecond = 100;
        config.limits.controlFrameBurst = 100;
        config.limits.contactsPerControlToken = 1;
        config.limits.floodCutAfterMs = 300;
    });
    for (int i = 0; i < 20; ++i) harness.registerUser("user" + std::to_string(i));
    harness.registerUser("alice");
    harness.registerUser("bob");
    auto looper = harness.login("user0");  // a query costs 21 tokens: 4 fit in the burst
    const std::string query = encodeFrame(proto::Header{}, proto::ContactsQuery{});
    looper->sendRaw(repeated(query, 10));
    BOOST_REQUIRE(waitError(*looper, ErrorCode::RateLimited).has_value());
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!looper->isClosed() && std::chrono::steady_clock::now() < deadline) {
        looper->sendRaw(repeated(query, 10));
        std::this_thread::sleep_for(20ms);
    }
    BOOST_TEST(waitError(*looper, ErrorCode::Flooding).has_value());
    BOOST_TEST(looper->waitClosed());
    checkChatWorks(harness, "alice", "bob");
}

// PING is a control frame too: past the burst it is slowed, nothing dropped.
BOOST_AUTO_TEST_CASE(a_ping_burst_past_the_control_rate_is_slowed_not_dropped) {
    EngineHarness harness([](server::ServerConfig& config) {
        config.limits.controlFramesPerSecond = 200;
        config.limits.controlFrameBurst = 50;
    });
    harness.registerUser("alice");
    auto alice = harness.login("alice");
    std::vector<proto::MessageId> ids;
    for (int i = 0; i < 150; ++i) ids.push_back(alice->send(proto::Ping{}));
    BOOST_TEST(waitError(*alice, ErrorCode::RateLimited).has_value());
    for (const auto id : ids) {
        BOOST_REQUIRE(alice->waitFor<proto::Pong>(
            10s, [id](const proto::Header& h, const proto::Pong&) { return h.messageId == id; }));
    }
    BOOST_TEST(countErrors(*alice, ErrorCode::Flooding) == 0u);
    BOOST_TEST(!alice->isClosed());
}

// Frames that only earn an ERROR (CHAT before login, unknown types) are control
// frames too: a stream of them is slowed like any other.
BOOST_AUTO_TEST_CASE(refused_frames_before_login_count_against_the_control_rate) {
    EngineHarness harness([](server::ServerConfig& config) {
        config.limits.controlFramesPerSecond = 100;
        config.limits.controlFrameBurst = 20;
    });
    auto stranger = harness.connect();
    std::string frames = repeated(encodeFrame(proto::Header{}, proto::Chat{0, "not yet"}), 30);
    frames += repeated(rawHeader(static_cast<proto::MessageType>(0x7E), 0), 30);
    stranger->sendRaw(frames);
    BOOST_TEST(waitError(*stranger, ErrorCode::RateLimited).has_value());
    BOOST_TEST(waitError(*stranger, ErrorCode::UnsupportedType).has_value());  // slowed, still answered
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(input_bounds)

// Finding 7: bytes of a frame that never completes are not activity. Time passes on the
// engine's clock (ManualClock): a byte, then 100 ms, a byte, then 100 ms... The sweep's
// real timer only decides when it looks.
BOOST_AUTO_TEST_CASE(a_one_byte_trickle_is_closed_at_the_idle_timeout) {
    ManualClock clock;
    EngineHarness harness([](server::ServerConfig& config) { config.limits.idleTimeoutMs = 400; }, clock);
    harness.registerUser("alice");
    auto trickler = harness.login("alice");
    const std::string frame = rawHeader(proto::MessageType::Chat, 1000) + std::string(1000, 'x');
    std::size_t sent = 0;
    const auto trickle = [&](std::size_t bytes) {
        for (const std::size_t end = sent + bytes; sent < end; ++sent) {
            trickler->sendRaw(frame.substr(sent, 1));
            clock.advance(100ms);
        }
    };
    trickle(3);
    // 300 ms of 400 on the engine's clock: the sweeps that look meanwhile leave it open.
    BOOST_TEST(!waitError(*trickler, ErrorCode::IdleTimeout, 300ms).has_value());
    BOOST_TEST(!trickler->isClosed());
    trickle(2);
    // Closed while it was still trickling, well before its frame could complete.
    BOOST_TEST(waitError(*trickler, ErrorCode::IdleTimeout, 5s).has_value());
    BOOST_TEST(trickler->waitClosed());
}

// Finding 2: before login a frame may carry at most preLoginMaxPayload bytes.
BOOST_AUTO_TEST_CASE(a_large_frame_before_login_is_refused_at_its_header) {
    EngineHarness harness([](server::ServerConfig& config) { config.limits.preLoginMaxPayload = 4096; });
    auto atLimit = harness.connect();
    atLimit->sendRaw(rawHeader(proto::MessageType::Login, 4096));
    auto over = harness.connect();
    over->sendRaw(rawHeader(proto::MessageType::Login, 4097));
    BOOST_TEST(waitError(*over, ErrorCode::PayloadTooLarge).has_value());
    BOOST_TEST(over->waitClosed());
    BOOST_TEST(atLimit->expectNothing(300ms));  // still waiting for its payload
    BOOST_TEST(!atLimit->isClosed());
}

// Finding 2: the partial frames of all unauthenticated connections share one
// budget; a connection whose partial data would pass it is closed.
BOOST_AUTO_TEST_CASE(partial_frames_before_login_share_one_budget) {
    constexpr std::size_t kBudget = 40'000;
    constexpr std::size_t kHeld = proto::kHeaderSize + 3000;  // per connection
    EngineHarness harness([](server::ServerConfig& config) { config.limits.preLoginInputBudget = kBudget; });
    harness.registerUser("alice");
    harness.registerUser("bob");
    std::vector<std::unique_ptr<TestClient>> holders;
    for (int i = 0; i < 20; ++i) {
        holders.push_back(harness.connect());
        holders.back()->sendRaw(rawHeader(proto::MessageType::Login, 4000) + std::string(3000, 'p'));
    }
    std::size_t refused = 0;
    for (auto& holder : holders) {
        if (waitError(*holder, ErrorCode::ServerUnavailable, 500ms)) {
            BOOST_TEST(holder->waitClosed());
            ++refused;
        }
    }
    BOOST_TEST(refused >= 20 - kBudget / kHeld);
    BOOST_TEST(refused < 20u);
    // Whole frames hold nothing: logging in still works.
    checkChatWorks(harness, "alice", "bob");
}

BOOST_AUTO_TEST_SUITE_END()
