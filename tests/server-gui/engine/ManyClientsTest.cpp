// Many clients at once: 200 users in a ring, each sending to its neighbour
// while receiving from the other one. Every message must arrive exactly once,
// in per-sender order, and every sender must hear ACK Delivered for all of it.
// And a login storm: 300 users logging in together must each end with a
// contact list (paged) and presence that are right.
#include "tests/server-gui/engine/EngineHarness.h"

#include "platform/LoopThread.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <thread>
#include <utility>

using namespace parley;
using namespace parley::test;

namespace {

/// `count` clients on `loops` (shared: connections, not threads), each having
/// registered "<prefix><i>" with `displayName(i)`, the registrations all sent
/// before any answer is awaited.
std::vector<std::unique_ptr<TestClient>> registerClients(EngineHarness& harness, net::Reactor* const (&loops)[2],
                                                         std::size_t count, const std::string& prefix,
                                                         const std::function<std::string(std::size_t)>& displayName) {
    std::vector<std::unique_ptr<TestClient>> clients;
    for (std::size_t i = 0; i < count; ++i) {
        clients.push_back(harness.connect(loops[i % 2]));
        clients.back()->send(proto::Register{prefix + std::to_string(i), kPassword, displayName(i)});
    }
    for (auto& client : clients) {
        const auto result = client->waitFor<proto::RegisterResult>(30s);
        BOOST_REQUIRE(result);
        BOOST_REQUIRE((result->body.status == proto::AuthStatus::Ok));
    }
    return clients;
}

// Every client registers and logs in at once from 127.0.0.1: the hashing queue
// takes them all (by default a storm beyond 64 is answered Throttled, tested in
// AuthFlowTest), and the address is not throttled for the logins in flight (each
// counts as a failure until its password is checked).
void allAtOnce(server::ServerConfig& c) {
    c.limits.hashQueue = 1000;
    c.limits.login.perAddress = 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(many_clients)

BOOST_AUTO_TEST_CASE(two_hundred_clients_in_a_ring_lose_nothing) {
    constexpr std::size_t kClients = 200;
    constexpr std::size_t kMessages = 50;
    EngineHarness harness(allAtOnce);

    // The clients share two loops: 200 connections, not 200 threads.
    net::LoopThread loopA;
    net::LoopThread loopB;
    net::Reactor* loops[] = {&loopA.start(), &loopB.start()};

    auto clients =
        registerClients(harness, loops, kClients, "user", [](std::size_t i) { return "User " + std::to_string(i); });
    for (auto& client : clients) client->setAutoAck(true);
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
            sent[i].push_back(
                clients[i]->sendChat(ids[to], "m" + std::to_string(round) + " from " + std::to_string(i)));
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

namespace {

/// What a client shows from everything it received, folded as ClientSession
/// does: CONTACTS pages replace the list at the last page, PRESENCE updates it
/// (and the pages still coming in).
std::map<proto::UserId, proto::PresenceState> contactView(const std::vector<proto::Message>& history) {
    std::map<proto::UserId, proto::PresenceState> view;
    std::map<proto::UserId, proto::PresenceState> paging;
    for (const proto::Message& m : history) {
        if (const auto* page = std::get_if<proto::Contacts>(&m.body)) {
            for (const proto::Contact& c : page->contacts) paging[c.userId] = c.state;
            if (page->last) view = std::exchange(paging, {});
        } else if (const auto* p = std::get_if<proto::Presence>(&m.body)) {
            view[p->contact.userId] = p->contact.state;
            if (auto it = paging.find(p->contact.userId); it != paging.end()) it->second = p->contact.state;
        }
    }
    return view;
}

std::size_t countOnline(const std::map<proto::UserId, proto::PresenceState>& view) {
    std::size_t n = 0;
    for (const auto& entry : view) n += entry.second == proto::PresenceState::Online ? 1 : 0;
    return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_login_storm_leaves_every_contact_list_and_presence_right) {
    // More than one CONTACTS page (256 entries), and with these display names
    // more than the server puts out at once (16 KiB): the rest follows as the
    // socket drains.
    constexpr std::size_t kClients = 300;
    const auto displayName = [](std::size_t i) {
        return "Storm user " + std::to_string(1000 + i) + " of the login storm, a long name";
    };
    EngineHarness harness(allAtOnce);
    net::LoopThread loopA;
    net::LoopThread loopB;
    net::Reactor* loops[] = {&loopA.start(), &loopB.start()};

    auto clients = registerClients(harness, loops, kClients, "storm", displayName);
    // Everyone logs in at once: presence of up to 299 others arrives while the
    // lists are paged out.
    for (std::size_t i = 0; i < kClients; ++i) clients[i]->send(proto::Login{"storm" + std::to_string(i), kPassword});
    std::vector<proto::UserId> ids;
    for (auto& client : clients) {
        const auto result = client->waitFor<proto::LoginResult>(30s);
        BOOST_REQUIRE(result);
        BOOST_REQUIRE((result->body.status == proto::AuthStatus::Ok));
        ids.push_back(result->body.userId);
    }

    const auto everyoneSees = [&](std::size_t online, std::size_t upTo) {
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        for (std::size_t i = 0; i < upTo; ++i) {
            while (countOnline(contactView(clients[i]->history())) != online) {
                if (std::chrono::steady_clock::now() > deadline) return false;
                std::this_thread::sleep_for(10ms);
            }
        }
        return true;
    };
    BOOST_TEST(everyoneSees(kClients - 1, kClients));

    std::size_t multiPage = 0;
    std::size_t aboutThemselves = 0;
    for (std::size_t i = 0; i < kClients; ++i) {
        const auto history = clients[i]->history();
        const auto view = contactView(history);
        // Every other user once, never the client itself (protocol: CONTACTS, PRESENCE).
        BOOST_TEST(view.size() == kClients - 1);
        BOOST_TEST(view.count(ids[i]) == 0u);
        std::size_t pages = 0;
        for (const auto& m : history) {
            pages += std::holds_alternative<proto::Contacts>(m.body) ? 1 : 0;
            if (const auto* p = std::get_if<proto::Presence>(&m.body)) aboutThemselves += p->contact.userId == ids[i];
        }
        multiPage += pages > 1 ? 1 : 0;
    }
    BOOST_TEST(multiPage == kClients);
    BOOST_TEST(aboutThemselves == 0u);

    // The second half leaves at once; the first half sees exactly them go.
    for (std::size_t i = kClients / 2; i < kClients; ++i) clients[i]->send(proto::Logout{});
    for (std::size_t i = kClients / 2; i < kClients; ++i) BOOST_TEST(clients[i]->waitClosed());
    BOOST_TEST(everyoneSees(kClients / 2 - 1, kClients / 2));
    for (std::size_t i = 0; i < kClients / 2; ++i) {
        const auto view = contactView(clients[i]->history());
        for (std::size_t k = 0; k < kClients; ++k) {
            if (k == i) continue;
            const auto expected = k < kClients / 2 ? proto::PresenceState::Online : proto::PresenceState::Offline;
            BOOST_TEST((view.at(ids[k]) == expected));
        }
    }
    for (const auto& client : clients) BOOST_TEST(client->decodeErrors().empty());
    clients.clear();  // before the loops they run on
}

BOOST_AUTO_TEST_SUITE_END()
