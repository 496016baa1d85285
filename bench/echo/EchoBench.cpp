// parley-echo-bench: echo throughput, latency and idle memory of the platform layer on
// 127.0.0.1, server and clients in one process, both on the chosen backend.
//
//   parley-echo-bench --backend epoll|poco --connections N --seconds S --size B
//                     [--server-threads T] [--client-threads T]
//   parley-echo-bench --backend epoll|poco --idle N
//
// Echo mode: every connection keeps one message of B bytes in flight (ping-pong), so a
// round trip is one latency sample. Idle mode: N connections that say nothing; reports
// the server's resident memory per connection.

#include "platform/Backend.h"
#include "platform/Buffer.h"
#include "platform/InetAddress.h"
#include "platform/LoopPool.h"
#include "platform/LoopThread.h"
#include "platform/TcpClient.h"
#include "platform/TcpConnection.h"
#include "platform/TcpServer.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace parley::net;
using namespace std::chrono_literals;
using BenchClock = std::chrono::steady_clock;

struct Options {
    BackendKind backend = defaultBackend();
    std::size_t connections = 1;
    double seconds = 5.0;
    std::size_t size = 64;
    std::size_t serverThreads = 1;
    std::size_t clientThreads = 1;
    std::size_t idle = 0;
};

void usage() {
    std::cerr << "usage: parley-echo-bench [--backend epoll|poco] [--connections N] [--seconds S] [--size B]\n"
                 "                         [--server-threads T] [--client-threads T]\n"
                 "       parley-echo-bench [--backend epoll|poco] --idle N\n";
}

std::optional<Options> parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (i + 1 >= argc) {
            return std::nullopt;
        }
        const std::string value = argv[++i];
        try {
            if (flag == "--backend") {
                const auto kind = parseBackend(value);
                if (!kind || !isAvailable(*kind)) {
                    return std::nullopt;
                }
                options.backend = *kind;
            } else if (flag == "--connections") {
                options.connections = std::stoul(value);
            } else if (flag == "--seconds") {
                options.seconds = std::stod(value);
            } else if (flag == "--size") {
                options.size = std::stoul(value);
            } else if (flag == "--server-threads") {
                options.serverThreads = std::stoul(value);
            } else if (flag == "--client-threads") {
                options.clientThreads = std::stoul(value);
            } else if (flag == "--idle") {
                options.idle = std::stoul(value);
            } else {
                return std::nullopt;
            }
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    if (options.connections == 0 || options.size == 0 || options.seconds <= 0 || options.serverThreads == 0 ||
        options.clientThreads == 0) {
        return std::nullopt;
    }
    return options;
}

