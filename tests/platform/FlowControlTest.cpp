// Conformance: output coalescing, backpressure against a slow reader, lazy buffers,
// graceful close, half-close in both directions, and resets.
#include "tests/platform/TestSupport.h"

#include "platform/Buffer.h"
#include "platform/TcpConnection.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>

namespace parley::net::test {

namespace {

constexpr std::size_t kChunk = 64 * 1024;

char patternByte(std::uint64_t offset) { return static_cast<char>((offset / kChunk) % 251); }

// Streams `total` bytes (or forever if 0) as fast as the watermarks allow. Loop thread
// only, except the atomics, which the test thread reads.
class Producer {
public:
    explicit Producer(std::uint64_t total) : m_total(total) {}

    ConnectionCallbacks callbacks() {
        ConnectionCallbacks callbacks;
        callbacks.onConnection = [this](const TcpConnectionPtr& connection) { produce(connection); };
        callbacks.onHighWaterMark = [this](const TcpConnectionPtr&, std::size_t) {
            m_paused = true;
            ++highWaterEvents;
        };
        callbacks.onLowWaterMark = [this](const TcpConnectionPtr& connection, std::size_t) {
            m_paused = false;
            produce(connection);
        };
        callbacks.onWriteComplete = [this](const TcpConnectionPtr& connection) { produce(connection); };
        callbacks.onClose = [this](const TcpConnectionPtr& connection) {
            closeError = connection->lastError().value();
            closed = true;
        };
        return callbacks;
    }

    std::atomic<std::size_t> maxQueued{0};
    std::atomic<int> highWaterEvents{0};
    std::atomic<std::uint64_t> produced{0};
    std::atomic<bool> closed{false};
    std::atomic<int> closeError{0};

private:
    void produce(const TcpConnectionPtr& connection) {
        while (!m_paused && connection->connected() && (m_total == 0 || produced < m_total)) {
            const std::uint64_t offset = produced;
            m_chunk.assign(kChunk, patternByte(offset));
            connection->send(m_chunk);
            produced = offset + kChunk;
            maxQueued = std::max<std::size_t>(maxQueued, connection->outputBytes());
        }
    }

