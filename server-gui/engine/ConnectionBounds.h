#pragma once
// The output bounds (Limits) in the platform's terms: what a connection may
// queue before login, and once logged in (docs/architecture.md, "Bounds").

#include "platform/ConnectionOptions.h"
#include "server-gui/engine/ServerConfig.h"

namespace parley::server {

/// For every new connection (TcpServer's ConnectionOptions).
net::ConnectionOptions preLoginConnectionOptions(const Limits& limits);
/// Set on the connection when its session logs in.
net::OutputBounds loggedInOutputBounds(const Limits& limits);

}  // namespace parley::server
