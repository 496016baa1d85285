// Three parley-server engines in one cluster (issue 21, docs/cluster-design.md): the real
// nats-server of scripts/nats-instance (TLS, one user per node), one fresh MariaDB database
// that every node shares, clients over TLS on 127.0.0.1. Cross-node chat with its STORED
// and DELIVERED acks, offline messages, presence, new accounts, a takeover across nodes,
// the room, typing, read receipts, a node that stops, and every refusal at start (the name
// taken, a SQLite database, NATS unreachable or refusing the node, a foreign publisher).

#include "server-gui/cluster/NatsCluster.h"
#include "server-gui/engine/ClusterPort.h"
#include "server-gui/engine/RemoteUsers.h"
#include "tests/db/TestDatabase.h"
#include "tests/server-gui/cluster/NatsInstance.h"
#include "tests/server-gui/cluster/TestClusterConfig.h"
#include "tests/server-gui/engine/EngineHarness.h"

#include "platform/tls/TlsContext.h"

#include <boost/test/results_collector.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <iostream>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>

using namespace parley;
using namespace parley::test;
using proto::AckKind;
using proto::PresenceState;

namespace {

/// One node: an engine with its cluster part, on the shared database.
class Node {
public:
    Node(const std::string& database, const TempDir& dir, cluster::ClusterConfig cluster)
        : m_config(testConfig(database)), m_cluster(std::move(cluster)) {
        enableTls(m_config, dir);
        m_server =
            std::make_unique<server::Server>(m_config, &m_log, server::Clock::system(),
                                             [this](server::ClusterPort& port) -> std::unique_ptr<server::RemoteUsers> {
                                                 return cluster::NatsCluster::join(m_cluster, port);
                                             });
    }
    ~Node() {
        m_server->stop();
        const auto test = boost::unit_test::framework::current_test_case().p_id;
        if (!boost::unit_test::results_collector.results(test).passed())
            for (const auto& line : m_log.lines()) std::cerr << "  node " << m_cluster.node << ": " << line << "\n";
    }

    /// Starts; the StartError's text if it failed.
    std::string start() {
        try {
            m_server->start();
        } catch (const server::StartError& error) {
            return error.what();
        }
        return {};
    }
    void stop() { m_server->stop(); }

    std::unique_ptr<TestClient> connect() {
        auto client = std::make_unique<TestClient>();
        client->useTls(net::TlsContext::client({}));
        BOOST_REQUIRE_MESSAGE(client->connect(m_server->port()), "cannot connect to node " << m_cluster.node);
        return client;
    }
    proto::UserId registerUser(const std::string& name) {
        auto client = connect();
        const auto result = client->registerUser(name, kPassword);
        BOOST_REQUIRE(result);
        BOOST_REQUIRE_MESSAGE(result->body.status == proto::AuthStatus::Ok, result->body.text);
        return result->body.userId;
    }
    std::unique_ptr<TestClient> login(const std::string& name, bool autoAck = true) {
        auto client = connect();
        client->setAutoAck(autoAck);
        const auto result = client->login(name, kPassword);
        BOOST_REQUIRE_MESSAGE(result, "no LOGIN_RESULT for " << name << " on node " << m_cluster.node);
        BOOST_REQUIRE_MESSAGE(result->body.status == proto::AuthStatus::Ok, result->body.text);
        return client;
    }

    server::Server& server() { return *m_server; }
    const LogRecorder& log() const { return m_log; }

private:
    server::ServerConfig m_config;
    cluster::ClusterConfig m_cluster;
    LogRecorder m_log;
    std::unique_ptr<server::Server> m_server;
};

/// Nodes a, b and c of one cluster, on one database, started.
struct ThreeNodes {
    NatsInstance nats = NatsInstance::fromEnvironment();
    db::test::TestDatabase database;
    TempDir dir{"parley-cluster"};
    std::string clusterName = freshClusterName("t");
    std::unique_ptr<Node> a, b, c;

    ThreeNodes() {
        a = startNode("a");
        b = startNode("b");
        c = startNode("c");
        waitMembers(3);
    }

