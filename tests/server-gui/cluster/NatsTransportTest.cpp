// The cluster's NATS transport (docs/cluster-design.md §2.2, §2.5, §5; step 7): two nodes,
// node-a and node-b, over TLS to the private nats-server of scripts/nats-instance. Binary
// payloads up to 1 MiB, order on one subscription, no echo of a node's own publications,
// request/reply and "no responders", every refusal with a readable error, a clean
// destruction while messages arrive, and the disconnected/reconnected events across a
// restart of a second private nats-server of this suite's own.

#include "server-gui/cluster/NatsTransport.h"
#include "tests/server-gui/cluster/NatsInstance.h"
#include "tests/support/TempDir.h"

#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using parley::cluster::NatsSettings;
using parley::cluster::NatsTransport;
using parley::cluster::Transport;
using parley::cluster::TransportEvents;
using parley::test::NatsInstance;
using Bytes = std::vector<std::uint8_t>;
using Clock = std::chrono::steady_clock;

namespace parley::cluster {
inline std::ostream& operator<<(std::ostream& out, Transport::RequestResult result) {
    switch (result) {
    case Transport::RequestResult::Reply: return out << "Reply";
    case Transport::RequestResult::NoResponders: return out << "NoResponders";
    case Transport::RequestResult::Timeout: return out << "Timeout";
    case Transport::RequestResult::Failed: return out << "Failed";
    }
    return out << "?";
}
}  // namespace parley::cluster

namespace {

NatsSettings asNode(const NatsInstance& nats, const std::string& user) {
    NatsSettings settings;
    settings.urls = {nats.env.at("URL")};
    settings.name = "transport-test " + user;
    settings.caFile = nats.env.at("CA");
    settings.user = user;
    settings.password = nats.password(user);
    return settings;
}

std::unique_ptr<NatsTransport> connectOrFail(const NatsSettings& settings, TransportEvents events = {}) {
    std::string error;
    auto transport = NatsTransport::connect(settings, std::move(events), error);
    BOOST_TEST_REQUIRE(bool(transport), error);
    BOOST_TEST(error.empty());
    return transport;
}

/// A subject of this process and case only (other suites share the server).
std::string subject(const std::string& name) {
    return "parley.transport-test." + std::to_string(::getpid()) + "." + name;
}

/// What a subscription received, for the test thread to wait on.
class Inbox {
public:
    parley::cluster::MessageHandler handler() {
        return [this](const std::uint8_t* data, std::size_t size) {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_messages.emplace_back(data, data + size);
            m_changed.notify_all();
        };
    }
    /// True once `count` messages are in, false after `timeout`.
    bool waitFor(std::size_t count, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock<std::mutex> lock(m_mutex);
        return m_changed.wait_for(lock, timeout, [&] { return m_messages.size() >= count; });
    }
    std::vector<Bytes> messages() {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_messages;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<Bytes> m_messages;
};

/// Counts each connection event, for the test thread to wait on.
class EventLog {
public:
    TransportEvents events() {
        TransportEvents events;
        events.disconnected = [this] { bump(m_disconnected); };
        events.reconnected = [this] { bump(m_reconnected); };
        events.closed = [this] { bump(m_closed); };
        return events;
    }
    bool waitForDisconnected(int count, std::chrono::milliseconds timeout) {
        return wait(m_disconnected, count, timeout);
    }
    bool waitForReconnected(int count, std::chrono::milliseconds timeout) {
        return wait(m_reconnected, count, timeout);
    }
    int closed() {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_closed;
    }

private:
    void bump(int& counter) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        ++counter;
        m_changed.notify_all();
    }
    bool wait(int& counter, int count, std::chrono::milliseconds timeout) {
        std::unique_lock<std::mutex> lock(m_mutex);
        return m_changed.wait_for(lock, timeout, [&] { return counter >= count; });
    }