    const std::uint64_t m_total;
    bool m_paused = false;
    std::string m_chunk;
};

/// `size` bytes of the chunk pattern: more than the socket buffers hold, for the tests
/// that need a full socket.
std::string patternPayload(std::size_t size) {
    std::string payload(size, '\0');
    for (std::size_t i = 0; i < size; ++i) payload[i] = patternByte(i);
    return payload;
}

ConnectionOptions watermarks(std::size_t high, std::size_t low) {
    ConnectionOptions options;
    options.output.highWaterMark = high;
    options.output.lowWaterMark = low;
    return options;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(flow_control)

BOOST_AUTO_TEST_CASE(slow_reader_gets_256_mib_with_bounded_output_buffer) {
    constexpr std::uint64_t kTotal = 256ULL << 20U;
    constexpr std::size_t kHigh = 1 << 20;
    Producer producer(kTotal);
    ServerHarness harness(producer.callbacks(), watermarks(kHigh, kHigh / 4));

    Poco::Net::StreamSocket reader = connectBlocking(harness.port());
    reader.setReceiveBufferSize(64 * 1024);
    std::string buffer(kChunk, '\0');
    std::uint64_t received = 0;
    std::uint64_t corrupt = 0;
    std::size_t reads = 0;
    while (received < kTotal) {
        const int n = reader.receiveBytes(buffer.data(), static_cast<int>(buffer.size()));
        BOOST_REQUIRE(n > 0);
        for (int i = 0; i < n; ++i) {
            corrupt +=
                buffer[static_cast<std::size_t>(i)] != patternByte(received + static_cast<std::uint64_t>(i)) ? 1 : 0;
        }
        received += static_cast<std::uint64_t>(n);
        if (++reads % 16 == 0) {
            std::this_thread::sleep_for(1ms);  // deliberately slower than the producer
        }
    }

    BOOST_TEST(received == kTotal);
    BOOST_TEST(corrupt == 0U);
    BOOST_TEST(producer.produced == kTotal);
    BOOST_TEST(producer.highWaterEvents > 0);
    BOOST_TEST(producer.maxQueued <= kHigh + kChunk);
}

BOOST_AUTO_TEST_CASE(sends_within_one_iteration_are_coalesced) {
    constexpr int kSends = 1000;
    std::atomic<bool> queuedAll{false};
    ConnectionCallbacks callbacks;
    callbacks.onConnection = [&](const TcpConnectionPtr& connection) {
        for (int i = 0; i < kSends; ++i) {
            connection->send("0123456789");
        }
        // Nothing was written yet: the whole batch leaves at the end of the iteration.
        queuedAll = connection->outputBytes() == 10U * kSends && connection->bytesSent() == 0;
    };
    ServerHarness harness(callbacks);
    Poco::Net::StreamSocket client = connectBlocking(harness.port());
    const std::string received = receiveExactly(client, 10U * kSends);
    BOOST_TEST(received.size() == 10U * kSends);
    BOOST_TEST(queuedAll.load());
}

BOOST_AUTO_TEST_CASE(send_now_writes_at_once_and_keeps_the_order) {
    std::atomic<bool> wroteAtOnce{false};
    std::atomic<bool> queuedBehind{false};
    ConnectionCallbacks callbacks;
    callbacks.onConnection = [&](const TcpConnectionPtr& connection) {
        connection->sendNow("hello ");
        // Straight to the socket: nothing queued, no buffer taken.
        wroteAtOnce =
            connection->bytesSent() == 6 && connection->outputBytes() == 0 && connection->bufferCapacity() == 0;
        connection->send("queued ");
        connection->sendNow("after");
        // Behind what send() queued, so in order.
        queuedBehind = connection->outputBytes() == 12 && connection->bytesSent() == 6;
    };
    ServerHarness harness(callbacks);
    Poco::Net::StreamSocket client = connectBlocking(harness.port());
    BOOST_TEST(receiveExactly(client, 18) == "hello queued after");
    BOOST_TEST(wroteAtOnce.load());
    BOOST_TEST(queuedBehind.load());
}

BOOST_AUTO_TEST_CASE(send_now_queues_what_a_full_socket_refuses) {
    constexpr std::size_t kTotal = 16U << 20U;  // far more than the socket buffers hold
    const std::string payload = patternPayload(kTotal);
    std::atomic<std::size_t> queued{0};
    std::atomic<int> writeCompletes{0};
    ConnectionCallbacks callbacks;
    callbacks.onConnection = [&](const TcpConnectionPtr& connection) {
        connection->sendNow(payload);
        queued = connection->outputBytes();
    };
    callbacks.onWriteComplete = [&](const TcpConnectionPtr&) { ++writeCompletes; };
    ServerHarness harness(callbacks);
    Poco::Net::StreamSocket client = connectBlocking(harness.port());
    const std::string received = receiveExactly(client, kTotal);
    BOOST_TEST(queued.load() > 0U);
    BOOST_TEST(queued.load() < kTotal);
    BOOST_TEST((received == payload));
    // The queued rest was reported once it was out.
    for (int i = 0; i < 100 && writeCompletes.load() == 0; ++i) std::this_thread::sleep_for(10ms);
    BOOST_TEST(writeCompletes.load() == 1);
}

BOOST_AUTO_TEST_CASE(send_owned_keeps_the_call_order_through_a_full_socket) {
    // Far more than the socket buffers hold, so the owned block leaves over many
    // gathered writes, with copied bytes queued behind it.
    constexpr std::size_t kTotal = 16U << 20U;
    const std::string payload = patternPayload(kTotal);
    std::atomic<std::size_t> queued{0};
    std::atomic<int> completes{0};
    ConnectionCallbacks callbacks;
    callbacks.onConnection = [&](const TcpConnectionPtr& connection) {
        connection->sendOwned(payload);
        connection->send("-copied-");
        connection->sendOwned("owned behind copied bytes: copied too");
        connection->sendNow("-now");
        queued = connection->outputBytes();
    };
    callbacks.onWriteComplete = [&](const TcpConnectionPtr& connection) {
        if (++completes == 1) {
            // Nothing queued: taken over, and written from the string itself.
            connection->sendOwned("-last");
        }
    };
    ServerHarness harness(callbacks);
    Poco::Net::StreamSocket client = connectBlocking(harness.port());
    const std::string expected = payload + "-copied-owned behind copied bytes: copied too-now-last";
    const std::string received = receiveExactly(client, expected.size());
    BOOST_TEST(queued.load() == kTotal + 8 + 37 + 4);
    BOOST_TEST((received == expected));
    BOOST_TEST(waitFor([&] { return completes.load() == 2; }));
}

BOOST_AUTO_TEST_CASE(a_large_message_arrives_whole_across_many_reads) {
    // 1 MiB in one message: after the first reads the rest goes straight into the
    // connection's input buffer; the callback sees every byte once, in order.
    constexpr std::size_t kMessage = 1U << 20U;
    std::string message(kMessage, '\0');
    for (std::size_t i = 0; i < kMessage; ++i) message[i] = static_cast<char>(i * 7 % 253);
    std::mutex mutex;
    std::string got;
    TcpConnectionPtr serverSide;
    ConnectionCallbacks callbacks;
    callbacks.onConnection = [&](const TcpConnectionPtr& connection) {
        std::lock_guard<std::mutex> lock(mutex);
        serverSide = connection;
    };
    callbacks.onMessage = [&](const TcpConnectionPtr& connection, Buffer& buffer) {
        while (buffer.readableBytes() >= kMessage) {
            std::string whole = buffer.retrieveAsString(kMessage);
            connection->send("ok");
            std::lock_guard<std::mutex> lock(mutex);
            got += whole;
        }
    };
    ServerHarness harness(callbacks);
    Poco::Net::StreamSocket client = connectBlocking(harness.port());
    sendAll(client, message + message.substr(0, 100));
    sendAll(client, message.substr(100));
    BOOST_TEST(receiveExactly(client, 4) == "okok");
    TcpConnectionPtr connection;
    {
        std::lock_guard<std::mutex> lock(mutex);
        BOOST_TEST((got == message + message));
        connection = serverSide;
    }
    // Consumed: the input buffer's memory is given back.
    std::size_t capacity = 1;
    for (int i = 0; i < 100 && capacity != 0; ++i) {
        connection->loop().runInLoopAndWait([&] { capacity = connection->bufferCapacity(); });
        if (capacity != 0) std::this_thread::sleep_for(10ms);
    }
    BOOST_TEST(capacity == 0U);
    std::lock_guard<std::mutex> lock(mutex);
    serverSide.reset();
}

BOOST_AUTO_TEST_CASE(idle_connection_holds_no_buffer_memory_and_partial_input_is_kept) {
    std::mutex mutex;
    TcpConnectionPtr serverSide;
    std::string lines;
    ConnectionCallbacks callbacks;
    callbacks.onConnection = [&](const TcpConnectionPtr& connection) {
        std::lock_guard<std::mutex> lock(mutex);
        serverSide = connection;
    };
    // A line protocol: consume whole lines only, echo them.
    callbacks.onMessage = [&](const TcpConnectionPtr& connection, Buffer& buffer) {
        const std::size_t end = buffer.view().rfind('\n');
        if (end != std::string_view::npos) {
            const std::string complete = buffer.retrieveAsString(end + 1);
            connection->send(complete);
            std::lock_guard<std::mutex> lock(mutex);
            lines += complete;
        }
    };
    ServerHarness harness(callbacks);
    Poco::Net::StreamSocket client = connectBlocking(harness.port());

    const auto capacity = [&] {
        std::size_t result = 0;
        TcpConnectionPtr connection;
        {
            std::lock_guard<std::mutex> lock(mutex);
            connection = serverSide;
        }
        connection->loop().runInLoopAndWait([&] { result = connection->bufferCapacity(); });
        return result;
    };

    sendAll(client, "first line\n");
    BOOST_TEST(receiveExactly(client, 11) == "first line\n");
    BOOST_TEST(capacity() == 0U);

    sendAll(client, "half a ");
    BOOST_REQUIRE(waitFor([&] { return capacity() > 0; }));
    sendAll(client, "line\n");
    BOOST_TEST(receiveExactly(client, 12) == "half a line\n");
    BOOST_TEST(capacity() == 0U);
    std::lock_guard<std::mutex> lock(mutex);
    BOOST_TEST(lines == "first line\nhalf a line\n");
    serverSide.reset();
}

BOOST_AUTO_TEST_CASE(close_delivers_queued_output_then_closes) {
    constexpr std::size_t kSize = 4U << 20U;
    std::atomic<bool> closed{false};
    std::atomic<int> closeError{-1};
    ConnectionCallbacks callbacks;
    callbacks.onConnection = [](const TcpConnectionPtr& connection) {
        connection->send(std::string(kSize, 'x'));
        connection->close();
    };
    callbacks.onClose = [&](const TcpConnectionPtr& connection) {
        closeError = connection->lastError().value();
        closed = true;
    };
    ServerHarness harness(callbacks);
    Poco::Net::StreamSocket client = connectBlocking(harness.port());
    const std::string received = receiveUntilEof(client);
    BOOST_TEST(received.size() == kSize);
    BOOST_TEST(received.find_first_not_of('x') == std::string::npos);
    BOOST_REQUIRE(waitFor([&] { return closed.load(); }));
    BOOST_TEST(closeError == 0);
}

BOOST_AUTO_TEST_CASE(close_gives_up_on_a_peer_that_does_not_read) {
    std::atomic<bool> closed{false};
    std::atomic<int> closeError{0};
    ConnectionOptions options;
    options.closeTimeout = 100ms;
    ConnectionCallbacks callbacks;
    callbacks.onConnection = [](const TcpConnectionPtr& connection) {
        connection->send(std::string(32U << 20U, 'z'));  // far more than the socket buffers hold
        connection->close();
    };
    callbacks.onClose = [&](const TcpConnectionPtr& connection) {
        closeError = connection->lastError().value();
        closed = true;
    };
    ServerHarness harness(callbacks, options);
    Poco::Net::StreamSocket client = connectBlocking(harness.port());  // never reads
    BOOST_REQUIRE(waitFor([&] { return closed.load(); }, 10s));
    BOOST_TEST((std::error_code(closeError, std::system_category()) == std::errc::timed_out));
}

BOOST_AUTO_TEST_CASE(paused_reader_reset_by_peer_does_not_spin) {
    std::mutex mutex;
    TcpConnectionPtr serverSide;
    ConnectionCallbacks callbacks;
    callbacks.onConnection = [&](const TcpConnectionPtr& connection) {
        connection->stopReading();
        std::lock_guard<std::mutex> lock(mutex);
        serverSide = connection;
    };
    ServerHarness harness(callbacks);
    {
        Poco::Net::StreamSocket client = connectBlocking(harness.port());
        sendAll(client, "unread");
        BOOST_REQUIRE(waitFor([&] {
            std::lock_guard<std::mutex> lock(mutex);
            return serverSide != nullptr;
        }));
        client.setLinger(true, 0);
        client.close();
    }
    std::lock_guard<std::mutex> lock(mutex);
    Reactor& loop = serverSide->loop();
    std::this_thread::sleep_for(50ms);
    const std::uint64_t before = loop.iterations();
    std::this_thread::sleep_for(300ms);
    // A hung-up socket with no interest must not make the poller return at once forever.
    BOOST_TEST(loop.iterations() - before <= 5U);
    BOOST_TEST_MESSAGE("paused connection after reset: "
                       << (serverSide->state() == TcpConnection::State::Disconnected ? "closed" : "open until read"));
    serverSide.reset();
}

BOOST_AUTO_TEST_CASE(peer_half_close_still_gets_the_reply) {
    std::atomic<bool> closed{false};
    ConnectionCallbacks callbacks = echoCallbacks();
    callbacks.onClose = [&](const TcpConnectionPtr&) { closed = true; };
    ServerHarness harness(callbacks);
    Poco::Net::StreamSocket client = connectBlocking(harness.port());
    sendAll(client, "question");
    client.shutdownSend();
    BOOST_TEST(receiveUntilEof(client) == "question");
    BOOST_TEST(waitFor([&] { return closed.load(); }));
}

BOOST_AUTO_TEST_CASE(shutdown_closes_only_the_write_side) {
    std::mutex mutex;
    std::string afterShutdown;
    std::atomic<bool> closed{false};
    std::atomic<bool> refusedAfterShutdown{false};
    ConnectionCallbacks callbacks;
    callbacks.onConnection = [&](const TcpConnectionPtr& connection) {
        connection->send("bye");
        connection->shutdown();
        refusedAfterShutdown = !connection->send("dropped");
    };
    callbacks.onMessage = [&](const TcpConnectionPtr&, Buffer& buffer) {
        std::lock_guard<std::mutex> lock(mutex);
        afterShutdown += buffer.retrieveAllAsString();
    };
    callbacks.onClose = [&](const TcpConnectionPtr&) { closed = true; };
    ServerHarness harness(callbacks);
    Poco::Net::StreamSocket client = connectBlocking(harness.port());
    BOOST_TEST(receiveUntilEof(client) == "bye");
    BOOST_TEST(refusedAfterShutdown.load());
    sendAll(client, "late words");
    BOOST_TEST(waitFor([&] {
        std::lock_guard<std::mutex> lock(mutex);
        return afterShutdown == "late words";
    }));
    BOOST_TEST(!closed.load());
    client.close();
    BOOST_TEST(waitFor([&] { return closed.load(); }));
}

BOOST_AUTO_TEST_CASE(peer_reset_mid_write_reports_an_error) {
    Producer producer(0);
    ServerHarness harness(producer.callbacks(), watermarks(1 << 20, 256 << 10));
    {
        Poco::Net::StreamSocket client = connectBlocking(harness.port());
        BOOST_TEST(receiveExactly(client, 1 << 20).size() == std::size_t{1} << 20U);
        client.setLinger(true, 0);  // close() now sends RST
        client.close();
    }
    BOOST_REQUIRE(waitFor([&] { return producer.closed.load(); }));
    const std::error_code error(producer.closeError, std::system_category());
    BOOST_TEST_MESSAGE("reset reported as: " << error.message());
    BOOST_TEST(producer.closeError != 0);

    // The server keeps serving.
    BOOST_TEST(waitFor([&] { return harness.server->connectionCount() == 0; }));
}

BOOST_AUTO_TEST_CASE(post_send_from_another_thread) {
    std::mutex mutex;
    TcpConnectionPtr serverSide;
    ConnectionCallbacks callbacks;
    callbacks.onConnection = [&](const TcpConnectionPtr& connection) {
        std::lock_guard<std::mutex> lock(mutex);
        serverSide = connection;
    };
    ServerHarness harness(callbacks);
    Poco::Net::StreamSocket client = connectBlocking(harness.port());
    BOOST_REQUIRE(waitFor([&] {
        std::lock_guard<std::mutex> lock(mutex);
        return serverSide != nullptr;
    }));
    TcpConnectionPtr connection;
    {
        std::lock_guard<std::mutex> lock(mutex);
        connection = serverSide;
    }
    connection->postSend("from ");
    connection->postSend("elsewhere");
    connection->postClose();
    BOOST_TEST(receiveUntilEof(client) == "from elsewhere");
    BOOST_TEST(waitFor([&] { return connection->state() == TcpConnection::State::Disconnected; }));
    BOOST_TEST(!connection->connected());
    connection->postSend("ignored after close");
    std::lock_guard<std::mutex> lock(mutex);
    serverSide.reset();
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace parley::net::test
