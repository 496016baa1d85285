#include "server-gui/engine/TlsAdmission.h"

#include "platform/TcpConnection.h"
#include "platform/tls/TlsLayer.h"
#include "server-gui/engine/ServerCore.h"

#include <chrono>
#include <string>

namespace parley::server {

namespace {

/// Shared by the layer's events and the deadline timer (all on the connection's loop).
struct Handshake {
    net::TimerId deadline = net::kInvalidTimerId;
    bool done = false;
};

}  // namespace

void admitTls(ServerCore& core, const std::shared_ptr<const net::TlsContext>& context,
              const net::TcpConnectionPtr& connection, std::function<void()> onEstablished) {
    auto handshake = std::make_shared<Handshake>();
    const std::weak_ptr<net::TcpConnection> weak = connection;
    const std::string peer = connection->peerAddress().toString();

    net::TlsEvents events;
    events.onEstablished = [handshake, weak, onEstablished = std::move(onEstablished)] {
        handshake->done = true;
        if (const auto c = weak.lock(); c && handshake->deadline != net::kInvalidTimerId)
            c->loop().cancel(handshake->deadline);
        handshake->deadline = net::kInvalidTimerId;
        if (onEstablished) onEstablished();
    };
    events.onFailure = [&core, peer](const std::string& reason) {
        core.logPeerCaused("tls handshake", LogLevel::Warn, "connection from " + peer + " closed: " + reason);
    };
    connection->setStreamLayer(net::TlsLayer::server(context, std::move(events)));

    const std::chrono::milliseconds timeout(core.config.limits.tlsHandshakeTimeoutMs);
    handshake->deadline = connection->loop().runAfter(timeout, [&core, handshake, weak, peer, timeout] {
        handshake->deadline = net::kInvalidTimerId;
        const auto c = weak.lock();
        if (!c || handshake->done || !c->connected()) return;
        core.logPeerCaused(
            "tls handshake", LogLevel::Warn,
            "connection from " + peer + " closed: no TLS handshake within " + std::to_string(timeout.count()) + " ms");
        c->forceClose();
    });
}

}  // namespace parley::server
