#pragma once
// Command-line options of parley-server, parsed into a ServerConfig.

#include "server-gui/engine/ServerConfig.h"

#include <string>
#include <vector>

namespace parley::server {

/// --cluster and its companions (docs/cluster-design.md §5): how this node joins a
/// cluster over NATS. Empty urls: a single server.
struct ClusterOptions {
    std::vector<std::string> urls;  ///< --cluster tls://HOST:PORT[,...] (HOST:PORT means tls://)
    std::string node;               ///< --node NAME
    std::string name = "parley";    ///< --cluster-name NAME: the subjects' prefix
    std::string caFile;             ///< --cluster-ca FILE: the CA NATS' certificate chains to
    std::string certFile, keyFile;  ///< --cluster-cert / --cluster-key: mutual TLS (optional)
    std::string user;               ///< --cluster-user NAME
    std::string passwordFile;       ///< --cluster-password-file FILE (its first line)
    bool plaintext = false;         ///< --cluster-plaintext: no TLS to NATS (loopback tests)
};

struct ServerOptions {
    ServerConfig config;
    bool headless = false;
    /// --start (window mode): start the server when the window opens.
    bool startNow = false;
    bool help = false;
    bool version = false;
    /// --config FILE: `key = value` lines read before the command line (which wins).
    std::string configFile;
    /// --data DIR: where the SQLite file lives unless --db names another; empty = the
    /// per-user data folder (see DataFolder.h).
    std::string dataDir;
    /// --db was given (on the command line or in the config file).
    bool databaseGiven = false;
    /// --log FILE (headless): append the log there instead of stdout; SIGHUP reopens it.
    std::string logFile;
    /// --plaintext: no TLS (for the legacy comparison and the benchmark); the log and
    /// the window warn. Without it: TLS with --tls-cert/--tls-key or the self-signed
    /// certificate (ServerCertificate.h).
    bool plaintext = false;
    ClusterOptions cluster;
    /// Seconds between statistics lines in headless mode (0 = never).
    unsigned statsEverySeconds = 60;
};

/// Parses argv (without argv[0]). Returns an empty string and fills `options`,
/// or the reason the arguments are wrong.
std::string parseServerOptions(const std::vector<std::string>& args, ServerOptions& options);

/// Sets one option that takes a value, as `--name value` would ("name" without the
/// dashes). Returns an empty string, or why the name or the value is wrong. The config
/// file and the command line both come through here.
std::string applyServerOption(const std::string& name, const std::string& value, ServerOptions& options);

/// What main() calls: over the values `options` holds on entry (defaults, or the
/// window's saved settings), the config file named by --config (if any), then the
/// command line over it. Errors name the file and line, or the argument.
std::string loadServerOptions(const std::vector<std::string>& args, ServerOptions& options);

/// "parley-server 0.1.0".
std::string serverVersion();

/// The --help text.
std::string serverUsage();

}  // namespace parley::server
