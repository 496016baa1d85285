#include "bench/parley/Endpoint.h"

#include "platform/tls/TlsLayer.h"

namespace parley::bench {

void Shared::noteError(const std::string& text) {
    errors.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_firstError.empty()) m_firstError = text;
}

std::string Shared::firstError() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_firstError;
}

Endpoint::Endpoint(Shared& shared, net::Reactor& loop, std::uint32_t index)
    : m_shared(shared), m_loop(loop), m_index(index) {}

Endpoint::~Endpoint() = default;

void Endpoint::start() {
    // Pairs are (2i, 2i + 1): the odd one receives.
    m_client = std::make_unique<net::TcpClient>(m_loop, m_index % 2 == 1 ? m_shared.receiverServer : m_shared.server);
    net::ConnectionCallbacks callbacks;
    callbacks.onConnection = [this](const net::TcpConnectionPtr& connection) {
        m_connection = connection;
        if (m_shared.tls && tlsFromTheStart()) startTls();
        connected();
    };
    callbacks.onMessage = [this](const net::TcpConnectionPtr&, net::Buffer& input) {
        m_readNs = nowNs();
        m_shared.bytesIn.fetch_add(input.readableBytes(), std::memory_order_relaxed);
        received(input);
    };
    callbacks.onWriteComplete = [this](const net::TcpConnectionPtr&) { drained(); };
    callbacks.onClose = [this](const net::TcpConnectionPtr& connection) {
        if (m_shared.stopping.load(std::memory_order_relaxed)) return;
        if (closed()) return;
        const auto error = connection->lastError();
        fail("connection closed by the server" + (error ? ": " + error.message() : std::string()));
    };
    m_client->setCallbacks(std::move(callbacks));
    m_client->setConnectFailedCallback([this](const std::error_code& error) {
        if (m_shared.stopping.load(std::memory_order_relaxed) || connectFailed()) return;
        fail("connect failed: " + error.message());
    });
    m_client->connect();
}

void Endpoint::reconnect() {
    m_ready = false;
    m_connection.reset();
    if (m_shared.failoverServer) m_client->connectTo(*m_shared.failoverServer);
    else m_client->connect();
}

void Endpoint::startTls() {
    net::TlsEvents events;
    events.trust = [](const net::TlsPeer&) { return true; };  // a benchmark, on loopback
    events.onFailure = [this](const std::string& reason) { fail("TLS: " + reason); };
    m_connection->setStreamLayer(net::TlsLayer::client(m_shared.tls, m_shared.options.host, std::move(events)));
}

void Endpoint::ready() {
    m_ready = true;
    if (m_listener) m_listener->onReady(*this);
}

void Endpoint::fail(const std::string& why) {
    if (m_failed) return;
    m_failed = true;
    m_ready = false;
    m_shared.noteError("user " + std::to_string(m_index) + ": " + why);
    if (m_listener) m_listener->onFailed(*this, why);
    if (m_connection) m_connection->forceClose();
}

void Endpoint::send(std::string_view bytes) {
    ++m_sends;
    if (m_connection) m_connection->send(bytes);
}

}  // namespace parley::bench
