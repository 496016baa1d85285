// Read receipts (ACK Read) over real sockets: relayed live to an online sender
// (same loop and across loops), stored for an offline one (also over a server
// restart) and sent after its next post-login CONTACTS, never amplified
// (docs/protocol.md 9.2, 9.7).
#include "tests/server-gui/engine/EngineHarness.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace parley;
using namespace parley::test;
using proto::AckKind;
using proto::ErrorCode;

namespace {

// The upTo of every ACK Read from `reader` the client has received (all of history).
std::vector<proto::MessageId> readsFrom(const TestClient& client, proto::UserId reader) {
    std::vector<proto::MessageId> upTo;
    for (const auto& m : client.history()) {
        const auto* ack = std::get_if<proto::Ack>(&m.body);
        if (ack && ack->kind == AckKind::Read && m.header.source == reader) upTo.push_back(ack->upTo);
    }
    return upTo;
}

void sendRead(TestClient& reader, proto::UserId sender, proto::MessageId upTo) {
    reader.send(proto::Ack{AckKind::Read, upTo}, sender);
}

// A PING round trip on each client: what the frames before it caused has arrived.
void roundTrip(TestClient& client) {
    const auto ping = client.send(proto::Ping{});
    BOOST_REQUIRE(client.waitFor<proto::Pong>(
        10s, [ping](const proto::Header& h, const proto::Pong&) { return h.messageId == ping; }));
}

// alice sends bob one message and bob has it; returns its id.
proto::MessageId chatAndReceive(TestClient& alice, TestClient& bob) {
    const auto id = alice.sendChat(bob.userId(), "did you read this?");
    BOOST_REQUIRE(
        bob.waitFor<proto::Chat>(10s, [id](const proto::Header& h, const proto::Chat&) { return h.messageId == id; }));
    bob.ackReceived(alice.userId(), id);
    return id;
}

std::function<void(server::ServerConfig&)> ioThreads(unsigned threads) {
    return [threads](server::ServerConfig& c) { c.threads = threads; };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(read_receipts)

BOOST_AUTO_TEST_CASE(a_read_reaches_the_online_sender_once_per_higher_up_to) {
    // One I/O loop: the sender's session is on the reader's loop; two: most
    // likely on the other, through the relay.
    for (const unsigned threads : {1u, 2u}) {
        BOOST_TEST_CONTEXT("threads " << threads) {
            EngineHarness harness(ioThreads(threads));
            harness.registerUser("alice");
            harness.registerUser("bob");
            auto alice = harness.login("alice");
            auto bob = harness.login("bob");
            const auto id = chatAndReceive(*alice, *bob);
            BOOST_REQUIRE(waitAck(*alice, AckKind::Delivered, bob->userId(), id));

            sendRead(*bob, alice->userId(), id);
            const auto read = waitAck(*alice, AckKind::Read, bob->userId(), id);
            BOOST_REQUIRE(read);
            BOOST_TEST(read->body.upTo == id);
            BOOST_TEST(read->header.source == bob->userId());
            BOOST_TEST(read->header.destination == alice->userId());

            // Repeated and lower: nothing out. Higher: one out.
            for (int i = 0; i < 50; ++i) sendRead(*bob, alice->userId(), id);
            sendRead(*bob, alice->userId(), id - 1);
            sendRead(*bob, alice->userId(), id + 1);
            BOOST_REQUIRE(waitAck(*alice, AckKind::Read, bob->userId(), id + 1));
            roundTrip(*bob);
            roundTrip(*alice);
            BOOST_TEST(readsFrom(*alice, bob->userId()) == (std::vector<proto::MessageId>{id, id + 1}),
                       boost::test_tools::per_element());
            // The reader hears nothing back; the receipt changed no delivery state.
            BOOST_TEST(readsFrom(*bob, alice->userId()).empty());
            BOOST_TEST(!bob->isClosed());
        }
    }
}

BOOST_AUTO_TEST_CASE(a_read_about_a_peer_that_never_wrote_is_harmless) {
    EngineHarness harness;
    harness.registerUser("alice");
    harness.registerUser("carol");
    auto alice = harness.login("alice");
    auto carol = harness.login("carol");
    sendRead(*carol, alice->userId(), 12345);  // carol never got anything from alice
    BOOST_REQUIRE(waitAck(*alice, AckKind::Read, carol->userId(), 12345));
    roundTrip(*carol);
    BOOST_TEST(!carol->isClosed());
}

BOOST_AUTO_TEST_CASE(a_read_for_no_user_or_oneself_is_refused_and_the_connection_stays) {
    EngineHarness harness;
    harness.registerUser("alice");
    auto alice = harness.login("alice");
    for (const proto::UserId to : {proto::kServerId, alice->userId(), proto::UserId{4242}}) {
        BOOST_TEST_CONTEXT("destination " << to) {
            sendRead(*alice, to, 1);
            const auto error = waitError(*alice, ErrorCode::UnknownDestination);
            BOOST_REQUIRE(error);
            BOOST_TEST(error->body.refType == static_cast<std::uint8_t>(proto::MessageType::Ack));
        }
    }
    roundTrip(*alice);
    BOOST_TEST(readsFrom(*alice, alice->userId()).empty());
}

BOOST_AUTO_TEST_CASE(a_read_for_an_offline_sender_is_stored_and_comes_after_contacts_at_its_next_login) {
    EngineHarness harness;
    const auto aliceId = harness.registerUser("alice");
    const auto bobId = harness.registerUser("bob");
    const auto carolId = harness.registerUser("carol");
    auto alice = harness.login("alice");
    auto bob = harness.login("bob");
    auto carol = harness.login("carol");
    const auto fromBob = chatAndReceive(*alice, *bob);
    const auto fromCarol = chatAndReceive(*alice, *carol);
    alice->close();
    BOOST_REQUIRE(waitPresence(*bob, aliceId, proto::PresenceState::Offline));
    BOOST_REQUIRE(waitPresence(*carol, aliceId, proto::PresenceState::Offline));

    // One row per (sender, reader) with the highest upTo.
    sendRead(*bob, aliceId, fromBob - 1);
    sendRead(*bob, aliceId, fromBob);
    sendRead(*bob, aliceId, fromBob - 2);
    sendRead(*carol, aliceId, fromCarol);
    roundTrip(*bob);
    roundTrip(*carol);

    // The server stops (its store finishes the queued writes) and starts again.
    bob.reset();
    carol.reset();
    harness.restart();

    alice = harness.login("alice");  // LOGIN_RESULT and every CONTACTS page
    BOOST_REQUIRE(waitAck(*alice, AckKind::Read, bobId, fromBob));
    BOOST_REQUIRE(waitAck(*alice, AckKind::Read, carolId, fromCarol));
    roundTrip(*alice);
    BOOST_TEST(readsFrom(*alice, bobId) == (std::vector<proto::MessageId>{fromBob}), boost::test_tools::per_element());
    BOOST_TEST(readsFrom(*alice, carolId) == (std::vector<proto::MessageId>{fromCarol}),
               boost::test_tools::per_element());

    // After the last CONTACTS page: the client knows both readers by then.
    const auto history = alice->history();
    const auto isRead = [](const proto::Message& m) {
        const auto* ack = std::get_if<proto::Ack>(&m.body);
        return ack != nullptr && ack->kind == AckKind::Read;
    };
    const auto isLastContacts = [](const proto::Message& m) {
        const auto* page = std::get_if<proto::Contacts>(&m.body);
        return page != nullptr && page->last;
    };
    const auto firstRead = std::find_if(history.begin(), history.end(), isRead);
    const auto lastContacts = std::find_if(history.begin(), history.end(), isLastContacts);
    BOOST_REQUIRE(lastContacts != history.end());
    BOOST_TEST((lastContacts < firstRead));

    // Delivered, then deleted: the next login brings none.
    alice->close();
    alice = harness.login("alice");
    roundTrip(*alice);
    BOOST_TEST(alice->expectNothing(300ms, isRead));
}

BOOST_AUTO_TEST_CASE(a_read_for_an_offline_sender_waits_for_it_without_a_restart) {
    EngineHarness harness;
    const auto aliceId = harness.registerUser("alice");
    const auto bobId = harness.registerUser("bob");
    auto alice = harness.login("alice");
    auto bob = harness.login("bob");
    const auto id = chatAndReceive(*alice, *bob);
    alice->close();
    BOOST_REQUIRE(waitPresence(*bob, aliceId, proto::PresenceState::Offline));
    sendRead(*bob, aliceId, id);
    roundTrip(*bob);
    // bob is still online: the stored receipt comes, and bob's next Read goes live.
    alice = harness.login("alice");
    BOOST_REQUIRE(waitAck(*alice, AckKind::Read, bobId, id));
    sendRead(*bob, aliceId, id + 1);
    BOOST_REQUIRE(waitAck(*alice, AckKind::Read, bobId, id + 1));
    roundTrip(*alice);
    BOOST_TEST(readsFrom(*alice, bobId) == (std::vector<proto::MessageId>{id, id + 1}),
               boost::test_tools::per_element());
}

// ACK Read is a control frame: a stream of them is slowed like PING, nothing lost.
BOOST_AUTO_TEST_CASE(reads_past_the_control_rate_are_slowed_not_dropped) {
    EngineHarness harness([](server::ServerConfig& config) {
        config.limits.controlFramesPerSecond = 200;
        config.limits.controlFrameBurst = 50;
    });
    harness.registerUser("alice");
    harness.registerUser("bob");
    auto alice = harness.login("alice");
    auto bob = harness.login("bob");
    constexpr proto::MessageId kReads = 150;
    for (proto::MessageId upTo = 1; upTo <= kReads; ++upTo) sendRead(*bob, alice->userId(), upTo);
    BOOST_TEST(waitError(*bob, ErrorCode::RateLimited).has_value());
    BOOST_REQUIRE(waitAck(*alice, AckKind::Read, bob->userId(), kReads));
    roundTrip(*alice);
    BOOST_TEST(readsFrom(*alice, bob->userId()).size() == kReads);
    BOOST_TEST(!bob->isClosed());
}

BOOST_AUTO_TEST_SUITE_END()
