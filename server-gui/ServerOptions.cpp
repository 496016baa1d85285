#include "server-gui/ServerOptions.h"

#include "server-gui/ServerConfigFile.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <utility>

namespace parley::server {
namespace {

template <class T>
bool parseNumber(const std::string& text, T& out) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end;
}

bool parseDouble(const std::string& text, double& out) {
    try {
        std::size_t used = 0;
        out = std::stod(text, &used);
        return used == text.size() && out > 0;
    } catch (...) {
        return false;
    }
}

/// HOST:PORT, [V6]:PORT or :PORT (all interfaces).
bool parseListen(const std::string& text, std::string& host, std::uint16_t& port) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "0.0.0.0";
    return parseNumber(text.substr(colon + 1), port);
}

/// --cluster's comma-separated NATS addresses: URL or HOST:PORT, none empty.
bool parseClusterUrls(const std::string& text, std::vector<std::string>& urls) {
    std::vector<std::string> parsed;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string url = text.substr(start, comma - start);
        if (url.empty() || url.find_first_of(" \t") != std::string::npos) return false;
        parsed.push_back(url);
        start = comma + 1;
    }
    urls = std::move(parsed);
    return true;
}

std::string checkClusterOptions(const ClusterOptions& cluster) {
    if (cluster.urls.empty() && cluster.node.empty()) return {};
    if (cluster.urls.empty()) return "--node is for a node of a cluster: give --cluster URL too";
    if (cluster.node.empty()) return "--cluster needs --node NAME (this node's name in the cluster)";
    return {};
}

}  // namespace

std::string applyServerOption(const std::string& name, const std::string& value, ServerOptions& options) {
    ServerConfig& c = options.config;
    Limits& l = c.limits;
    using Setter = std::function<bool(const std::string&)>;
    // A non-empty text option.
    const auto text = [](std::string& field) {
        return [&field](const std::string& v) {
            field = v;
            return !v.empty();
        };
    };
    const auto seconds = [](std::uint32_t& ms) {
        return [&ms](const std::string& v) {
            std::uint32_t s = 0;
            if (!parseNumber(v, s) || s == 0) return false;
            ms = s * 1000;
            return true;
        };
    };
    const std::map<std::string, Setter> valued = {
        {"listen", [&](const std::string& v) { return parseListen(v, c.listenHost, c.listenPort); }},
        {"db",
         [&](const std::string& v) {
             c.database = v;
             options.databaseGiven = true;
             return !v.empty();
         }},
        {"data", text(options.dataDir)},
        {"log", text(options.logFile)},
        {"threads", [&](const std::string& v) { return parseNumber(v, c.threads); }},
        {"backend",
         [&](const std::string& v) {
             c.backend = v;
             return v == "epoll" || v == "poco";
         }},
        {"db-workers", [&](const std::string& v) { return parseNumber(v, c.dbWorkers) && c.dbWorkers > 0; }},
        {"hash-iterations",
         [&](const std::string& v) { return parseNumber(v, c.passwordIterations) && c.passwordIterations > 0; }},
        {"token-lifetime", [&](const std::string& v) { return parseNumber(v, c.tokenLifetimeDays); }},
        {"login-failures", [&](const std::string& v) { return parseNumber(v, l.login.perAccountAndAddress); }},
        {"login-failures-per-address", [&](const std::string& v) { return parseNumber(v, l.login.perAddress); }},
        {"login-failures-per-account", [&](const std::string& v) { return parseNumber(v, l.login.perAccount); }},
        {"login-wait",
         [&](const std::string& v) { return parseNumber(v, l.login.firstSeconds) && l.login.firstSeconds > 0; }},
        {"login-max-wait",
         [&](const std::string& v) { return parseNumber(v, l.login.maxSeconds) && l.login.maxSeconds > 0; }},
        {"max-connections-per-address", [&](const std::string& v) { return parseNumber(v, l.connectionsPerAddress); }},
        {"registrations-per-hour",
         [&](const std::string& v) { return parseNumber(v, l.registrationsPerAddressPerHour); }},
        {"rate", [&](const std::string& v) { return parseDouble(v, l.messagesPerSecond); }},
        {"burst", [&](const std::string& v) { return parseDouble(v, l.messageBurst); }},
        {"control-rate", [&](const std::string& v) { return parseDouble(v, l.controlFramesPerSecond); }},
        {"control-burst", [&](const std::string& v) { return parseDouble(v, l.controlFrameBurst); }},
        {"flood-cut", seconds(l.floodCutAfterMs)},
        {"output-high-water",
         [&](const std::string& v) {
             if (!parseNumber(v, l.outputHighWater) || l.outputHighWater == 0) return false;
             l.outputLowWater = l.outputHighWater / 4;
             return true;
         }},
        {"output-limit", [&](const std::string& v) { return parseNumber(v, l.outputLimit); }},
        {"slow-consumer", seconds(l.slowConsumerMs)},
        {"prelogin-input-budget", [&](const std::string& v) { return parseNumber(v, l.preLoginInputBudget); }},
        {"login-timeout", seconds(l.loginTimeoutMs)},
        {"idle-timeout", seconds(l.idleTimeoutMs)},
        {"max-file-size", [&](const std::string& v) { return parseNumber(v, l.maxFileSize); }},
        {"max-transfers", [&](const std::string& v) { return parseNumber(v, l.maxTransfersPerUser); }},
        {"tls-cert", text(c.tls.certificateFile)},
        {"tls-key", text(c.tls.keyFile)},
        {"tls-min",
         [&](const std::string& v) {
             c.tls.allowTls12 = v == "1.2";
             return v == "1.2" || v == "1.3";
         }},
        {"tls-handshake-timeout", seconds(l.tlsHandshakeTimeoutMs)},
        // The config file's form of --plaintext.
        {"plaintext",
         [&](const std::string& v) {
             options.plaintext = v == "true" || v == "yes" || v == "1";
             return options.plaintext || v == "false" || v == "no" || v == "0";
         }},
        {"stats-every", [&](const std::string& v) { return parseNumber(v, options.statsEverySeconds); }},
        {"cluster", [&](const std::string& v) { return parseClusterUrls(v, options.cluster.urls); }},
        {"node", text(options.cluster.node)},
        {"cluster-name", text(options.cluster.name)},
        {"cluster-ca", text(options.cluster.caFile)},
        {"cluster-cert", text(options.cluster.certFile)},
        {"cluster-key", text(options.cluster.keyFile)},
        {"cluster-user", text(options.cluster.user)},
        {"cluster-password-file", text(options.cluster.passwordFile)},
        {"cluster-plaintext",
         [&](const std::string& v) {
             options.cluster.plaintext = v == "true" || v == "yes" || v == "1";
             return options.cluster.plaintext || v == "false" || v == "no" || v == "0";
         }},
    };
    const auto it = valued.find(name);
    if (it == valued.end()) return "unknown option '" + name + "'";
    if (!it->second(value)) return "invalid value for " + name + ": '" + value + "'";
    return {};
}

