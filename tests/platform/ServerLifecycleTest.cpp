// Conformance: binding, rebinding and busy ports (running out of descriptors: DescriptorExhaustionTest.cpp).
#include "tests/platform/TestSupport.h"

#include "platform/InetAddress.h"
#include "platform/TcpConnection.h"

#include <boost/test/unit_test.hpp>

#include <Poco/Net/SocketAddress.h>

#include <memory>
#include <string>
#include <system_error>
#include <vector>

namespace parley::net::test {

BOOST_AUTO_TEST_SUITE(server_lifecycle)

BOOST_AUTO_TEST_CASE(busy_port_is_a_clear_error) {
    ServerHarness first(echoCallbacks(), {}, 1);
    LoopThread thread(testBackend(), quietLogger());
    Reactor& loop = thread.start();
    const std::string port = std::to_string(first.port());
    BOOST_CHECK_EXCEPTION(TcpServer(loop, InetAddress::loopback(first.port())), std::system_error,
                          [&](const std::system_error& e) {
                              BOOST_TEST_MESSAGE(e.what());
                              return e.code() == std::errc::address_in_use &&
                                     std::string(e.what()).find("127.0.0.1:" + port) != std::string::npos;
                          });
}

BOOST_AUTO_TEST_CASE(restart_binds_right_after_stop) {
    LoopThread thread(testBackend(), quietLogger());
    Reactor& loop = thread.start();
    auto server = std::make_unique<TcpServer>(loop, InetAddress::loopback(0));
    server->setCallbacks(echoCallbacks());
    server->start();
    const std::uint16_t port = server->port();
    {
        // Traffic, then the server closes first: its side of the connection is left in
        // TIME_WAIT on the listening port.
        Poco::Net::StreamSocket client = connectBlocking(port);
        sendAll(client, "before restart");
        BOOST_TEST(receiveExactly(client, 14) == "before restart");
        server->stop();
        BOOST_TEST(receiveUntilEof(client).empty());
    }
    server = std::make_unique<TcpServer>(loop, InetAddress::loopback(port));
    server->setCallbacks(echoCallbacks());
    server->start();
    Poco::Net::StreamSocket client = connectBlocking(port);
    sendAll(client, "after restart");
    BOOST_TEST(receiveExactly(client, 13) == "after restart");
}

BOOST_AUTO_TEST_CASE(the_server_keeps_count_of_connections_closing_in_any_order) {
    constexpr std::size_t kClients = 60;
    ServerHarness harness(echoCallbacks());
    std::vector<std::unique_ptr<Poco::Net::StreamSocket>> clients;
    for (std::size_t i = 0; i < kClients; ++i) {
        clients.push_back(std::make_unique<Poco::Net::StreamSocket>(connectBlocking(harness.port())));
        sendAll(*clients.back(), "x");
        BOOST_REQUIRE(receiveExactly(*clients.back(), 1) == "x");  // accepted and registered
    }
    BOOST_TEST(harness.server->connectionCount() == kClients);
    // Every third, then the last, then the first: the registry moves its entries around.
    std::size_t open = kClients;
    const auto closeClient = [&](std::size_t i) {
        if (!clients[i]) return;
        clients[i]->close();
        clients[i].reset();
        --open;
    };
    for (std::size_t i = 0; i < kClients; i += 3) closeClient(i);
    closeClient(kClients - 1);
    closeClient(1);
    BOOST_TEST(waitFor([&] { return harness.server->connectionCount() == open; }, 5s));
    // The ones left still work, and go too.
    for (auto& client : clients) {
        if (!client) continue;
        sendAll(*client, "y");
        BOOST_TEST(receiveExactly(*client, 1) == "y");
    }
    for (std::size_t i = 0; i < kClients; ++i) closeClient(i);
    BOOST_TEST(waitFor([&] { return harness.server->connectionCount() == 0; }, 5s));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace parley::net::test
