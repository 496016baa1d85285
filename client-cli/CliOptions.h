#pragma once
// parley-cli's command line: options, the one-shot command and its arguments.
// Pure parsing, no I/O: the caller passes the environment's password in.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace parley::client {

enum class Command : std::uint8_t {
    Interactive,  ///< no command word: chat in the terminal
    Register,
    Send,
    Recv,
    Who,
    SendFile,  ///< sendfile NAME PATH
    RecvFile,  ///< recvfile --dir DIR [--wait S]
    Logout,    ///< revokes the saved login token at the server and deletes it
    Help,
    Version,
};

struct CliOptions {
    static constexpr std::uint16_t kDefaultPort = 7878;

    Command command = Command::Interactive;
    /// The first server of --server: the one everything kept per server is keyed by.
    std::string host = "127.0.0.1";  ///< numeric IPv4/IPv6 address ("localhost" is mapped)
    std::uint16_t port = kDefaultPort;
    /// --server A,B,C: every server of the list, the first one (host, port) included;
    /// tried in order (shared/session/ServerList.h). Empty: just host:port.
    struct Server {
        std::string host;
        std::uint16_t port = kDefaultPort;
    };
    std::vector<Server> servers;
    std::string user;
    std::string password;
    /// Connecting, logging in, and waiting for each answer of the server.
    std::chrono::milliseconds timeout{10'000};

    std::string displayName;                ///< register --display
    std::string recipient;                  ///< send NAME
    std::string text;                       ///< send TEXT (the remaining words, joined by spaces)
    std::chrono::milliseconds wait{5'000};  ///< recv --wait; recvfile: for an offer (default 60 s)
    std::string path;                       ///< sendfile PATH
    std::string directory;                  ///< recvfile --dir, interactive /accept default (default ".")
    /// --state-dir: this profile's state, e.g. the resume state of received files
    /// (default defaultStateDirectory()); never the download folder.
    std::string stateDirectory;
    /// Keep a login token in the state folder and log in with it next time, so the
    /// password is needed once (--no-remember: never).
    bool remember = true;

    /// --plaintext: no TLS (a server started with --plaintext).
    bool plaintext = false;
    /// --ca FILE: verify the server against these CAs instead of the system's.
    std::string caFile;
    /// --trust-fingerprint HEX: accept (and pin) a server certificate with this SHA-256
    /// fingerprint on first contact, without asking.
    std::string trustFingerprint;
    /// --server-name NAME: the name the server's certificate must carry for CA
    /// verification (and the SNI); default: the address in --server.
    std::string serverName;

    /// <state dir>/known_servers: the pinned certificates (shared/trust/KnownServers.h).
    std::string knownServersFile() const;
    /// The name the certificate is checked against: serverName, else host.
    const std::string& certificateName() const { return serverName.empty() ? host : serverName; }

    /// "127.0.0.1:7878", "[::1]:7878": the first server.
    std::string serverText() const;
    /// The list to try: `servers`, or host:port alone.
    std::vector<Server> serverList() const;
};

/// $XDG_STATE_HOME/parley, else %LOCALAPPDATA%/parley/state (Windows), else
/// $HOME/.local/state/parley; "parley-state" in the current directory if none is set.
std::string defaultStateDirectory();

/// The parsed options, or the reason the command line is unusable (exit code 1).
struct ParseResult {
    std::optional<CliOptions> options;
    std::string error;
};

/// Parses the arguments after the program name. Options may come before or after the
/// command word; "--name=value" works too; "--" ends the options (so a TEXT may start
/// with "-"). Without --password, `envPassword` (PARLEY_PASSWORD) is used.
ParseResult parseCommandLine(const std::vector<std::string>& args, const std::optional<std::string>& envPassword);

/// "127.0.0.1:7878", "[::1]:7878".
std::string formatServer(const std::string& host, std::uint16_t port);

/// Splits "HOST:PORT", "[IPv6]:PORT" or "HOST" (default port) into a numeric host and a
/// port; "localhost" becomes 127.0.0.1. Nullopt-like failure: returns false.
bool parseServerAddress(const std::string& text, std::string& host, std::uint16_t& port);

/// Seconds as given on the command line ("10", "0.5"); nullopt unless a finite number in
/// [0, 1 day].
std::optional<std::chrono::milliseconds> parseSeconds(const std::string& text);

/// The --help text (usage, commands, exit codes).
std::string usageText();

/// "parley-cli 0.1.0"
std::string versionText();

}  // namespace parley::client