std::string parseServerOptions(const std::vector<std::string>& args, ServerOptions& options) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--headless") {
            options.headless = true;
        } else if (arg == "--plaintext") {
            options.plaintext = true;
        } else if (arg == "--cluster-plaintext") {
            options.cluster.plaintext = true;
        } else if (arg == "--start") {
            options.startNow = true;
        } else if (arg == "--help" || arg == "-h") {
            options.help = true;
        } else if (arg == "--version") {
            options.version = true;
        } else if (arg == "--config") {
            if (i + 1 >= args.size() || args[i + 1].empty()) return "--config needs a value";
            options.configFile = args[++i];
        } else if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
            const std::string value = i + 1 < args.size() ? args[i + 1] : std::string();
            const std::string error = applyServerOption(arg.substr(2), value, options);
            if (i + 1 >= args.size() && error.rfind("unknown option", 0) != 0) return arg + " needs a value";
            if (!error.empty()) {
                if (error.rfind("unknown option", 0) == 0) return "unknown option '" + arg + "' (see --help)";
                return "invalid value for " + arg + ": '" + args[i + 1] + "'";
            }
            ++i;
        } else {
            return "unknown option '" + arg + "' (see --help)";
        }
    }
    return {};
}

std::string loadServerOptions(const std::vector<std::string>& args, ServerOptions& options) {
    // A first pass finds --config and checks the command line; the file is applied to
    // fresh options, then the command line again, so that the command line wins.
    ServerOptions commandLine;
    if (std::string error = parseServerOptions(args, commandLine); !error.empty()) return error;
    ServerOptions merged = options;  // the caller's starting values (the window's saved settings)
    if (!commandLine.configFile.empty()) {
        if (std::string error = applyServerConfigFile(commandLine.configFile, merged); !error.empty()) return error;
    }
    if (std::string error = parseServerOptions(args, merged); !error.empty()) return error;
    if (std::string error = checkClusterOptions(merged.cluster); !error.empty()) return error;
    options = std::move(merged);
    return {};
}

