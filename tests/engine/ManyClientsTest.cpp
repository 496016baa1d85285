// Many clients at once: 200 users in a ring, each sending to its neighbour
// while receiving from the other one. Every message must arrive exactly once,
// in per-sender order, and every sender must hear ACK Delivered for all of it.
#include "tests/engine/EngineHarness.h"

#include "platform/LoopThread.h"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace parley;
using namespace parley::test;

BOOST_AUTO_TEST_SUITE(many_clients)

BOOST_AUTO_TEST_CASE(two_hundred_clients_in_a_ring_lose_nothing) {
    constexpr std::size_t kClients = 200;
    constexpr std::size_t kMessages = 50;
    EngineHarness harness;

    // The clients share two loops: 200 connections, not 200 threads.
    net::LoopThread loopA;
    net::LoopThread loopB;
    net::Reactor* loops[] = {&loopA.start(), &loopB.start()};

    std::vector<std::unique_ptr<TestClient>> clients;
    for (std::size_t i = 0; i < kClients; ++i) {
        clients.push_back(harness.connect(loops[i % 2]));
        clients.back()->setAutoAck(true);
        clients.back()->send(proto::Register{"user" + std::to_string(i), kPassword, "User " + std::to_string(i)});
    }
    for (auto& client : clients) {
        const auto result = client->waitFor<proto::RegisterResult>(30s);
        BOOST_REQUIRE(result);
        BOOST_REQUIRE((result->body.status == proto::AuthStatus::Ok));
    }
    std::vector<proto::UserId> ids;
    for (std::size_t i = 0; i < kClients; ++i) {
        const auto result = clients[i]->login("user" + std::to_string(i), kPassword, 30s);
        BOOST_REQUIRE(result);
        BOOST_REQUIRE((result->body.status == proto::AuthStatus::Ok));
        ids.push_back(result->body.userId);
    }
    BOOST_TEST(clients.back()->contacts().size() == kClients - 1);
    BOOST_TEST(harness.server().stats().usersOnline == kClients);

    // Everyone sends to the next one round by round, so all conversations run at once.
    std::vector<std::vector<proto::MessageId>> sent(kClients);
    for (std::size_t round = 0; round < kMessages; ++round) {
        for (std::size_t i = 0; i < kClients; ++i) {
            const std::size_t to = (i + 1) % kClients;
            sent[i].push_back(clients[i]->sendChat(ids[to], "m" + std::to_string(round) + " from " + std::to_string(i)));
        }
    }

    std::size_t lost = 0;
    std::size_t duplicated = 0;
    std::size_t reordered = 0;
    std::size_t strangers = 0;
    for (std::size_t i = 0; i < kClients; ++i) {
        const std::size_t from = (i + kClients - 1) % kClients;
        const auto chats = waitChats(*clients[i], kMessages, 20s);
        // Anything extra that is already queued counts as a duplicate too.
        const auto extra = waitChats(*clients[i], 1, 0ms);
        std::vector<proto::MessageId> got;
        for (const auto* list : {&chats, &extra}) {
            for (const auto& chat : *list) {
                if (chat.header.source != ids[from]) ++strangers;
                else got.push_back(chat.header.messageId);
            }
        }
        const std::set<proto::MessageId> unique(got.begin(), got.end());
        duplicated += got.size() - unique.size();
        for (const auto id : sent[from]) lost += unique.count(id) == 0 ? 1 : 0;
        for (std::size_t k = 1; k < got.size(); ++k) reordered += got[k] < got[k - 1] ? 1 : 0;
    }
    BOOST_TEST(lost == 0u);
    BOOST_TEST(duplicated == 0u);
    BOOST_TEST(reordered == 0u);
    BOOST_TEST(strangers == 0u);

    // Every sender hears that its last message (and so all before it) was delivered.
    std::size_t unconfirmed = 0;
    for (std::size_t i = 0; i < kClients; ++i) {
        const auto to = ids[(i + 1) % kClients];
        if (!waitAck(*clients[i], proto::AckKind::Delivered, to, sent[i].back(), 20s)) ++unconfirmed;
    }
    BOOST_TEST(unconfirmed == 0u);
    for (const auto& client : clients) BOOST_TEST(client->decodeErrors().empty());

    clients.clear();  // before the loops they run on
}

BOOST_AUTO_TEST_SUITE_END()
