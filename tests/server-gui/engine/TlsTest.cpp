// TLS in the engine (issue 18): a login and a chat over TLS, read through a relaying
// socket that keeps every byte (neither the password nor the text may show); the
// handshake deadline; a plaintext client on the TLS port; a start refused for a key of
// another certificate or an unreadable key file.
#include "tests/server-gui/engine/EngineHarness.h"

#include "platform/Buffer.h"
#include "platform/LoopThread.h"
#include "platform/TcpClient.h"
#include "platform/TcpConnection.h"
#include "platform/TcpServer.h"
#include "platform/tls/Certificate.h"
#include "platform/tls/TlsContext.h"
#include "shared/proto/Codec.h"

#include <boost/test/unit_test.hpp>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <fstream>
#include <map>
#include <mutex>

namespace parley::test {
namespace {

using namespace std::chrono_literals;

void withTls(server::ServerConfig& config, const TempDir& dir, std::uint32_t handshakeMs = 10'000) {
    enableTls(config, dir);
    config.limits.tlsHandshakeTimeoutMs = handshakeMs;
}

/// A TCP relay on 127.0.0.1 that forwards each connection to `target` and keeps a copy
/// of every byte in both directions: what someone on the path would capture.
class CapturingRelay {
public:
    explicit CapturingRelay(std::uint16_t target)
        : m_loop(m_thread.start()), m_server(m_loop, net::InetAddress::loopback(0)), m_target(target) {
        net::ConnectionCallbacks callbacks;
        callbacks.onConnection = [this](const net::TcpConnectionPtr& front) { open(front); };
        callbacks.onMessage = [this](const net::TcpConnectionPtr& front, net::Buffer& bytes) {
            record(bytes.view());
            if (const auto back = m_backs[front.get()]->connection()) back->send(bytes.view());
            bytes.retrieveAll();
        };
        callbacks.onClose = [this](const net::TcpConnectionPtr& front) { m_backs[front.get()]->disconnect(); };
        m_server.setCallbacks(callbacks);
        m_server.start();
    }
    ~CapturingRelay() {
        m_server.stop();
        m_loop.runInLoopAndWait([this] { m_backs.clear(); });
        m_thread.stop();
    }

    std::uint16_t port() const { return m_server.port(); }
    std::string captured() const {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_captured;
    }

private:
    // The front connection waits (not reading) until the back one is up.
    void open(const net::TcpConnectionPtr& front) {
        front->stopReading();
        auto back = std::make_unique<net::TcpClient>(m_loop, net::InetAddress::loopback(m_target));
        const std::weak_ptr<net::TcpConnection> weakFront = front;
        net::ConnectionCallbacks callbacks;
        callbacks.onConnection = [weakFront](const net::TcpConnectionPtr&) {
            if (const auto f = weakFront.lock()) f->startReading();
        };
        callbacks.onMessage = [this, weakFront](const net::TcpConnectionPtr&, net::Buffer& bytes) {
            record(bytes.view());
            if (const auto f = weakFront.lock()) f->send(bytes.view());
            bytes.retrieveAll();
        };
        callbacks.onClose = [weakFront](const net::TcpConnectionPtr&) {
            if (const auto f = weakFront.lock()) f->close();
        };
        back->setCallbacks(callbacks);
        back->connect();
        m_backs[front.get()] = std::move(back);
    }
    void record(std::string_view bytes) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_captured.append(bytes);
    }

    net::LoopThread m_thread;
    net::Reactor& m_loop;
    net::TcpServer m_server;
    std::uint16_t m_target;
    std::map<const net::TcpConnection*, std::unique_ptr<net::TcpClient>> m_backs;  // relay loop only
    mutable std::mutex m_mutex;
    std::string m_captured;
};

Poco::Net::StreamSocket rawConnect(std::uint16_t port) {
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(5, 0));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    return socket;
}