    std::unique_ptr<Node> makeNode(const std::string& name, const std::string& user) {
        return std::make_unique<Node>(database.connectionString(), dir, clusterConfig(nats, clusterName, name, user));
    }
    std::unique_ptr<Node> startNode(const std::string& name) {
        auto node = makeNode(name, "node-" + name);
        const std::string error = node->start();
        BOOST_REQUIRE_MESSAGE(error.empty(), "node " << name << " did not start: " << error);
        return node;
    }
    /// Until every running node sees `count` alive members (itself included).
    void waitMembers(std::size_t count) {
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        for (Node* node : {a.get(), b.get(), c.get()}) {
            if (!node) continue;
            for (;;) {
                std::size_t alive = 0;
                for (const auto& m : node->server().clusterMembers()) alive += m.alive ? 1 : 0;
                if (alive == count) break;
                BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "the members did not meet");
                std::this_thread::sleep_for(20ms);
            }
        }
    }
};

/// Until `client` holds the contact `user` in `state` (its CONTACTS or a PRESENCE).
bool seesState(TestClient& client, proto::UserId user, PresenceState state) {
    for (const proto::Contact& c : client.contacts())
        if (c.userId == user && c.state == state) return true;
    return waitPresence(client, user, state, 10s);
}

std::vector<std::string> textsOf(const std::vector<Frame<proto::Chat>>& chats) {
    std::vector<std::string> texts;
    for (const auto& chat : chats) texts.push_back(chat.body.text);
    return texts;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cluster_of_three)

BOOST_FIXTURE_TEST_CASE(a_chat_to_a_user_on_another_node_arrives_in_order_with_its_acks, ThreeNodes) {
    const proto::UserId alice = a->registerUser("alice");
    const proto::UserId bob = b->registerUser("bob");
    auto bobClient = b->login("bob");
    auto aliceClient = a->login("alice");
    // bob registered on b: a knows the account, and that bob is online on b.
    BOOST_TEST(seesState(*aliceClient, bob, PresenceState::Online));

    constexpr int kMessages = 40;
    std::vector<std::string> sent;
    proto::MessageId last = 0;
    for (int i = 0; i < kMessages; ++i) {
        sent.push_back("message " + std::to_string(i));
        last = aliceClient->sendChat(bob, sent.back());
    }
    const auto chats = waitChats(*bobClient, kMessages, 15s);
    BOOST_TEST(textsOf(chats) == sent, boost::test_tools::per_element());
    for (const auto& chat : chats) BOOST_TEST(chat.header.source == alice);
    // Forwarded live to b (nothing was pending for bob on a): DELIVERED once bob's client
    // acked, from b, and nothing went through the store.
    BOOST_TEST(waitAck(*aliceClient, AckKind::Delivered, bob, last, 10s).has_value());
    BOOST_TEST(a->server().stats().messagesStored == 0u);
    BOOST_TEST(b->server().stats().messagesStored == 0u);
    BOOST_TEST(bobClient->expectNothing(
        300ms, [](const proto::Message& m) { return std::holds_alternative<proto::Chat>(m.body); }));  // each once

    // And back, from b to a.
    const proto::MessageId reply = bobClient->sendChat(alice, "got them all");
    const auto back = waitChats(*aliceClient, 1, 10s);
    BOOST_REQUIRE_EQUAL(back.size(), 1u);
    BOOST_TEST(back.front().body.text == "got them all");
    BOOST_TEST(waitAck(*bobClient, AckKind::Delivered, alice, reply, 10s).has_value());
}

