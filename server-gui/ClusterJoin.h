#pragma once
// parley-server's --cluster: from the options to the engine's RemoteUsersFactory (the
// NatsCluster that joins at Server::start). Plain C++, no Qt.

#include "server-gui/ServerOptions.h"
#include "server-gui/engine/Server.h"

#include <string>

namespace parley::server {

/// The factory for options.cluster, or an empty one when no --cluster was given. Returns
/// an empty string, or why the cluster options cannot be used (an unreadable password
/// file; a build without cluster support).
std::string makeClusterFactory(const ServerOptions& options, RemoteUsersFactory& out);

}  // namespace parley::server