std::string serverVersion() { return std::string("parley-server ") + PARLEY_VERSION_STRING; }

std::string serverUsage() {
    return R"(Usage: parley-server [--headless] [options]

Runs the Parley server. With --headless it logs to stdout and stops on
SIGINT/SIGTERM (Ctrl+C); otherwise it opens the server window (which also stops
cleanly on SIGINT/SIGTERM).

  --start                     window: start the server at once (as if Start was clicked)
  --listen HOST:PORT          address to listen on (default 127.0.0.1:7878; [::1]:7878 for IPv6)
  --db CONNECTION             sqlite:PATH (default sqlite:DATA/parley.db) or
                              odbc:<ODBC connection string or DSN> (MariaDB/MySQL, SQL Server)
  --data DIR                  the data folder (default: ~/.local/share/parley-server, or
                              $XDG_DATA_HOME/parley-server); created mode 0700
  --config FILE               read `option = value` lines (the long options without --)
                              before the command line, which wins (the service reads
                              /etc/parley/parley-server.conf)
  --log FILE                  headless: append the log to FILE instead of stdout; SIGHUP
                              reopens it (for logrotate)
  --cluster URL[,URL...] --node NAME
                              join a cluster over NATS (tls://HOST:PORT; HOST:PORT means
                              tls://) as node NAME ([a-z0-9-]); every node needs a shared
                              odbc: database. With --cluster-name NAME (default parley),
                              --cluster-ca FILE, --cluster-user NAME, --cluster-password-file
                              FILE, --cluster-cert/--cluster-key FILE (mutual TLS) and
                              --cluster-plaintext (no TLS to NATS: loopback tests only)
  --tls-cert FILE --tls-key FILE
                              TLS certificate (PEM, with intermediates) and its key, e.g. from
                              an ACME client; default: a self-signed pair made in the data
                              folder at first start (its SHA-256 fingerprint is logged)
  --tls-min 1.3|1.2           oldest TLS version accepted (default 1.3)
  --tls-handshake-timeout S   close a connection whose TLS handshake takes longer (default 10)
  --plaintext                 no TLS: everything crosses the network in clear (for tests and
                              benchmarks; in the config file: plaintext = true)
  --threads N                 I/O threads (default: one per core less one, at least 1)
  --backend epoll|poco        I/O backend (default: epoll on Linux, poco elsewhere)
  --db-workers N              database and password-hashing threads (default 2)
  --hash-iterations N         PBKDF2-HMAC-SHA256 iterations for new passwords (default 600000)
  --token-lifetime DAYS       login tokens ("remember me") stay valid this long (default 30;
                              0 = no tokens: every login needs the password)
  --login-failures N          failed logins one address may make at one account before it must
                              wait (default 5, 0 = unlimited); a right password, or a valid
                              login token, forgets them
  --login-failures-per-address N    failed logins of one address at all accounts (default 100)
  --login-failures-per-account N    failed logins at one account from all addresses, after which
                              only addresses that failed there must wait (default 20)
  --login-wait S / --login-max-wait S
                              the first wait, doubling with each further failure up to the
                              longest (default 2 / 300)
  --max-connections-per-address N   (default 64, 0 = unlimited)
  --registrations-per-hour N  registrations allowed per address per hour (default 10, 0 = unlimited)
  --rate N / --burst N        chat messages per second per session and the burst (default 200 / 400)
  --control-rate N / --control-burst N
                              other frames (PING, ACK, CONTACTS_QUERY, FILE_* control...) per
                              second per session and the burst (default 2000 / 4000)
  --flood-cut S               cut a session kept at a rate limit for S seconds (default 30)
  --output-high-water BYTES   stop reading from a client with this much output waiting for it,
                              until a quarter of it is left (default 4194304)
  --output-limit BYTES        close a client at once whose output would pass this
                              (default 16777216, 0 = no limit)
  --slow-consumer S           close a client whose output stays above the high-water mark for
                              S seconds (default 30)
  --prelogin-input-budget BYTES
                              unfinished frames all connections not logged in may hold together;
                              a connection that would pass it is closed (default 8388608)
  --login-timeout S           time allowed to log in after connecting (default 30)
  --idle-timeout S            close connections that completed no frame for S seconds (default 60)
  --max-file-size BYTES       largest file the server relays (default 0 = no limit)
  --max-transfers N           file transfers one user may send at a time (default 8, 0 = no limit)
  --stats-every S             headless: print statistics every S seconds (default 60, 0 = never)
  --version                   the version
  --help                      this text
)";
}

}  // namespace parley::server