BOOST_FIXTURE_TEST_CASE(messages_for_a_user_online_nowhere_wait_for_a_login_on_any_node, ThreeNodes) {
    a->registerUser("alice");
    const proto::UserId bob = b->registerUser("bob");
    auto aliceClient = a->login("alice");
    std::vector<std::string> sent;
    for (int i = 0; i < 5; ++i) {
        sent.push_back("while you were away " + std::to_string(i));
        const proto::MessageId id = aliceClient->sendChat(bob, sent.back());
        BOOST_TEST(waitAck(*aliceClient, AckKind::Stored, bob, id, 10s).has_value());
    }
    auto bobClient = c->login("bob");
    BOOST_TEST(textsOf(waitChats(*bobClient, 5, 10s)) == sent, boost::test_tools::per_element());
    // Now bob is on c: stored ones and forwarded ones mixed, in one order.
    BOOST_TEST_REQUIRE(seesState(*aliceClient, bob, PresenceState::Online));
    std::vector<std::string> more;
    for (int i = 0; i < 20; ++i) {
        more.push_back("now that you are back " + std::to_string(i));
        aliceClient->sendChat(bob, more.back());
    }
    BOOST_TEST(textsOf(waitChats(*bobClient, 20, 10s)) == more, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(presence_and_new_accounts_cross_nodes, ThreeNodes) {
    const proto::UserId carol = c->registerUser("carol");
    auto carolClient = c->login("carol");
    const proto::UserId alice = a->registerUser("alice");  // registered on a: c's carol learns the account
    BOOST_TEST(waitPresence(*carolClient, alice, PresenceState::Offline, 10s));
    auto aliceClient = a->login("alice");
    BOOST_TEST(waitPresence(*carolClient, alice, PresenceState::Online, 10s));
    BOOST_TEST(seesState(*aliceClient, carol, PresenceState::Online));
    aliceClient->close();
    BOOST_TEST(waitPresence(*carolClient, alice, PresenceState::Offline, 10s));

    // A node that stops takes its users offline everywhere.
    auto aliceOnB = b->login("alice");
    BOOST_TEST(waitPresence(*carolClient, alice, PresenceState::Online, 10s));
    b->stop();
    BOOST_TEST(waitPresence(*carolClient, alice, PresenceState::Offline, 10s));
}

BOOST_FIXTURE_TEST_CASE(a_login_on_another_node_ends_the_first_session_and_nothing_is_lost, ThreeNodes) {
    const proto::UserId alice = a->registerUser("alice");
    const proto::UserId bob = b->registerUser("bob");
    auto aliceClient = c->login("alice");
    auto firstBob = a->login("bob", false);  // never acks: what reaches it is in flight
    BOOST_TEST(seesState(*aliceClient, bob, PresenceState::Online));
    const proto::MessageId early = aliceClient->sendChat(bob, "before the move");
    BOOST_TEST(waitChats(*firstBob, 1, 10s).size() == 1u);

    auto secondBob = b->login("bob");
    const auto kicked = firstBob->waitFor<proto::Kicked>(10s);
    BOOST_REQUIRE(kicked.has_value());
    BOOST_TEST((kicked->body.reason == proto::KickReason::LoggedInElsewhere));
    BOOST_TEST(firstBob->waitClosed(10s));
    // Alice never saw bob go offline: he only moved.
    BOOST_TEST(aliceClient->expectNothing(500ms, [bob](const proto::Message& m) {
        const auto* p = std::get_if<proto::Presence>(&m.body);
        return p != nullptr && p->contact.userId == bob && p->contact.state == PresenceState::Offline;
    }));
    // What the first session had not acknowledged reaches the second, then what follows.
    const proto::MessageId later = aliceClient->sendChat(bob, "after the move");
    const auto chats = waitChats(*secondBob, 2, 10s);
    BOOST_TEST(textsOf(chats) == (std::vector<std::string>{"before the move", "after the move"}),
               boost::test_tools::per_element());
    BOOST_TEST(waitAck(*aliceClient, AckKind::Delivered, bob, later, 10s).has_value());
    BOOST_TEST(early < later);
    (void)alice;
}

BOOST_FIXTURE_TEST_CASE(the_room_typing_and_read_receipts_cross_nodes, ThreeNodes) {
    const proto::UserId alice = a->registerUser("alice");
    const proto::UserId bob = b->registerUser("bob");
    c->registerUser("carol");
    auto aliceClient = a->login("alice");
    auto bobClient = b->login("bob");
    auto carolClient = c->login("carol");
    BOOST_TEST(seesState(*aliceClient, bob, PresenceState::Online));

    const proto::MessageId roomId = aliceClient->send(proto::Room{0, "hello everyone"});
    BOOST_TEST(waitAck(*aliceClient, AckKind::Broadcast, proto::kServerId, roomId, 10s).has_value());
    for (TestClient* other : {bobClient.get(), carolClient.get()}) {
        const auto room = other->waitFor<proto::Room>(10s);
        BOOST_REQUIRE(room.has_value());
        BOOST_TEST(room->body.text == "hello everyone");
        BOOST_TEST(room->header.source == alice);
    }
    BOOST_TEST(aliceClient->expectNothing(300ms, [](const proto::Message& m) {
        return std::holds_alternative<proto::Room>(m.body);
    }));  // not back to its sender

    aliceClient->send(proto::Typing{true}, bob);
    const auto typing = bobClient->waitFor<proto::Typing>(10s);
    BOOST_REQUIRE(typing.has_value());
    BOOST_TEST(typing->header.source == alice);

    const proto::MessageId id = aliceClient->sendChat(bob, "read me");
    BOOST_TEST(waitChats(*bobClient, 1, 10s).size() == 1u);
    bobClient->send(proto::Ack{AckKind::Read, id}, alice);
    BOOST_TEST(waitAck(*aliceClient, AckKind::Read, bob, id, 10s).has_value());
}

BOOST_FIXTURE_TEST_CASE(the_operator_of_any_node_reaches_a_user_on_another, ThreeNodes) {
    const proto::UserId alice = a->registerUser("alice");
    const proto::UserId bob = b->registerUser("bob");
    auto aliceClient = a->login("alice");
    auto bobClient = b->login("bob");
    BOOST_TEST(seesState(*aliceClient, bob, PresenceState::Online));
    // Kicked from c's window, where bob has no session (once c heard that bob is on b).
    const auto heardBy = std::chrono::steady_clock::now() + 10s;
    const auto usersOnB = [&] {
        for (const auto& m : c->server().clusterMembers())
            if (m.node == "b") return m.usersOnline;
        return std::size_t{0};
    };
    while (usersOnB() == 0 && std::chrono::steady_clock::now() < heardBy) std::this_thread::sleep_for(20ms);
    BOOST_TEST(c->server().kick(bob, "maintenance"));
    const auto kicked = bobClient->waitFor<proto::Kicked>(10s);
    BOOST_REQUIRE(kicked.has_value());
    BOOST_TEST((kicked->body.reason == proto::KickReason::Operator));
    BOOST_TEST(kicked->body.text == "maintenance");
    // Disabled on b while logged in on a.
    std::promise<db::Result> disabled;
    b->server().setAccountDisabled(alice, true, [&disabled](db::Result r) { disabled.set_value(r); });
    BOOST_TEST(disabled.get_future().get().ok());
    const auto ended = aliceClient->waitFor<proto::Kicked>(10s);
    BOOST_REQUIRE(ended.has_value());
    BOOST_TEST(ended->body.text.find("disabled") != std::string::npos);
    // Once her logout is heard everywhere, nobody is there to kick.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (c->server().kick(alice, "nobody there") && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    BOOST_TEST(!c->server().kick(alice, "nobody there"));
}

BOOST_FIXTURE_TEST_CASE(a_file_offer_to_a_user_on_another_node_is_refused_clearly, ThreeNodes) {
    a->registerUser("alice");
    const proto::UserId bob = b->registerUser("bob");
    auto aliceClient = a->login("alice");
    auto bobClient = b->login("bob");
    BOOST_TEST(seesState(*aliceClient, bob, PresenceState::Online));
    proto::FileOffer offer;
    offer.transferId = 7;
    offer.fileName = "notes.txt";
    offer.size = 10;
    offer.sha256.fill(1);
    offer.blockSize = proto::kMinBlockSize;
    aliceClient->send(offer, bob);
    const auto rejected = aliceClient->waitFor<proto::FileReject>(10s);
    BOOST_REQUIRE(rejected.has_value());
    BOOST_TEST(rejected->body.text.find("another server of the cluster") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_node_that_cannot_join_refuses_to_start) {
    ThreeNodes cluster;
    // Its name is taken.
    auto twin = cluster.makeNode("a", "node-a");
    const std::string taken = twin->start();
    BOOST_TEST(taken.find("another parley-server runs as node 'a'") != std::string::npos, taken);
    BOOST_TEST(!twin->server().running());
    // A name that is not one.
    auto bad = cluster.makeNode("Node A", "node-a");
    BOOST_TEST(bad->start().find("is not 1 to 64 characters") != std::string::npos);
    // NATS refuses the node's credentials.
    auto config = clusterConfig(cluster.nats, cluster.clusterName, "d", "node-c");
    config.nats.password = "not the password";
    Node stranger(cluster.database.connectionString(), cluster.dir, config);
    const std::string refused = stranger.start();
    BOOST_TEST(refused.find("refused the credentials") != std::string::npos, refused);
    BOOST_TEST(refused.find("not the password") == std::string::npos);
    // NATS cannot be reached.
    config = clusterConfig(cluster.nats, cluster.clusterName, "d", "node-c");
    config.nats.urls = {"tls://127.0.0.1:1"};
    Node lonely(cluster.database.connectionString(), cluster.dir, config);
    const std::string unreachable = lonely.start();
    BOOST_TEST(unreachable.find("cannot reach NATS") != std::string::npos, unreachable);
    BOOST_TEST(unreachable.find("--cluster does not start without it") != std::string::npos);
    // A database only this node could see.
    Node private_("sqlite:" + cluster.dir.file("own.db"), cluster.dir,
                  clusterConfig(cluster.nats, cluster.clusterName, "d", "node-c"));
    BOOST_TEST(private_.start().find("a cluster needs a database every node shares") != std::string::npos);
    // The three are still one cluster.
    cluster.waitMembers(3);
}

BOOST_FIXTURE_TEST_CASE(a_message_that_is_not_ours_is_ignored_and_logged, ThreeNodes) {
    cluster::NatsSettings settings;
    settings.urls = {nats.env.at("URL")};
    settings.caFile = nats.env.at("CA");
    settings.user = "node-c";
    settings.password = nats.password("node-c");
    std::string error;
    auto intruder = cluster::NatsTransport::connect(settings, {}, error);
    BOOST_REQUIRE_MESSAGE(intruder, error);
    const std::string junk = "definitely not a parley envelope";
    BOOST_REQUIRE(intruder->publish("parley." + clusterName + ".all",
                                    reinterpret_cast<const std::uint8_t*>(junk.data()), junk.size()));
    BOOST_REQUIRE(intruder->publish("parley." + clusterName + ".node.a.link",
                                    reinterpret_cast<const std::uint8_t*>(junk.data()), 3));
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!a->log().contains("not a Parley cluster message") && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    BOOST_TEST(a->log().contains("not a Parley cluster message"));
    // A node of another cluster protocol version: seen, refused, said so.
    cluster::EnvelopeHead head;
    head.kind = cluster::EnvelopeKind::Sync;
    head.instance = 42;
    head.node = "z";
    std::vector<std::uint8_t> future = cluster::EnvelopeWriter(head).bytes();
    future[2] = cluster::kClusterVersion + 1;
    BOOST_REQUIRE(intruder->publish("parley." + clusterName + ".all", future.data(), future.size()));
    const auto later = std::chrono::steady_clock::now() + 5s;
    while (!b->log().contains("another cluster protocol version") && std::chrono::steady_clock::now() < later)
        std::this_thread::sleep_for(20ms);
    BOOST_TEST(b->log().contains("another cluster protocol version"));
    for (const auto& member : b->server().clusterMembers()) BOOST_TEST(member.node != "z");
    // Nothing else changed: the cluster still works.
    a->registerUser("alice");
    const proto::UserId bob = b->registerUser("bob");
    auto aliceClient = a->login("alice");
    auto bobClient = b->login("bob");
    aliceClient->sendChat(bob, "still here");
    BOOST_TEST(waitChats(*bobClient, 1, 10s).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