/// Reads until the server closes; what came back.
std::string readUntilClosed(Poco::Net::StreamSocket& socket) {
    std::string all;
    char chunk[4096];
    for (;;) {
        const int n = socket.receiveBytes(chunk, sizeof chunk);
        if (n <= 0) return all;
        all.append(chunk, static_cast<std::size_t>(n));
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tls)

BOOST_AUTO_TEST_CASE(login_and_chat_over_tls_show_neither_password_nor_text_on_the_wire) {
    TempDir certificates("parley-tls");
    EngineHarness harness([&](server::ServerConfig& c) { withTls(c, certificates); });
    BOOST_TEST(harness.server().certificateFingerprint().size() == 95U);
    const proto::UserId bobId = harness.registerUser("bob");
    auto bob = harness.login("bob");

    CapturingRelay relay(harness.port());
    TestClient alice;
    alice.useTls(net::TlsContext::client({}));
    BOOST_REQUIRE(alice.connect(relay.port()));
    BOOST_REQUIRE(registerStatus(alice, "alice") == proto::AuthStatus::Ok);
    BOOST_REQUIRE(loginStatus(alice, "alice") == proto::AuthStatus::Ok);
    const std::string secret = "the launch code is 0000, tell nobody";
    alice.sendChat(bobId, secret);
    const auto chats = waitChats(*bob, 1);
    BOOST_REQUIRE_EQUAL(chats.size(), 1U);
    BOOST_TEST(chats[0].body.text == secret);

    const std::string wire = relay.captured();
    BOOST_TEST(wire.size() > 1000U);  // the handshake, LOGIN, CHAT and the answers went through
    BOOST_TEST(wire.find(kPassword) == std::string::npos);
    BOOST_TEST(wire.find("launch code") == std::string::npos);
    BOOST_TEST(wire.find("alice") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_handshake_that_never_finishes_is_closed_at_the_deadline) {
    TempDir certificates("parley-tls");
    EngineHarness harness([&](server::ServerConfig& c) { withTls(c, certificates, 300); });
    Poco::Net::StreamSocket silent = rawConnect(harness.port());
    BOOST_TEST(readUntilClosed(silent).empty());
    // Half a ClientHello, then nothing.
    Poco::Net::StreamSocket half = rawConnect(harness.port());
    const std::string start("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
    half.sendBytes(start.data(), static_cast<int>(start.size()));
    BOOST_TEST(readUntilClosed(half).empty());
    BOOST_TEST(harness.log().contains("no TLS handshake within 300 ms"));
    // The server goes on serving.
    auto alice = harness.connect();
    BOOST_TEST((registerStatus(*alice, "alice") == proto::AuthStatus::Ok));
}

BOOST_AUTO_TEST_CASE(a_plaintext_client_on_the_tls_port_is_closed_with_a_log_line) {
    TempDir certificates("parley-tls");
    EngineHarness harness([&](server::ServerConfig& c) { withTls(c, certificates); });
    TestClient plain;  // no useTls: LOGIN in clear
    BOOST_REQUIRE(plain.connect(harness.port()));
    plain.send(proto::Login{"alice", kPassword});
    BOOST_TEST(plain.waitClosed());
    BOOST_TEST(plain.history().empty());
    BOOST_TEST(harness.log().contains("does not speak TLS (first byte 0x50"));
    BOOST_TEST(harness.server().stats().usersOnline == 0U);
}

BOOST_AUTO_TEST_CASE(start_refuses_a_key_of_another_certificate_and_an_unreadable_key) {
    TempDir dir("parley-tls");
    server::ServerConfig config = testConfig("sqlite:" + dir.file("parley.db"));
    enableTls(config, dir);
    const net::PemPair other = net::makeCertificate({});
    std::ofstream(dir.file("other-key.pem")) << other.key;

    config.tls.keyFile = dir.file("other-key.pem");
    server::Server mismatched(config);
    BOOST_CHECK_EXCEPTION(mismatched.start(), server::StartError, [&](const server::StartError& e) {
        BOOST_TEST_MESSAGE(e.what());
        return std::string(e.what()).find("does not match the certificate") != std::string::npos;
    });
    BOOST_TEST(!mismatched.running());

    config.tls.keyFile = dir.file("no-such-key.pem");
    server::Server unreadable(config);
    BOOST_CHECK_EXCEPTION(unreadable.start(), server::StartError, [&](const server::StartError& e) {
        return std::string(e.what()).find("cannot read the key file") != std::string::npos;
    });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace parley::test
