// Conformance: the reactor itself: timers, posts from many threads, quitting, idling,
// and stopping loops that are busy with connections.
#include "tests/platform/TestSupport.h"

#include "platform/Buffer.h"
#include "platform/InetAddress.h"
#include "platform/LoopPool.h"
#include "platform/Reactor.h"
#include "platform/TcpClient.h"
#include "platform/TcpConnection.h"
#include "tests/support/OneCpu.h"

#include <boost/test/unit_test.hpp>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <future>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

namespace parley::net::test {

BOOST_AUTO_TEST_SUITE(loop)

BOOST_AUTO_TEST_CASE(timers_fire_in_order_repeat_and_cancel) {
    LoopThread thread(testBackend(), quietLogger());
    Reactor& reactor = thread.start();
    std::vector<int> fired;  // loop thread only until the final barrier
    std::atomic<int> repeats{0};
    std::atomic<bool> lastFired{false};

    reactor.runInLoopAndWait([&] {
        reactor.runAfter(30ms, [&] { fired.push_back(3); });
        reactor.runAfter(10ms, [&] { fired.push_back(1); });
        reactor.runAfter(20ms, [&] { fired.push_back(2); });
        const TimerId cancelled = reactor.runAfter(15ms, [&] { fired.push_back(99); });
        reactor.cancel(cancelled);
        auto repeating = std::make_shared<TimerId>(kInvalidTimerId);
        *repeating = reactor.runEvery(2ms, [&, repeating] {
            if (++repeats == 5) {
                reactor.cancel(*repeating);  // cancels itself from its own callback
            }
        });
        reactor.runAfter(60ms, [&] { lastFired = true; });
    });
    // Added and cancelled from another thread.
    const TimerId remote = reactor.runAfter(20ms, [&] { fired.push_back(98); });
    reactor.cancel(remote);

    BOOST_REQUIRE(waitFor([&] { return lastFired.load(); }));
    std::this_thread::sleep_for(20ms);
    std::vector<int> order;
    reactor.runInLoopAndWait([&] { order = fired; });
    BOOST_TEST(order == (std::vector<int>{1, 2, 3}), boost::test_tools::per_element());
    BOOST_TEST(repeats == 5);
}

BOOST_AUTO_TEST_CASE(posts_from_many_threads_all_run_in_per_thread_order) {
    constexpr int kThreads = 4;
    constexpr int kPosts = 20000;
    LoopThread thread(testBackend(), quietLogger());
    Reactor& reactor = thread.start();
    std::vector<std::vector<int>> seen(kThreads);  // loop thread only

    std::vector<std::thread> posters;
    for (int t = 0; t < kThreads; ++t) {
        posters.emplace_back([&, t] {
            for (int i = 0; i < kPosts; ++i) {
                reactor.post([&seen, t, i] { seen[static_cast<std::size_t>(t)].push_back(i); });
            }
        });
    }
    for (std::thread& poster : posters) {
        poster.join();
    }
    reactor.runInLoopAndWait([] {});  // every post above was queued before this one
    for (const auto& sequence : seen) {
        BOOST_TEST(sequence.size() == static_cast<std::size_t>(kPosts));
        BOOST_TEST(std::is_sorted(sequence.begin(), sequence.end()));
    }
}

BOOST_AUTO_TEST_CASE(idle_loop_sleeps_and_quit_wakes_it) {
    LoopThread thread(testBackend(), quietLogger());
    Reactor& reactor = thread.start();
    reactor.runInLoopAndWait([] {});
    const std::uint64_t before = reactor.iterations();
    std::this_thread::sleep_for(300ms);
    // A spinning poller would have done hundreds of thousands of iterations.
    BOOST_TEST(reactor.iterations() - before <= 3U);

    thread.stop();  // blocks in poll until quit() wakes it
    BOOST_TEST(!reactor.post([] {}));
    bool ranInline = false;
    reactor.runInLoopAndWait([&] { ranInline = true; });
    BOOST_TEST(ranInline);
}

namespace {

// Reads nothing; on its first event it unregisters itself and its partner.
class Probe final : public IoHandler {
public:
    Probe(Reactor& reactor, SocketHandle socket) : m_reactor(reactor), m_socket(socket) {}

    void handleEvents(IoEvents /*ready*/) override {
        ++calls;
        m_reactor.removeSocket(m_socket);
        if (partner != nullptr) {
            m_reactor.removeSocket(partner->m_socket);
        }
    }
    void handleLoopExit() override { m_reactor.removeSocket(m_socket); }

