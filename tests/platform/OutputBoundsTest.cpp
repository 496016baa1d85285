// Conformance: the output bounds of a connection (ConnectionOptions::output: read pause
// above high water, slow-consumer close, hard limit), and that no exception escapes
// the loop (a throwing callback closes only its own connection).
#include "tests/platform/TestSupport.h"

#include "platform/Buffer.h"
#include "platform/Compat.h"
#include "platform/TcpConnection.h"

#include <Poco/Exception.h>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>

namespace parley::net::test {

namespace {

constexpr std::size_t kChunk = 64 * 1024;

char patternByte(std::uint64_t offset) { return static_cast<char>(offset % 251); }

std::string patternChunk(std::uint64_t offset, std::size_t size) {
    std::string chunk(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        chunk[i] = patternByte(offset + i);
    }
    return chunk;
}

ConnectionOptions bounded(std::size_t high, std::size_t low) {
    ConnectionOptions options;
    options.output.highWaterMark = high;
    options.output.lowWaterMark = low;
    options.output.pauseReadingAboveHighWater = true;
    return options;
}

// Writes from `offset` on the non-blocking `socket` until `total`, or until it has not
// been writable for 300 ms; returns the new offset.
std::uint64_t writeUntilStalled(Poco::Net::StreamSocket& socket, std::uint64_t offset, std::uint64_t total) {
    while (offset < total && socket.poll(Poco::Timespan(0, 300'000), Poco::Net::Socket::SELECT_WRITE)) {
        const std::string chunk =
            patternChunk(offset, static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, total - offset)));
        const int n = socket.sendBytes(chunk.data(), static_cast<int>(chunk.size()));
        if (n > 0) {
            offset += static_cast<std::uint64_t>(n);
        }
    }
    return offset;
}

// Records how the server's (single) connection ended.
struct CloseRecord {
    std::atomic<bool> closed{false};
    std::atomic<int> error{0};

