#pragma once
// parley-server --headless: runs the engine until SIGINT/SIGTERM, logging to
// stdout. Plain C++ (no Qt event loop), so it also suits a service manager.

#include "server-gui/ServerOptions.h"

namespace parley::server {

/// Returns the process exit code: 0 after a clean stop, 2 if the server could
/// not start (the reason is printed on stderr).
int runHeadless(const ServerOptions& options);

}  // namespace parley::server
