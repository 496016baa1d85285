#include "tests/server-gui/engine/EngineHarness.h"

#include "platform/tls/Certificate.h"
#include "platform/tls/TlsContext.h"

#include "shared/proto/Codec.h"

#include <boost/test/results_collector.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

namespace parley::test {

const char* const kPassword = "correct horse battery";

server::ServerConfig testConfig(const std::string& database) {
    server::ServerConfig config;
    config.listenHost = "127.0.0.1";
    config.listenPort = 0;
    config.threads = 2;
    config.dbWorkers = 2;
    config.database = database;
    config.passwordIterations = 1000;
    config.limits.connectionsPerAddress = 0;
    config.limits.registrationsPerAddressPerHour = 0;
    // The I/O backend under test ("epoll" / "poco"); empty: the platform's default.
    if (const char* backend = std::getenv("PARLEY_TEST_BACKEND")) config.backend = backend;
    return config;
}

std::string encodeFrame(const proto::Header& header, const proto::Body& body) {
    const auto bytes = proto::encode(header, body);
    return std::string(bytes.begin(), bytes.end());
}

std::string rawHeader(proto::MessageType type, std::uint32_t payloadLength) {
    proto::Header header;
    header.type = static_cast<std::uint8_t>(type);
    header.payloadLength = payloadLength;
    std::string bytes(proto::kHeaderSize, '\0');
    proto::encodeHeader(header, reinterpret_cast<std::uint8_t*>(bytes.data()));
    return bytes;
}

void LogRecorder::onLog(server::LogLevel level, const std::string& line) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_lines.push_back(std::string(net::Logger::toString(level)) + ": " + line);
}

bool LogRecorder::contains(const std::string& fragment) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    for (const auto& line : m_lines)
        if (line.find(fragment) != std::string::npos) return true;
    return false;
}

std::vector<std::string> LogRecorder::lines() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_lines;
}

bool tlsByDefault() {
    const char* value = std::getenv("PARLEY_TEST_TLS");
    return value == nullptr || std::string(value) != "0";
}

void enableTls(server::ServerConfig& config, const TempDir& dir) {
    net::CertificateSpec spec;
    spec.ipAddresses = {"127.0.0.1", "::1"};
    const net::PemPair pair = net::makeCertificate(spec);
    std::ofstream(dir.file("tls-certificate.pem"), std::ios::binary) << pair.certificate;
    std::ofstream(dir.file("tls-key.pem"), std::ios::binary) << pair.key;
    config.tls.enabled = true;
    config.tls.certificateFile = dir.file("tls-certificate.pem");
    config.tls.keyFile = dir.file("tls-key.pem");
}

EngineHarness::EngineHarness(const std::function<void(server::ServerConfig&)>& adjust, const server::Clock& clock)
    : m_dir("parley-engine"), m_config(testConfig("sqlite:" + m_dir.file("parley.db"))), m_clock(clock) {
    if (tlsByDefault()) enableTls(m_config, m_dir);
    if (adjust) adjust(m_config);
    if (m_config.tls.enabled) m_clientTls = net::TlsContext::client({});
    startServer();
}

void EngineHarness::restart() {
    m_server->stop();
    m_server.reset();
    startServer();
}

void EngineHarness::startServer() {
    m_server = std::make_unique<server::Server>(m_config, &m_log, m_clock);
    try {
        m_server->start();
    } catch (const server::StartError& error) {
        BOOST_FAIL("the server did not start: " << error.what());
    }
    m_port = m_server->port();
    BOOST_REQUIRE_NE(m_port, 0);
}

EngineHarness::~EngineHarness() {
    m_server->stop();
    // A failing test is easier to read with what the server said.
    const auto test = boost::unit_test::framework::current_test_case().p_id;
    if (!boost::unit_test::results_collector.results(test).passed()) {
        for (const auto& line : m_log.lines()) std::cerr << "  server " << line << "\n";
    }
}

std::unique_ptr<TestClient> EngineHarness::connect(net::Reactor* loop, const std::string& host) {
    // A loaded machine may refuse a loopback connect now and then (the load
    // suites open hundreds at once); what these tests check starts after it.
    for (int attempt = 1;; ++attempt) {
        auto client = std::make_unique<TestClient>(loop);
        if (m_clientTls) client->useTls(m_clientTls);
        if (client->connect(m_port, host)) return client;
        BOOST_REQUIRE_MESSAGE(attempt < 3, "cannot connect to " << host << ":" << m_port << " (3 attempts)");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

proto::UserId EngineHarness::registerUser(const std::string& username, const std::string& displayName) {
    auto client = connect();
    const auto result = client->registerUser(username, kPassword, displayName);
    BOOST_REQUIRE_MESSAGE(result, "no REGISTER_RESULT for " << username);
    BOOST_REQUIRE_MESSAGE(
        result->body.status == proto::AuthStatus::Ok,
        "registering " << username << ": " << proto::toString(result->body.status) << " " << result->body.text);
    return result->body.userId;
}

std::unique_ptr<TestClient> EngineHarness::login(const std::string& username, Acks acks) {
    auto client = connect();
    client->setAutoAck(acks == Acks::Auto);
    const auto result = client->login(username, kPassword);
    BOOST_REQUIRE_MESSAGE(result, "no LOGIN_RESULT and CONTACTS for " << username);
    BOOST_REQUIRE_MESSAGE(
        result->body.status == proto::AuthStatus::Ok,
        "logging in " << username << ": " << proto::toString(result->body.status) << " " << result->body.text);
    return client;
}

proto::AuthStatus registerStatus(TestClient& client, const std::string& username) {
    const auto result = client.registerUser(username, kPassword);
    BOOST_REQUIRE_MESSAGE(result, "no REGISTER_RESULT for " << username);
    return result->body.status;
}

proto::AuthStatus loginStatus(TestClient& client, const std::string& username, const std::string& password) {
    const auto result = client.login(username, password);
    BOOST_REQUIRE_MESSAGE(result, "no LOGIN_RESULT (and CONTACTS) for " << username);
    return result->body.status;
}

bool waitPresence(TestClient& client, proto::UserId user, proto::PresenceState state,
                  std::chrono::milliseconds timeout) {
    return client
        .waitFor<proto::Presence>(timeout,
                                  [&](const proto::Header&, const proto::Presence& p) {
                                      return p.contact.userId == user && p.contact.state == state;
                                  })
        .has_value();
}

std::optional<Frame<proto::Error>> waitError(TestClient& client, proto::ErrorCode code,
                                             std::chrono::milliseconds timeout) {
    return client.waitFor<proto::Error>(timeout,
                                        [code](const proto::Header&, const proto::Error& e) { return e.code == code; });
}

std::optional<Frame<proto::Ack>> waitAck(TestClient& client, proto::AckKind kind, proto::UserId peer,
                                         proto::MessageId upTo, std::chrono::milliseconds timeout) {
    return client.waitFor<proto::Ack>(timeout, [&](const proto::Header& h, const proto::Ack& a) {
        return a.kind == kind && h.source == peer && a.upTo >= upTo;
    });
}

std::vector<Frame<proto::Chat>> waitChats(TestClient& client, std::size_t count, std::chrono::milliseconds timeout) {
    std::vector<Frame<proto::Chat>> chats;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (chats.size() < count) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        auto chat = client.waitFor<proto::Chat>(std::max(left, std::chrono::milliseconds(0)));
        if (!chat) break;
        chats.push_back(std::move(*chat));
    }
    return chats;
}

}  // namespace parley::test