    void attach(ConnectionCallbacks& callbacks) {
        callbacks.onClose = [this](const TcpConnectionPtr& connection) {
            error = connection->lastError().value();
            closed = true;
        };
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(output_bounds)

// Without the pause an echo server reads all a non-reading peer sends and queues the
// echo without bound; with it, reading stops near the high-water mark, and everything
// still arrives once the peer reads.
BOOST_AUTO_TEST_CASE(above_high_water_reading_stops_until_the_output_drains) {
    constexpr std::uint64_t kTotal = 64ULL << 20U;
    ServerHarness harness(echoCallbacks(), bounded(64 * 1024, 16 * 1024));
    Poco::Net::StreamSocket client = connectBlocking(harness.port());
    client.setBlocking(false);

    const std::uint64_t beforeReading = writeUntilStalled(client, 0, kTotal);
    BOOST_TEST(beforeReading < kTotal);  // the server stopped taking input

    std::atomic<std::uint64_t> received{0};
    std::atomic<std::uint64_t> corrupt{0};
    std::thread reader([&] {
        std::string buffer(kChunk, '\0');
        while (received < kTotal) {
            if (!client.poll(Poco::Timespan(20, 0), Poco::Net::Socket::SELECT_READ)) {
                return;
            }
            const int n = client.receiveBytes(buffer.data(), static_cast<int>(buffer.size()));
            if (n == 0) {
                return;
            }
            if (n < 0) {
                continue;  // not readable after all
            }
            for (int i = 0; i < n; ++i) {
                corrupt += buffer[static_cast<std::size_t>(i)] != patternByte(received + static_cast<std::uint64_t>(i))
                               ? 1
                               : 0;
            }
            received += static_cast<std::uint64_t>(n);
        }
    });
    std::uint64_t offset = beforeReading;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (offset < kTotal && std::chrono::steady_clock::now() < deadline) {
        offset = writeUntilStalled(client, offset, kTotal);
    }
    reader.join();
    BOOST_TEST(offset == kTotal);
    BOOST_TEST(received == kTotal);
    BOOST_TEST(corrupt == 0U);
}

BOOST_AUTO_TEST_CASE(a_slow_consumer_is_closed_after_its_timeout) {
    // The stalled peer gets more than the kernel's buffers hold, so it stays above
    // the mark; the reader gets a burst it can drain well within the timeout even on
    // a loaded machine under ASan (16 MiB once was not: it was closed too).
    constexpr std::size_t kBurst = 16 << 20;
    constexpr std::size_t kReaderBurst = 2 << 20;
    ConnectionOptions options = bounded(64 * 1024, 16 * 1024);
    options.output.slowConsumerTimeout = 1s;
    CloseRecord record;
    ConnectionCallbacks callbacks;
    std::atomic<int> connections{0};
    callbacks.onConnection = [&connections](const TcpConnectionPtr& connection) {
        const std::size_t burst = connections++ == 0 ? kBurst : kReaderBurst;
        for (std::size_t sent = 0; sent < burst; sent += kChunk) {
            connection->send(patternChunk(sent, kChunk));
        }
    };
    record.attach(callbacks);
    LogCapture log;
    ServerHarness harness(callbacks, options, 1, log.logger());

    Poco::Net::StreamSocket stalled = connectBlocking(harness.port());  // never reads
    BOOST_REQUIRE(waitFor([&] { return record.closed.load(); }, 10s));
    BOOST_TEST(record.error == compat::kTimedOut);
    BOOST_TEST(log.contains("closed as a slow consumer"));

    // A peer that reads gets the whole burst.
    record.closed = false;
    Poco::Net::StreamSocket reader = connectBlocking(harness.port());
    const std::string received = receiveExactly(reader, kReaderBurst);
    BOOST_TEST(received.size() == kReaderBurst);
}

BOOST_AUTO_TEST_CASE(output_over_the_limit_is_refused_and_closes_at_once) {
    constexpr std::size_t kLimit = 1 << 20;
    ConnectionOptions options = bounded(64 * 1024, 16 * 1024);
    options.output.outputLimit = kLimit;
    CloseRecord record;
    std::atomic<std::size_t> accepted{0};
    ConnectionCallbacks callbacks;
    callbacks.onConnection = [&accepted](const TcpConnectionPtr& connection) {
        // One loop iteration: nothing is written before the limit is met.
        for (int i = 0; i < 64 && connection->send(std::string(kChunk, 'o')); ++i) {
            ++accepted;
        }
    };
    record.attach(callbacks);
    LogCapture log;
    ServerHarness harness(callbacks, options, 1, log.logger());

    Poco::Net::StreamSocket stalled = connectBlocking(harness.port());
    BOOST_REQUIRE(waitFor([&] { return record.closed.load(); }, 10s));
    BOOST_TEST(accepted == kLimit / kChunk);
    BOOST_TEST(record.error == compat::kNoBufferSpace);
    BOOST_TEST(log.contains("over its limit of 1048576"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(exceptions)

BOOST_AUTO_TEST_CASE(an_exception_in_a_callback_closes_only_its_connection) {
    ConnectionCallbacks callbacks = echoCallbacks();
    const MessageCallback echo = callbacks.onMessage;
    callbacks.onMessage = [echo](const TcpConnectionPtr& connection, Buffer& input) {
        if (input.view().substr(0, 1) == "X") {
            throw std::runtime_error("boom from the test");
        }
        echo(connection, input);
    };
    LogCapture log;
    ServerHarness harness(callbacks, {}, 1, log.logger(LogLevel::Error));

    Poco::Net::StreamSocket failing = connectBlocking(harness.port());
    sendAll(failing, "X and the rest of it");
    std::string rest;
    try {
        rest = receiveUntilEof(failing);
    } catch (const Poco::Exception&) {
        // a reset is a close too
    }
    BOOST_TEST(rest.empty());
    BOOST_TEST(waitFor([&] { return log.contains("boom from the test"); }));

    // The same loop serves the next connection, and its scratch buffer holds nothing
    // of the failed read.
    Poco::Net::StreamSocket next = connectBlocking(harness.port());
    sendAll(next, "hello");
    BOOST_TEST(receiveExactly(next, 5) == "hello");
}

BOOST_AUTO_TEST_CASE(an_exception_in_a_timer_or_posted_function_is_logged_and_the_loop_goes_on) {
    LogCapture log;
    LoopThread thread(testBackend(), log.logger(LogLevel::Error));
    Reactor& loop = thread.start();
    std::atomic<bool> after{false};
    loop.post([] { throw std::runtime_error("posted boom"); });
    loop.runAfter(1ms, [] { throw std::logic_error("timer boom"); });
    loop.runAfter(20ms, [&after] { after = true; });
    BOOST_TEST(waitFor([&] { return after.load(); }, 10s));
    BOOST_TEST(log.contains("posted boom"));
    BOOST_TEST(log.contains("timer boom"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace parley::net::test