    Probe* partner = nullptr;
    int calls = 0;

private:
    Reactor& m_reactor;
    SocketHandle m_socket;
};

}  // namespace

BOOST_AUTO_TEST_CASE(handler_removed_during_dispatch_gets_no_more_events) {
    Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
    Poco::Net::StreamSocket clientA(listener.address());
    Poco::Net::StreamSocket serverA = listener.acceptConnection();
    Poco::Net::StreamSocket clientB(listener.address());
    Poco::Net::StreamSocket serverB = listener.acceptConnection();
    sendAll(clientA, "a");
    sendAll(clientB, "b");  // both readable before the loop polls: one batch

    LoopThread thread(testBackend(), quietLogger());
    Reactor& reactor = thread.start();
    Probe a(reactor, serverA.impl()->sockfd());
    Probe b(reactor, serverB.impl()->sockfd());
    a.partner = &b;
    b.partner = &a;
    reactor.runInLoopAndWait([&] {
        reactor.addSocket(serverA.impl()->sockfd(), IoEvents::Readable, a);
        reactor.addSocket(serverB.impl()->sockfd(), IoEvents::Readable, b);
    });
    BOOST_REQUIRE(waitFor([&] {
        int total = 0;
        reactor.runInLoopAndWait([&] { total = a.calls + b.calls; });
        return total > 0;
    }));
    std::this_thread::sleep_for(20ms);
    int calls = 0;
    reactor.runInLoopAndWait([&] { calls = a.calls + b.calls; });
    BOOST_TEST(calls == 1);
}

BOOST_AUTO_TEST_CASE(drained_buffers_are_reused_within_a_bound) {
    LoopThread thread(testBackend(), quietLogger());
    Reactor& reactor = thread.start();
    reactor.runInLoopAndWait([&] {
        Buffer small;
        small.append(std::string(100, 'x'));
        small.retrieveAll();
        const void* memory = small.peek();  // compared as addresses, not C strings
        reactor.recycleBuffer(small);
        BOOST_TEST(small.capacity() == 0U);  // the connection holds nothing once drained

        Buffer next;
        reactor.reuseBuffer(next);
        next.append("hello");
        BOOST_TEST(static_cast<const void*>(next.peek()) == memory);  // the same memory, no allocation
        BOOST_TEST(next.view() == "hello");

        Buffer large;  // too large to keep: freed
        large.append(std::string(Reactor::kSpareBufferBytes * 2, 'y'));
        large.retrieveAll();
        reactor.recycleBuffer(large);
        Buffer after;
        reactor.reuseBuffer(after);
        BOOST_TEST(after.capacity() == 0U);

        // At most kSpareBuffers are kept.
        for (std::size_t i = 0; i < Reactor::kSpareBuffers + 5; ++i) {
            Buffer b;
            b.append("z");
            b.retrieveAll();
            reactor.recycleBuffer(b);
        }
        std::size_t reused = 0;
        for (std::size_t i = 0; i < Reactor::kSpareBuffers + 5; ++i) {
            Buffer b;
            reactor.reuseBuffer(b);
            if (b.capacity() != 0) ++reused;
        }
        BOOST_TEST(reused == Reactor::kSpareBuffers);
    });
}

BOOST_AUTO_TEST_CASE(stopping_a_busy_pool_closes_its_connections) {
    constexpr std::size_t kClients = 32;
    constexpr std::size_t kMessage = 16 * 1024;
    std::atomic<std::size_t> serverCloses{0};
    ConnectionCallbacks serverCallbacks = echoCallbacks();
    serverCallbacks.onClose = [&](const TcpConnectionPtr&) { ++serverCloses; };
    ServerHarness harness(serverCallbacks);

    LoopThread clientThread(testBackend(), quietLogger());
    Reactor& clientLoop = clientThread.start();
    std::atomic<std::uint64_t> roundTrips{0};
    std::atomic<std::size_t> clientCloses{0};
    const std::string message(kMessage, 'm');
    ConnectionCallbacks callbacks;
    callbacks.onConnection = [&](const TcpConnectionPtr& connection) { connection->send(message); };
    callbacks.onMessage = [&](const TcpConnectionPtr& connection, Buffer& buffer) {
        while (buffer.readableBytes() >= kMessage) {
            buffer.retrieve(kMessage);
            ++roundTrips;
            connection->send(message);  // ping-pong forever
        }
    };
    callbacks.onClose = [&](const TcpConnectionPtr&) { ++clientCloses; };
    std::vector<std::unique_ptr<TcpClient>> clients;
    for (std::size_t i = 0; i < kClients; ++i) {
        clients.push_back(std::make_unique<TcpClient>(clientLoop, InetAddress::loopback(harness.port())));
        clients.back()->setCallbacks(callbacks);
        clients.back()->connect();
    }
    BOOST_REQUIRE(waitFor([&] { return roundTrips >= 20 * kClients; }));

    auto stopped = std::async(std::launch::async, [&] { harness.pool.stop(); });
    BOOST_REQUIRE(stopped.wait_for(20s) == std::future_status::ready);
    BOOST_TEST(serverCloses == kClients);
    BOOST_TEST(harness.server->connectionCount() == 0U);
    BOOST_TEST(waitFor([&] { return clientCloses == kClients; }));
    harness.server->stop();
    clients.clear();
}

BOOST_AUTO_TEST_CASE(a_pool_sized_by_default_has_a_loop_per_usable_core) {
    const std::size_t cores = LoopPool::usableCores();
    BOOST_TEST(cores >= 1U);
    BOOST_TEST(cores <= std::max(1U, std::thread::hardware_concurrency()));
    BOOST_TEST(LoopPool(0, testBackend(), quietLogger()).size() == cores);
    BOOST_TEST(LoopPool(3, testBackend(), quietLogger()).size() == 3U);
#if defined(__linux__)
    // A process (or thread) restricted to one CPU, as taskset or a container would do,
    // gets one loop, whatever the machine has.
    std::size_t pinnedCores = 0;
    std::size_t pinnedPool = 0;
    bool isPinned = false;
    std::thread pinned([&] {
        isPinned = parley::test::pinThisThreadToOneCpu();
        pinnedCores = LoopPool::usableCores();
        pinnedPool = LoopPool(0, testBackend(), quietLogger()).size();
    });
    pinned.join();
    BOOST_REQUIRE(isPinned);
    BOOST_TEST(pinnedCores == 1U);
    BOOST_TEST(pinnedPool == 1U);
#endif
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace parley::net::test
