#include "tests/client-cli/CliTestSupport.h"

#include "platform/LoopThread.h"
#include "platform/TcpClient.h"
#include "platform/TcpConnection.h"
#include "platform/TcpServer.h"

#include <cstdlib>
#include <future>
#include <memory>
#include <random>
#include <system_error>
#include <thread>

namespace parley::client::test {

std::uint16_t freePort() {
    net::LoopThread thread;
    net::Reactor& loop = thread.start();
    const net::TcpServer server(loop, net::InetAddress::loopback(0));
    return server.port();
}

bool canConnect(std::uint16_t port) {
    net::LoopThread thread;
    net::Reactor& loop = thread.start();
    auto answer = std::make_shared<std::promise<bool>>();
    std::future<bool> connected = answer->get_future();

    net::TcpClient client(loop, net::InetAddress::loopback(port));
    net::ConnectionCallbacks callbacks;
    callbacks.onConnection = [answer](const net::TcpConnectionPtr& connection) {
        answer->set_value(true);
        connection->forceClose();
    };
    client.setCallbacks(callbacks);
    client.setConnectFailedCallback([answer](const std::error_code&) { answer->set_value(false); });
    client.connect();
    const bool result = connected.wait_for(5s) == std::future_status::ready && connected.get();
    client.stop();
    return result;
}

bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return condition();
        }
        std::this_thread::sleep_for(50ms);
    }
    return true;
}

std::string environment(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
}

}  // namespace parley::client::test
