#pragma once
// The server side of TLS on a new connection: installs the TLS layer, closes the
// connection when its handshake has not finished within Limits::tlsHandshakeTimeoutMs,
// and logs (rate-limited) why a handshake failed, e.g. a plaintext client on the TLS
// port. The engine above it sees application bytes only.

#include "platform/Callbacks.h"

#include <functional>
#include <memory>

namespace parley::net {
class TlsContext;
}

namespace parley::server {

struct ServerCore;

/// Loop thread of `connection`, from its ConnectionCallback, before anything is sent.
/// `onEstablished` runs once the handshake is done (may be empty).
void admitTls(ServerCore& core, const std::shared_ptr<const net::TlsContext>& context,
              const net::TcpConnectionPtr& connection, std::function<void()> onEstablished);

}  // namespace parley::server
