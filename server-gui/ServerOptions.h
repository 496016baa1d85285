#pragma once
// Command-line options of parley-server, parsed into a ServerConfig.

#include "server-gui/engine/ServerConfig.h"

#include <string>
#include <vector>

namespace parley::server {

struct ServerOptions {
    ServerConfig config;
    bool headless = false;
    bool help = false;
    /// Seconds between statistics lines in headless mode (0 = never).
    unsigned statsEverySeconds = 60;
};

/// Parses argv (without argv[0]). Returns an empty string and fills `options`,
/// or the reason the arguments are wrong.
std::string parseServerOptions(const std::vector<std::string>& args, ServerOptions& options);

/// The --help text.
std::string serverUsage();

}  // namespace parley::server