    std::mutex m_mutex;
    std::condition_variable m_changed;
    int m_disconnected = 0;
    int m_reconnected = 0;
    int m_closed = 0;
};

bool publishBytes(Transport& transport, const std::string& to, const Bytes& bytes) {
    return transport.publish(to, bytes.data(), bytes.size());
}

/// A loopback port nothing listens on (bound once by the kernel's choice, then closed).
int unusedPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    BOOST_TEST_REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    const bool bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 &&
                       ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    ::close(fd);
    BOOST_TEST_REQUIRE(bound);
    return ntohs(address.sin_port);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

long millisecondsSince(Clock::time_point start) {
    return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

/// libnats' process-wide state goes after the last transport.
struct NatsLibrary {
    ~NatsLibrary() { NatsTransport::closeLibrary(5000); }
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(NatsLibrary);

BOOST_AUTO_TEST_SUITE(nats_transport)

BOOST_AUTO_TEST_CASE(binary_payloads_up_to_1_mib_arrive_intact) {
    const NatsInstance nats = NatsInstance::fromEnvironment();
    auto a = connectOrFail(asNode(nats, "node-a"));
    auto b = connectOrFail(asNode(nats, "node-b"));
    BOOST_TEST(a->connected());
    Inbox inbox;
    BOOST_TEST_REQUIRE(a->subscribe(subject("binary"), inbox.handler()));

    const Bytes zeros = {0x00, 0x50, 0x43, 0x00, 0x00, 0xff, 0x00};
    Bytes large(1024 * 1024);  // nats-instance's max_payload: 1MB
    for (std::size_t i = 0; i < large.size(); ++i) large[i] = static_cast<std::uint8_t>(i * 7 % 251);
    BOOST_TEST_REQUIRE(publishBytes(*b, subject("binary"), zeros));
    BOOST_TEST_REQUIRE(publishBytes(*b, subject("binary"), Bytes{}));
    BOOST_TEST_REQUIRE(publishBytes(*b, subject("binary"), large));
    // One byte over the server's limit is refused at once, not sent.
    Bytes tooLarge(large.size() + 1);
    BOOST_TEST(!publishBytes(*b, subject("binary"), tooLarge));

    BOOST_TEST_REQUIRE(inbox.waitFor(3));
    const std::vector<Bytes> got = inbox.messages();
    BOOST_TEST(got[0] == zeros);
    BOOST_TEST(got[1].empty());
    BOOST_TEST(got[2] == large);
}

BOOST_AUTO_TEST_CASE(ten_thousand_messages_keep_their_order_on_one_subscription) {
    const NatsInstance nats = NatsInstance::fromEnvironment();
    auto a = connectOrFail(asNode(nats, "node-a"));
    auto b = connectOrFail(asNode(nats, "node-b"));
    Inbox inbox;
    BOOST_TEST_REQUIRE(a->subscribe(subject("order"), inbox.handler()));
    constexpr std::uint32_t kCount = 10'000;
    for (std::uint32_t i = 0; i < kCount; ++i) {
        const Bytes number = {static_cast<std::uint8_t>(i >> 24), static_cast<std::uint8_t>(i >> 16),
                              static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)};
        BOOST_TEST_REQUIRE(publishBytes(*b, subject("order"), number));
    }
    b->flushSoon();
    BOOST_TEST_REQUIRE(inbox.waitFor(kCount, 30s));
    const std::vector<Bytes> got = inbox.messages();
    BOOST_TEST_REQUIRE(got.size() == kCount);
    std::uint32_t outOfOrder = 0;
    for (std::uint32_t i = 0; i < kCount; ++i) {
        const Bytes& m = got[i];
        const std::uint32_t value = m.size() == 4 ? (std::uint32_t{m[0]} << 24 | std::uint32_t{m[1]} << 16 |
                                                     std::uint32_t{m[2]} << 8 | std::uint32_t{m[3]})
                                                  : ~0u;
        if (value != i) ++outOfOrder;
    }
    BOOST_TEST(outOfOrder == 0u);
}

BOOST_AUTO_TEST_CASE(a_node_does_not_hear_its_own_publications) {
    const NatsInstance nats = NatsInstance::fromEnvironment();
    auto a = connectOrFail(asNode(nats, "node-a"));
    auto b = connectOrFail(asNode(nats, "node-b"));
    Inbox heardByA;
    Inbox heardByB;
    BOOST_TEST_REQUIRE(a->subscribe(subject("all"), heardByA.handler()));
    BOOST_TEST_REQUIRE(b->subscribe(subject("all"), heardByB.handler()));
    BOOST_TEST_REQUIRE(publishBytes(*a, subject("all"), Bytes{'h', 'b'}));
    BOOST_TEST_REQUIRE(heardByB.waitFor(1));
    // A message to b and back to a in the same order: once b's answer is in, a's own
    // message would have been delivered before it.
    BOOST_TEST_REQUIRE(publishBytes(*b, subject("all"), Bytes{'b'}));
    BOOST_TEST_REQUIRE(heardByA.waitFor(1));
    BOOST_TEST(!heardByA.waitFor(2, 200ms));
    BOOST_TEST(heardByA.messages().front() == Bytes{'b'});
    BOOST_TEST(heardByB.messages().size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_request_gets_the_servers_reply) {
    const NatsInstance nats = NatsInstance::fromEnvironment();
    auto a = connectOrFail(asNode(nats, "node-a"));
    auto b = connectOrFail(asNode(nats, "node-b"));
    BOOST_TEST_REQUIRE(b->serve(subject("sync"), [](const std::uint8_t* data, std::size_t size) {
        Bytes reply(data, data + size);
        reply.insert(reply.begin(), 0x00);  // a NUL in the reply too
        reply.push_back('!');
        return reply;
    }));
    Bytes reply;
    const Bytes question = {'w', 'h', 'o', 0x00, '?'};
    const auto result = a->request(subject("sync"), question.data(), question.size(), 5000, reply);
    BOOST_TEST_REQUIRE(result == Transport::RequestResult::Reply);
    BOOST_TEST(reply == (Bytes{0x00, 'w', 'h', 'o', 0x00, '?', '!'}));

    // An empty reply is a reply.
    BOOST_TEST_REQUIRE(b->serve(subject("empty"), [](const std::uint8_t*, std::size_t) { return Bytes{}; }));
    reply = {1, 2, 3};
    BOOST_TEST(a->request(subject("empty"), nullptr, 0, 5000, reply) == Transport::RequestResult::Reply);
    BOOST_TEST(reply.empty());
}

BOOST_AUTO_TEST_CASE(a_request_nobody_serves_says_no_responders_at_once) {
    const NatsInstance nats = NatsInstance::fromEnvironment();
    auto a = connectOrFail(asNode(nats, "node-a"));
    Bytes reply;
    const Bytes question = {'?'};
    const auto started = Clock::now();
    const auto result = a->request(subject("nobody"), question.data(), question.size(), 5000, reply);
    BOOST_TEST(result == Transport::RequestResult::NoResponders);
    BOOST_TEST(millisecondsSince(started) < 2000);
    BOOST_TEST(reply.empty());

    // A server that never answers: a timeout, not "no responders".
    auto b = connectOrFail(asNode(nats, "node-b"));
    Inbox swallowed;
    BOOST_TEST_REQUIRE(b->subscribe(subject("silent"), swallowed.handler()));
    BOOST_TEST(a->request(subject("silent"), question.data(), question.size(), 300, reply) ==
               Transport::RequestResult::Timeout);
}

BOOST_AUTO_TEST_CASE(a_wrong_password_is_refused_without_showing_it) {
    const NatsInstance nats = NatsInstance::fromEnvironment();
    NatsSettings wrong = asNode(nats, "node-a");
    wrong.password = "not-" + wrong.password;
    std::string error;
    EventLog log;
    BOOST_TEST(!NatsTransport::connect(wrong, log.events(), error));
    BOOST_TEST_MESSAGE("wrong password: " << error);
    BOOST_TEST(contains(error, "refused"), error);
    BOOST_TEST(contains(error, "node-a"), error);
    BOOST_TEST(contains(error, nats.env.at("URL")), error);
    BOOST_TEST(!contains(error, wrong.password), error);

    // Another node's password does not open node-a either.
    NatsSettings borrowed = asNode(nats, "node-a");
    borrowed.password = nats.password("node-b");
    BOOST_TEST(!NatsTransport::connect(borrowed, {}, error));
    BOOST_TEST(contains(error, "refused"), error);
    BOOST_TEST(!contains(error, borrowed.password), error);
    BOOST_TEST(log.closed() == 0);
}

BOOST_AUTO_TEST_CASE(an_unreachable_port_fails_within_the_timeout_with_the_url_redacted) {
    const NatsInstance nats = NatsInstance::fromEnvironment();
    const std::string port = std::to_string(unusedPort());
    NatsSettings settings = asNode(nats, "node-a");
    settings.urls = {"tls://node-a:s3cret@127.0.0.1:" + port};
    std::string error;
    const auto started = Clock::now();
    BOOST_TEST(!NatsTransport::connect(settings, {}, error));
    BOOST_TEST(millisecondsSince(started) < 3000);
    BOOST_TEST_MESSAGE("unreachable: " << error);
    BOOST_TEST(contains(error, "cannot reach NATS at tls://***@127.0.0.1:" + port), error);
    BOOST_TEST(!contains(error, "s3cret"), error);
    BOOST_TEST(!contains(error, settings.password), error);

    BOOST_TEST(NatsTransport::redactUrl("tls://user:pw@host:4222") == "tls://***@host:4222");
    BOOST_TEST(NatsTransport::redactUrl("tls://host:4222") == "tls://host:4222");
    BOOST_TEST(NatsTransport::redactUrl("nats://u@h:1/x@y") == "nats://***@h:1/x@y");
    BOOST_TEST(NatsTransport::redactUrl("host:4222") == "host:4222");
}

BOOST_AUTO_TEST_CASE(plaintext_against_the_tls_only_server_fails) {
    const NatsInstance nats = NatsInstance::fromEnvironment();
    NatsSettings settings = asNode(nats, "node-a");
    settings.plaintext = true;
    std::string error;
    BOOST_TEST(!NatsTransport::connect(settings, {}, error));
    BOOST_TEST_MESSAGE("plaintext: " << error);
    BOOST_TEST(contains(error, "requires TLS"), error);
    BOOST_TEST(!contains(error, settings.password), error);
}

BOOST_AUTO_TEST_CASE(a_ca_file_that_is_missing_or_does_not_match_is_an_error) {
    const NatsInstance nats = NatsInstance::fromEnvironment();
    NatsSettings missing = asNode(nats, "node-a");
    missing.caFile = nats.dir + "/no-such-ca.pem";
    std::string error;
    BOOST_TEST(!NatsTransport::connect(missing, {}, error));
    BOOST_TEST_MESSAGE("missing CA: " << error);
    BOOST_TEST(contains(error, "cannot read the file " + missing.caFile), error);

    NatsSettings untrusting = asNode(nats, "node-a");
    untrusting.caFile.clear();  // the system's store does not hold the test CA
    BOOST_TEST(!NatsTransport::connect(untrusting, {}, error));
    BOOST_TEST_MESSAGE("untrusted: " << error);
    BOOST_TEST(contains(error, "TLS with NATS at"), error);
}

// Under ASan (label sanitize) this is the test of the destructor's contract: after it
// returns no handler and no event runs, though messages keep coming.
BOOST_AUTO_TEST_CASE(destroying_a_transport_while_messages_arrive_is_clean) {
    const NatsInstance nats = NatsInstance::fromEnvironment();
    auto b = connectOrFail(asNode(nats, "node-b"));
    std::atomic<bool> sending{true};
    std::thread sender([&] {
        const Bytes payload(512, 0x5a);
        while (sending) {
            publishBytes(*b, subject("flood"), payload);
            publishBytes(*b, subject("flood-2"), payload);
        }
    });
    for (int round = 0; round < 5; ++round) {
        auto received = std::make_unique<std::atomic<long>>(0);
        EventLog log;
        auto a = connectOrFail(asNode(nats, "node-a"), log.events());
        std::atomic<long>* counter = received.get();
        const auto slowHandler = [counter](const std::uint8_t* data, std::size_t size) {
            if (size > 0 && data[0] == 0x5a) ++*counter;
            std::this_thread::sleep_for(50us);
        };
        BOOST_TEST_REQUIRE(a->subscribe(subject("flood"), slowHandler));
        BOOST_TEST_REQUIRE(a->subscribe(subject("flood-2"), slowHandler));
        BOOST_TEST_REQUIRE(a->serve(subject("flood-sync"), [counter](const std::uint8_t*, std::size_t) {
            ++*counter;
            return Bytes{1};
        }));
        const auto deadline = Clock::now() + 10s;
        while (*counter < 100 && Clock::now() < deadline) std::this_thread::sleep_for(1ms);
        BOOST_TEST_REQUIRE(*counter >= 100);
        a.reset();
        const long afterDestruction = *counter;
        received.reset();  // a late callback would now touch freed memory (ASan)
        std::this_thread::sleep_for(20ms);
        BOOST_TEST(afterDestruction >= 100);
        BOOST_TEST(log.closed() == 0, "the closed event is not passed on for the transport's own end");
    }
    sending = false;
    sender.join();
}

BOOST_AUTO_TEST_CASE(a_nats_restart_is_reported_and_subscriptions_come_back) {
    parley::test::PrivateNats server("parley-nats-transport");
    const NatsInstance nats = server.instance();
    EventLog log;
    auto a = connectOrFail(asNode(nats, "node-a"), log.events());
    auto b = connectOrFail(asNode(nats, "node-b"));
    Inbox inbox;
    BOOST_TEST_REQUIRE(a->subscribe(subject("restart"), inbox.handler()));
    BOOST_TEST_REQUIRE(publishBytes(*b, subject("restart"), Bytes{1}));
    BOOST_TEST_REQUIRE(inbox.waitFor(1));

    BOOST_TEST_REQUIRE(server.run("crash"));
    BOOST_TEST_REQUIRE(log.waitForDisconnected(1, 10s));
    BOOST_TEST(!a->connected());
    // While it is down: buffered for the reconnect, not refused.
    BOOST_TEST(publishBytes(*a, subject("restart-while-down"), Bytes{2}));

    BOOST_TEST_REQUIRE(server.run("restart"));
    BOOST_TEST_REQUIRE(log.waitForReconnected(1, 20s));
    BOOST_TEST(a->connected());
    // b reconnects on its own schedule: publish until a hears it again.
    const auto deadline = Clock::now() + 20s;
    while (!inbox.waitFor(2, 100ms) && Clock::now() < deadline) publishBytes(*b, subject("restart"), Bytes{3});
    BOOST_TEST_REQUIRE(inbox.waitFor(2, 0ms), "the subscription was not restored after the reconnect");
    BOOST_TEST(inbox.messages()[1] == Bytes{3});
    BOOST_TEST(log.closed() == 0);
    a.reset();
    b.reset();
}

BOOST_AUTO_TEST_SUITE_END()
