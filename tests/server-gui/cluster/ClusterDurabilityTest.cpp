// A cluster of three real parley-server processes under load (issue 21, "Failure"): a
// node killed with SIGKILL and nats-server killed and restarted lose nothing a client was
// told was STORED. The nodes share one fresh MariaDB database; NATS is a private
// nats-server of this suite (it is crashed on purpose); clients speak TLS. A client whose
// node died does what the real clients do with a server list: it logs in on the next node
// and sends again what was not acknowledged (its outbox).

#include "platform/tls/TlsContext.h"
#include "server-gui/cluster/NatsTransport.h"
#include "tests/db/TestDatabase.h"
#include "tests/server-gui/cluster/NatsInstance.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/TempDir.h"
#include "tests/support/TestClient.h"

#include <boost/test/results_collector.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <iostream>
#include <thread>

using namespace parley;
using namespace parley::test;

namespace {

const char* const kPassword = "correct horse battery";

/// parley-server --headless --cluster ... as node `name`, on an ephemeral port.
class NodeProcess {
public:
    NodeProcess(const std::string& name, const std::string& database, const NatsInstance& nats,
                const std::string& clusterName, const TempDir& dir)
        : m_name(name) {
        const char* binary = std::getenv("PARLEY_SERVER_BINARY");
        BOOST_REQUIRE_MESSAGE(binary != nullptr && *binary != '\0', "PARLEY_SERVER_BINARY is not set: run via ctest");
        const std::string user = "node-" + name;
        m_child = std::make_unique<ChildProcess>(std::vector<std::string>{binary,
                                                                          "--headless",
                                                                          "--data",
                                                                          (dir.path() / ("data-" + name)).string(),
                                                                          "--listen",
                                                                          "127.0.0.1:0",
                                                                          "--db",
                                                                          database,
                                                                          "--hash-iterations",
                                                                          "1000",
                                                                          "--threads",
                                                                          "2",
                                                                          "--stats-every",
                                                                          "0",
                                                                          "--cluster",
                                                                          nats.env.at("URL"),
                                                                          "--node",
                                                                          name,
                                                                          "--cluster-name",
                                                                          clusterName,
                                                                          "--cluster-ca",
                                                                          nats.env.at("CA"),
                                                                          "--cluster-user",
                                                                          user,
                                                                          "--cluster-password-file",
                                                                          nats.dir + "/users/" + user},
                                                 dir.path() / ("node-" + name + "-" + std::to_string(++m_runs)));
        const auto line = m_child->waitForLine("ready on port ", 60s);
        BOOST_REQUIRE_MESSAGE(line, "node " << name << " did not start:\n" << m_child->readOut() << m_child->readErr());
        m_port = static_cast<std::uint16_t>(std::stoul(line->substr(line->find("ready on port ") + 14)));
    }

    std::uint16_t port() const { return m_port; }
    ChildProcess& process() { return *m_child; }
    std::string output() const { return m_child->readOut() + m_child->readErr(); }

private:
    std::string m_name;
    std::unique_ptr<ChildProcess> m_child;
    std::uint16_t m_port = 0;
    int m_runs = 0;
};

std::unique_ptr<TestClient> connectTo(std::uint16_t port) {
    auto client = std::make_unique<TestClient>();
    client->useTls(net::TlsContext::client({}));
    BOOST_REQUIRE_MESSAGE(client->connect(port), "cannot connect to port " << port);
    return client;
}

std::unique_ptr<TestClient> loginOn(std::uint16_t port, const std::string& user, bool autoAck) {
    auto client = connectTo(port);
    client->setAutoAck(autoAck);
    const auto result = client->login(user, kPassword, 30s);
    BOOST_REQUIRE_MESSAGE(result, "no LOGIN_RESULT for " << user);
    BOOST_REQUIRE_MESSAGE(result->body.status == proto::AuthStatus::Ok, result->body.text);
    return client;
}

proto::UserId registerOn(std::uint16_t port, const std::string& user) {
    auto client = connectTo(port);
    const auto result = client->registerUser(user, kPassword, {}, 30s);
    BOOST_REQUIRE(result);
    BOOST_REQUIRE_MESSAGE(result->body.status == proto::AuthStatus::Ok, result->body.text);
    return result->body.userId;
}

/// A sender with the outbox a real client keeps: every message until it is STORED or
/// DELIVERED, sent again (same id) after a reconnection.
class Sender {
public:
    Sender(proto::UserId to) : m_to(to) {}

