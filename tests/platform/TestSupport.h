#pragma once
// Helpers shared by the platform conformance suites. The backend under test comes from
// the PARLEY_TEST_BACKEND environment variable ("epoll" / "poco"; default: the platform's).

#include "platform/Backend.h"
#include "platform/Callbacks.h"
#include "platform/ConnectionOptions.h"
#include "platform/Logger.h"
#include "platform/LoopPool.h"
#include "platform/LoopThread.h"
#include "platform/TcpServer.h"

#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace parley::net::test {

using namespace std::chrono_literals;

BackendKind testBackend();

/// Errors only, to stderr: tests that expect warnings capture them with a LogCapture.
Logger quietLogger();

/// Polls `condition` every millisecond until it holds or `timeout` passes.
bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 20s);

/// Callbacks of an echo server.
ConnectionCallbacks echoCallbacks();

/// A server on 127.0.0.1 (ephemeral port) with an accept thread and a pool of I/O loops,
/// all on the backend under test. Members are destroyed server first, then the loops.
class ServerHarness {
public:
    explicit ServerHarness(ConnectionCallbacks callbacks, ConnectionOptions options = {}, std::size_t ioThreads = 2,
                           Logger logger = quietLogger());
    ~ServerHarness();

    std::uint16_t port() const { return server->port(); }

    LoopThread acceptThread;
    LoopPool pool;
    std::unique_ptr<TcpServer> server;
};

/// A blocking Poco client socket connected to 127.0.0.1:port, with a receive timeout so
/// a failing test cannot hang.
Poco::Net::StreamSocket connectBlocking(std::uint16_t port);
void sendAll(Poco::Net::StreamSocket& socket, const std::string& data);
std::string receiveExactly(Poco::Net::StreamSocket& socket, std::size_t size);
/// Everything until the peer closes (EOF).
std::string receiveUntilEof(Poco::Net::StreamSocket& socket);

/// A logger sink that keeps the messages.
class LogCapture {
public:
    Logger logger(LogLevel threshold = LogLevel::Warn);
    bool contains(const std::string& fragment) const;

private:
    mutable std::mutex m_mutex;
    std::vector<std::string> m_lines;
};

}  // namespace parley::net::test
