#include "tests/platform/TestSupport.h"

#include "platform/Buffer.h"
#include "platform/InetAddress.h"
#include "platform/TcpConnection.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Timespan.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace parley::net::test {

BackendKind testBackend() {
    const char* name = std::getenv("PARLEY_TEST_BACKEND");
    if (name == nullptr) {
        return defaultBackend();
    }
    const auto kind = parseBackend(name);
    if (!kind) {
        throw std::invalid_argument(std::string("PARLEY_TEST_BACKEND: unknown backend ") + name);
    }
    return *kind;
}

Logger quietLogger() { return Logger(LogLevel::Error, &Logger::writeToStderr); }

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

ConnectionCallbacks echoCallbacks() {
    ConnectionCallbacks callbacks;
    callbacks.onMessage = [](const TcpConnectionPtr& connection, Buffer& buffer) {
        connection->send(buffer.view());
        buffer.retrieveAll();
    };
    return callbacks;
}

ServerHarness::ServerHarness(ConnectionCallbacks callbacks, ConnectionOptions options, std::size_t ioThreads,
                             Logger logger)
    : acceptThread(testBackend(), logger), pool(ioThreads, testBackend(), logger) {
    Reactor& acceptLoop = acceptThread.start();
    pool.start();
    server = std::make_unique<TcpServer>(acceptLoop, InetAddress::loopback(0), &pool);
    server->setCallbacks(std::move(callbacks));
    server->setConnectionOptions(options);
    server->start();
}

ServerHarness::~ServerHarness() { server.reset(); }

Poco::Net::StreamSocket connectBlocking(std::uint16_t port) {
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(10, 0));
    socket.setReceiveTimeout(Poco::Timespan(20, 0));
    socket.setNoDelay(true);
    return socket;
}

void sendAll(Poco::Net::StreamSocket& socket, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        sent += static_cast<std::size_t>(socket.sendBytes(data.data() + sent, static_cast<int>(data.size() - sent)));
    }
}

std::string receiveExactly(Poco::Net::StreamSocket& socket, std::size_t size) {
    std::string result(size, '\0');
    std::size_t received = 0;
    while (received < size) {
        const int n = socket.receiveBytes(result.data() + received, static_cast<int>(size - received));
        if (n <= 0) {
            result.resize(received);
            break;
        }
        received += static_cast<std::size_t>(n);
    }
    return result;
}

std::string receiveUntilEof(Poco::Net::StreamSocket& socket) {
    std::string result;
    char chunk[65536];
    for (;;) {
        const int n = socket.receiveBytes(chunk, sizeof chunk);
        if (n <= 0) {
            return result;
        }
        result.append(chunk, static_cast<std::size_t>(n));
    }
}

Logger LogCapture::logger(LogLevel threshold) {
    return Logger(threshold, [this](LogLevel, std::string_view message) {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_lines.emplace_back(message);
    });
}

bool LogCapture::contains(const std::string& fragment) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    for (const std::string& line : m_lines) {
        if (line.find(fragment) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace parley::net::test