    void attach(std::unique_ptr<TestClient> client) {
        if (m_client) collectAcks();  // what arrived before the old connection died
        m_client = std::move(client);
        for (const auto& [id, text] : m_outbox) m_client->sendChat(m_to, text, id);
    }
    void send(const std::string& text) {
        const proto::MessageId id = m_client->sendChat(m_to, text, ++m_lastId);
        m_outbox[id] = text;
    }
    /// Takes the acks that arrived: what is acknowledged leaves the outbox.
    void collectAcks() {
        for (const proto::Message& m : m_client->takeAll()) {
            const auto* ack = std::get_if<proto::Ack>(&m.body);
            if (ack == nullptr || m.header.source != m_to) continue;
            if (ack->kind == proto::AckKind::Stored) {
                m_acknowledged.insert(ack->upTo);
                m_outbox.erase(ack->upTo);
            } else if (ack->kind == proto::AckKind::Delivered) {
                for (auto it = m_outbox.begin(); it != m_outbox.end() && it->first <= ack->upTo;) {
                    m_acknowledged.insert(it->first);
                    it = m_outbox.erase(it);
                }
            }
        }
    }
    /// Until nothing is left unacknowledged (or the time is up).
    bool drain(std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            collectAcks();
            if (m_outbox.empty()) return true;
            std::this_thread::sleep_for(20ms);
        }
        collectAcks();
        return m_outbox.empty();
    }
    const std::set<proto::MessageId>& acknowledged() const { return m_acknowledged; }
    proto::MessageId lastId() const { return m_lastId; }
    std::size_t unacknowledged() const { return m_outbox.size(); }

private:
    proto::UserId m_to;
    std::unique_ptr<TestClient> m_client;
    std::map<proto::MessageId, std::string> m_outbox;
    std::set<proto::MessageId> m_acknowledged;
    proto::MessageId m_lastId = 1000;
};

/// What a receiver saw across its sessions: each session's new ids must rise (per-pair
/// order); an id seen before (re-delivered after a crash, or sent again from the sender's
/// outbox) is what the client's duplicate filter drops.
struct Receiver {
    std::set<proto::MessageId> seen;
    bool ordered = true;
    std::string inversion;  ///< the first id that came after a higher one, for the failure message

    void take(TestClient& client) {
        proto::MessageId previous = 0;
        for (const proto::Message& m : client.history()) {
            if (!std::holds_alternative<proto::Chat>(m.body)) continue;
            const bool again = seen.count(m.header.messageId) != 0;
            if (!again && m.header.messageId <= previous && ordered) {
                ordered = false;
                inversion = std::to_string(m.header.messageId) + " after " + std::to_string(previous);
            }
            previous = std::max(previous, m.header.messageId);
            seen.insert(m.header.messageId);
        }
    }
};

/// Every acknowledged id was received.
std::size_t missing(const std::set<proto::MessageId>& acknowledged, const std::set<proto::MessageId>& seen) {
    std::size_t lost = 0;
    for (const auto id : acknowledged) lost += seen.count(id) == 0 ? 1 : 0;
    return lost;
}

struct ThreeProcesses {
    db::test::TestDatabase database;
    PrivateNats natsServer{"parley-cluster-durability-nats", true};  // each node reads only its own subjects
    NatsInstance nats = natsServer.instance();
    TempDir dir{"parley-cluster-durability"};
    std::string clusterName = "durability";
    std::unique_ptr<NodeProcess> a, b, c;

    ThreeProcesses() {
        a = std::make_unique<NodeProcess>("a", database.connectionString(), nats, clusterName, dir);
        b = std::make_unique<NodeProcess>("b", database.connectionString(), nats, clusterName, dir);
        c = std::make_unique<NodeProcess>("c", database.connectionString(), nats, clusterName, dir);
    }
    /// A failing case is easier to read with what the nodes said.
    ~ThreeProcesses() {
        const auto test = boost::unit_test::framework::current_test_case().p_id;
        if (boost::unit_test::results_collector.results(test).passed()) return;
        for (const auto* node : {a.get(), b.get(), c.get()})
            if (node) std::cerr << "---- a node's output:\n" << node->output() << "\n";
    }
};

/// Until `client` hears that `user` is online (its CONTACTS or a PRESENCE).
bool waitOnline(TestClient& client, proto::UserId user) {
    for (const proto::Contact& c : client.contacts())
        if (c.userId == user && c.state == proto::PresenceState::Online) return true;
    return client
        .waitFor<proto::Presence>(15s,
                                  [user](const proto::Header&, const proto::Presence& p) {
                                      return p.contact.userId == user &&
                                             p.contact.state == proto::PresenceState::Online;
                                  })
        .has_value();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cluster_durability)