bool waitUntil(const std::function<bool()>& condition, std::chrono::seconds timeout) {
    const auto deadline = BenchClock::now() + timeout;
    while (!condition()) {
        if (BenchClock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

// Resident set size from /proc (Linux); nullopt elsewhere.
std::optional<long> residentKiB() {
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == "VmRSS:") {
            long kib = 0;
            status >> kib;
            return kib;
        }
        status.ignore(4096, '\n');
    }
    return std::nullopt;
}

// One client connection's ping-pong state; touched only on its client loop.
struct Pinger {
    BenchClock::time_point sentAt;
    std::uint64_t messages = 0;
    std::vector<std::uint32_t> latenciesUs;
};

class EchoServer {
public:
    EchoServer(const Options& options)
        : m_acceptThread(options.backend), m_pool(options.serverThreads, options.backend) {
        Reactor& acceptLoop = m_acceptThread.start();
        m_pool.start();
        m_server = std::make_unique<TcpServer>(acceptLoop, InetAddress::loopback(0), &m_pool);
        ConnectionCallbacks callbacks;
        callbacks.onMessage = [](const TcpConnectionPtr& connection, Buffer& buffer) {
            connection->send(buffer.view());
            buffer.retrieveAll();
        };
        m_server->setCallbacks(callbacks);
        m_server->start();
    }
    ~EchoServer() { m_server.reset(); }

    TcpServer& server() { return *m_server; }

private:
    LoopThread m_acceptThread;
    LoopPool m_pool;
    std::unique_ptr<TcpServer> m_server;
};

int runEcho(const Options& options) {
    EchoServer server(options);
    LoopPool clientLoops(options.clientThreads, options.backend);
    clientLoops.start();

    const std::string message(options.size, 'e');
    std::atomic<bool> measuring{false};
    std::atomic<std::size_t> connected{0};
    std::vector<std::unique_ptr<Pinger>> pingers;
    std::vector<std::unique_ptr<TcpClient>> clients;
    for (std::size_t i = 0; i < options.connections; ++i) {
        pingers.push_back(std::make_unique<Pinger>());
        Pinger* pinger = pingers.back().get();
        ConnectionCallbacks callbacks;
        callbacks.onConnection = [&, pinger](const TcpConnectionPtr& connection) {
            ++connected;
            pinger->sentAt = BenchClock::now();
            connection->send(message);
        };
        callbacks.onMessage = [&, pinger](const TcpConnectionPtr& connection, Buffer& buffer) {
            while (buffer.readableBytes() >= options.size) {
                buffer.retrieve(options.size);
                const auto now = BenchClock::now();
                if (measuring.load(std::memory_order_relaxed)) {
                    ++pinger->messages;
                    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - pinger->sentAt).count();
                    pinger->latenciesUs.push_back(static_cast<std::uint32_t>(us));
                }
                pinger->sentAt = now;
                connection->send(message);
            }
        };
        clients.push_back(
            std::make_unique<TcpClient>(clientLoops.next(), InetAddress::loopback(server.server().port())));
        clients.back()->setCallbacks(callbacks);
        clients.back()->connect();
    }
    if (!waitUntil([&] { return connected == options.connections; }, 30s)) {
        std::cerr << "only " << connected << " of " << options.connections << " connections came up\n";
        return 1;
    }
    std::this_thread::sleep_for(500ms);  // warm-up
    const auto start = BenchClock::now();
    measuring = true;
    std::this_thread::sleep_for(std::chrono::duration<double>(options.seconds));
    measuring = false;
    const double elapsed = std::chrono::duration<double>(BenchClock::now() - start).count();
    clientLoops.stop();  // joins the client loops: the samples are ours from here on

    std::uint64_t messages = 0;
    std::vector<std::uint32_t> latencies;
    for (const auto& pinger : pingers) {
        messages += pinger->messages;
        latencies.insert(latencies.end(), pinger->latenciesUs.begin(), pinger->latenciesUs.end());
    }
    std::sort(latencies.begin(), latencies.end());
    const auto percentile = [&](double p) -> std::uint32_t {
        if (latencies.empty()) {
            return 0;
        }
        return latencies[std::min(latencies.size() - 1,
                                  static_cast<std::size_t>(p * static_cast<double>(latencies.size())))];
    };
    const double rate = static_cast<double>(messages) / elapsed;
    const double mibPerSecond = rate * static_cast<double>(options.size) / (1024.0 * 1024.0);
    std::printf("backend=%s connections=%zu size=%zu seconds=%.1f server_threads=%zu client_threads=%zu\n",
                std::string(toString(options.backend)).c_str(), options.connections, options.size, elapsed,
                options.serverThreads, options.clientThreads);
    std::printf("round_trips=%llu round_trips_per_s=%.0f echo_MiB_per_s=%.1f latency_us p50=%u p99=%u p999=%u max=%u\n",
                static_cast<unsigned long long>(messages), rate, mibPerSecond, percentile(0.50), percentile(0.99),
                percentile(0.999), latencies.empty() ? 0U : latencies.back());
    clients.clear();
    return 0;
}

int runIdle(const Options& options) {
    EchoServer server(options);
    const Poco::Net::SocketAddress address("127.0.0.1", server.server().port());
    // The client sockets exist before the baseline, so the difference is the server's.
    std::vector<Poco::Net::StreamSocket> sockets;
    sockets.reserve(options.idle);
    for (std::size_t i = 0; i < options.idle; ++i) {
        sockets.emplace_back(Poco::Net::SocketAddress::IPv4);
    }
    std::this_thread::sleep_for(200ms);
    const auto before = residentKiB();
    for (auto& socket : sockets) {
        socket.connect(address);
    }
    if (!waitUntil([&] { return server.server().connectionCount() == options.idle; }, 60s)) {
        std::cerr << "only " << server.server().connectionCount() << " connections accepted\n";
        return 1;
    }
    std::this_thread::sleep_for(200ms);
    const auto after = residentKiB();
    if (!before || !after) {
        std::printf("backend=%s idle=%zu rss=n/a\n", std::string(toString(options.backend)).c_str(), options.idle);
        return 0;
    }
    const double perConnection = static_cast<double>(*after - *before) * 1024.0 / static_cast<double>(options.idle);
    std::printf("backend=%s idle_connections=%zu rss_before_KiB=%ld rss_after_KiB=%ld bytes_per_connection=%.0f\n",
                std::string(toString(options.backend)).c_str(), options.idle, *before, *after, perConnection);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const auto options = parse(argc, argv);
    if (!options) {
        usage();
        return 2;
    }
    try {
        return options->idle > 0 ? runIdle(*options) : runEcho(*options);
    } catch (const std::exception& e) {
        std::cerr << "parley-echo-bench: " << e.what() << '\n';
        return 1;
    }
}