BOOST_FIXTURE_TEST_CASE(sigkill_of_the_receivers_node_and_then_of_the_senders_node_loses_nothing_acknowledged,
                        ThreeProcesses) {
    registerOn(a->port(), "alice");
    const proto::UserId bob = registerOn(b->port(), "bob");
    auto bobClient = loginOn(b->port(), "bob", true);
    Sender alice(bob);
    alice.attach(loginOn(a->port(), "alice", false));
    Receiver received;

    for (int i = 0; i < 150; ++i) alice.send("one " + std::to_string(i));
    alice.collectAcks();
    // Bob's node dies under load; bob logs in on c (the next server of his list).
    b->process().terminate(0ms);
    received.take(*bobClient);
    bobClient = loginOn(c->port(), "bob", true);
    for (int i = 0; i < 150; ++i) alice.send("two " + std::to_string(i));
    alice.collectAcks();
    // Now alice's node dies under load; she logs in on c and sends her outbox again.
    for (int i = 0; i < 100; ++i) alice.send("three " + std::to_string(i));
    a->process().terminate(0ms);
    alice.attach(loginOn(c->port(), "alice", false));
    for (int i = 0; i < 100; ++i) alice.send("four " + std::to_string(i));
    BOOST_TEST(alice.drain(30s), alice.unacknowledged() << " messages never acknowledged");

    // Everything arrives at bob once the stored ones are fetched.
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    Receiver now = received;
    while (std::chrono::steady_clock::now() < deadline) {
        now = received;
        now.take(*bobClient);
        if (missing(alice.acknowledged(), now.seen) == 0) break;
        std::this_thread::sleep_for(50ms);
    }
    BOOST_TEST(alice.acknowledged().size() == 500u);
    BOOST_TEST(missing(alice.acknowledged(), now.seen) == 0u);
    BOOST_TEST(now.ordered, now.inversion);
}

BOOST_FIXTURE_TEST_CASE(nats_killed_and_restarted_under_load_loses_nothing_and_the_cluster_heals, ThreeProcesses) {
    const proto::UserId alice = registerOn(a->port(), "alice");
    const proto::UserId bob = registerOn(b->port(), "bob");
    auto bobClient = loginOn(b->port(), "bob", true);
    auto aliceClient = loginOn(a->port(), "alice", false);
    BOOST_TEST_REQUIRE(waitOnline(*aliceClient, bob));
    Sender sender(bob);
    sender.attach(std::move(aliceClient));

    for (int i = 0; i < 100; ++i) sender.send("before " + std::to_string(i));
    BOOST_TEST_REQUIRE(natsServer.run("crash"));
    // Isolated: each node serves its own users and stores what is for users elsewhere.
    for (int i = 0; i < 200; ++i) sender.send("during " + std::to_string(i));
    std::this_thread::sleep_for(4s);  // past the 3 s in which nodes declare the silent dead
    BOOST_TEST_REQUIRE(natsServer.run("restart"));
    for (int i = 0; i < 100; ++i) sender.send("after " + std::to_string(i));
    BOOST_TEST(sender.drain(30s), sender.unacknowledged() << " messages never acknowledged");

    Receiver received;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
        received = Receiver{};
        received.take(*bobClient);
        if (missing(sender.acknowledged(), received.seen) == 0) break;
        std::this_thread::sleep_for(50ms);
    }
    BOOST_TEST(sender.acknowledged().size() == 400u);
    BOOST_TEST(missing(sender.acknowledged(), received.seen) == 0u);
    BOOST_TEST(received.ordered, received.inversion);
    // The cluster healed: a login on c is seen online from b again.
    auto carol = loginOn(c->port(), "bob", true);  // a takeover across the healed link
    const auto kicked = bobClient->waitFor<proto::Kicked>(15s);
    BOOST_TEST(kicked.has_value(), "no KICKED on b after a login on c:\n" << b->output());
    (void)alice;
    (void)carol;
}

BOOST_AUTO_TEST_CASE(a_node_user_cannot_read_another_nodes_inbox) {
    PrivateNats natsServer("parley-cluster-permissions-nats", true);
    const NatsInstance nats = natsServer.instance();
    const auto connectAs = [&nats](const std::string& user) {
        cluster::NatsSettings settings;
        settings.urls = {nats.env.at("URL")};
        settings.caFile = nats.env.at("CA");
        settings.user = user;
        settings.password = nats.password(user);
        std::string error;
        auto transport = cluster::NatsTransport::connect(settings, {}, error);
        BOOST_REQUIRE_MESSAGE(transport, error);
        return transport;
    };
    auto nodeA = connectAs("node-a");
    auto nodeC = connectAs("node-c");
    std::atomic<int> own{0};
    std::atomic<int> stolen{0};
    nodeA->subscribe("parley.prod.node.a.link", [&own](const std::uint8_t*, std::size_t) { ++own; });
    nodeA->subscribe("parley.prod.node.b.link", [&stolen](const std::uint8_t*, std::size_t) { ++stolen; });
    const std::uint8_t byte = 1;
    for (int i = 0; i < 20 && own.load() == 0; ++i) {
        nodeC->publish("parley.prod.node.a.link", &byte, 1);
        nodeC->publish("parley.prod.node.b.link", &byte, 1);
        std::this_thread::sleep_for(50ms);
    }
    std::this_thread::sleep_for(200ms);
    BOOST_TEST(own.load() > 0);
    BOOST_TEST(stolen.load() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
