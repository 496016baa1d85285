#include "client-cli/CliOptions.h"

#include "platform/InetAddress.h"
#include "shared/session/ServerList.h"
#include "shared/trust/KnownServers.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>

#ifndef PARLEY_VERSION_STRING
#define PARLEY_VERSION_STRING "unknown"
#endif

namespace parley::client {

namespace {

const std::map<std::string, Command>& commandWords() {
    static const std::map<std::string, Command> words = {
        {"register", Command::Register}, {"send", Command::Send},         {"recv", Command::Recv},
        {"who", Command::Who},           {"sendfile", Command::SendFile}, {"recvfile", Command::RecvFile},
        {"logout", Command::Logout},
    };
    return words;
}

bool takesValue(const std::string& name) {
    return name == "--server" || name == "--user" || name == "--password" || name == "--timeout" ||
           name == "--display" || name == "--wait" || name == "--dir" || name == "--state-dir" || name == "--ca" ||
           name == "--trust-fingerprint" || name == "--server-name";
}

bool needsAccount(Command command) { return command != Command::Help && command != Command::Version; }

std::string accountHint(const CliOptions& options) {
    return "No account yet? Create one first:\n  parley-cli --server " + options.serverText() +
           " --user NAME --password PASSWORD register";
}

/// Applies one option with its value; returns an error text or "".
std::string applyOption(CliOptions& options, const std::string& name, const std::string& value, bool& passwordGiven) {
    if (name == "--server") {
        std::string error;
        const std::vector<std::string> entries = session::splitServerList(value, error);
        if (entries.empty()) return "--server: " + error;
        options.servers.clear();
        for (const std::string& entry : entries) {
            CliOptions::Server server;
            if (!parseServerAddress(entry, server.host, server.port)) {
                return "--server wants HOST:PORT[,HOST:PORT...] with numeric addresses (e.g. 127.0.0.1:7878), not '" +
                       entry + "'";
            }
            options.servers.push_back(server);
        }
        options.host = options.servers.front().host;
        options.port = options.servers.front().port;
    } else if (name == "--user") {
        options.user = value;
    } else if (name == "--password") {
        options.password = value;
        passwordGiven = true;
    } else if (name == "--display") {
        options.displayName = value;
    } else if (name == "--dir") {
        if (value.empty()) {
            return "--dir wants a directory";
        }
        options.directory = value;
    } else if (name == "--state-dir") {
        if (value.empty()) {
            return "--state-dir wants a directory";
        }
        options.stateDirectory = value;
    } else if (name == "--ca" || name == "--server-name") {
        if (value.empty()) {
            return name + " wants a value";
        }
        (name == "--ca" ? options.caFile : options.serverName) = value;
    } else if (name == "--trust-fingerprint") {
        const auto fingerprint = trust::normalizeFingerprint(value);
        if (!fingerprint) {
            return "--trust-fingerprint wants a SHA-256 fingerprint (64 hex digits, colons allowed), not '" + value +
                   "'";
        }
        options.trustFingerprint = *fingerprint;
    } else if (name == "--timeout" || name == "--wait") {
        const auto seconds = parseSeconds(value);
        if (!seconds || (name == "--timeout" && seconds->count() == 0)) {
            return name + " wants a number of seconds, not '" + value + "'";
        }
        (name == "--timeout" ? options.timeout : options.wait) = *seconds;
    }
    return {};
}

/// Checks what the command needs once everything is parsed; returns an error text or "".
std::string checkCommand(CliOptions& options, const std::vector<std::string>& words, bool displayGiven,
                         bool waitGiven) {
    if (displayGiven && options.command != Command::Register) {
        return "--display belongs to the register command";
    }
    if (waitGiven && options.command != Command::Recv && options.command != Command::RecvFile) {
        return "--wait belongs to the recv and recvfile commands";
    }
    if (options.command == Command::RecvFile && !waitGiven) {
        options.wait = std::chrono::seconds(60);
    }
    if (options.command == Command::Send) {
        if (words.size() < 2) {
            return "send wants a recipient and a text: send NAME TEXT";
        }
        options.recipient = words[0];
        for (std::size_t i = 1; i < words.size(); ++i) {
            options.text += (i > 1 ? " " : "") + words[i];
        }
        if (options.text.empty()) {
            return "send: the text is empty";
        }
    } else if (options.command == Command::SendFile) {
        if (words.size() != 2 || words[1].empty()) {
            return "sendfile wants a recipient and a file: sendfile NAME PATH";
        }
        options.recipient = words[0];
        options.path = words[1];
    } else if (!words.empty()) {
        return "unexpected argument '" + words.front() + "'";
    }
    // With remember on, a saved login token may stand in for the password: the client
    // looks (no I/O here) and says so if there is none.
    const bool passwordMissing = options.password.empty() && !options.remember;
    if (needsAccount(options.command) && (options.user.empty() || passwordMissing ||
                                          (options.command == Command::Register && options.password.empty()))) {
        std::string error =
            options.user.empty() ? "--user is missing" : "--password is missing (or set PARLEY_PASSWORD)";
        if (options.command == Command::Interactive) {
            error += "\n" + accountHint(options);
        }
        return error;
    }
    return {};
}

}  // namespace

std::string CliOptions::knownServersFile() const { return stateDirectory + "/known_servers"; }

std::vector<CliOptions::Server> CliOptions::serverList() const {
    if (!servers.empty()) return servers;
    return {Server{host, port}};
}

std::string CliOptions::serverText() const { return formatServer(host, port); }

std::string formatServer(const std::string& host, std::uint16_t port) {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool parseServerAddress(const std::string& text, std::string& host, std::uint16_t& port) {
    std::string hostPart = text;
    std::string portPart;
    if (!text.empty() && text.front() == '[') {
        const std::size_t close = text.find(']');
        if (close == std::string::npos) {
            return false;
        }
        hostPart = text.substr(1, close - 1);
        const std::string rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') {
                return false;
            }
            portPart = rest.substr(1);
        }
    } else if (const std::size_t colon = text.rfind(':'); colon != std::string::npos) {
        if (text.find(':') != colon) {
            return false;  // a bare IPv6 address: write it as [::1]:PORT
        }
        hostPart = text.substr(0, colon);
        portPart = text.substr(colon + 1);
    }
    if (hostPart == "localhost") {
        hostPart = "127.0.0.1";
    }
    if (!net::InetAddress::parse(hostPart, 0)) {
        return false;
    }
    std::uint16_t parsedPort = CliOptions::kDefaultPort;
    if (!portPart.empty() || text.back() == ':') {
        const char* end = portPart.data() + portPart.size();
        const auto [ptr, ec] = std::from_chars(portPart.data(), end, parsedPort);
        if (ec != std::errc() || ptr != end || parsedPort == 0) {
            return false;
        }
    }
    host = hostPart;
    port = parsedPort;
    return true;
}

std::optional<std::chrono::milliseconds> parseSeconds(const std::string& text) {
    double seconds = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, seconds);
    if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(seconds) || seconds < 0 || seconds > 86'400) {
        return std::nullopt;
    }
    return std::chrono::milliseconds(std::llround(seconds * 1000));
}

ParseResult parseCommandLine(const std::vector<std::string>& args, const std::optional<std::string>& envPassword) {
    CliOptions options;
    std::vector<std::string> words;  // the command word's arguments
    bool commandSeen = false;
    bool optionsEnded = false;
    bool passwordGiven = false;
    bool displayGiven = false;
    bool waitGiven = false;
    bool dirGiven = false;

    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (optionsEnded || arg.size() < 2 || arg.front() != '-') {
            if (!commandSeen) {
                const auto word = commandWords().find(arg);
                if (word == commandWords().end()) {
                    return {std::nullopt, "unknown command '" + arg + "' (see --help)"};
                }
                options.command = word->second;
                commandSeen = true;
            } else {
                words.push_back(arg);
            }
            continue;
        }
        if (arg == "--") {
            optionsEnded = true;
            continue;
        }
        if (arg == "-h" || arg == "--help") {
            options.command = Command::Help;
            return {options, {}};
        }
        if (arg == "--version") {
            options.command = Command::Version;
            return {options, {}};
        }
        if (arg == "--plaintext") {
            options.plaintext = true;
            continue;
        }
        if (arg == "--no-remember") {
            options.remember = false;
            continue;
        }
        const std::size_t equals = arg.find('=');
        const std::string name = arg.substr(0, equals);
        if (!takesValue(name)) {
            return {std::nullopt, "unknown option '" + name + "' (see --help)"};
        }
        std::string value;
        if (equals != std::string::npos) {
            value = arg.substr(equals + 1);
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            return {std::nullopt, name + " wants a value"};
        }
        displayGiven = displayGiven || name == "--display";
        waitGiven = waitGiven || name == "--wait";
        dirGiven = dirGiven || name == "--dir";
        if (std::string error = applyOption(options, name, value, passwordGiven); !error.empty()) {
            return {std::nullopt, error};
        }
    }
    if (!passwordGiven && envPassword) {
        options.password = *envPassword;
    }
    if (dirGiven && options.command != Command::RecvFile && options.command != Command::Interactive) {
        return {std::nullopt, "--dir belongs to recvfile and to interactive mode"};
    }
    if (options.directory.empty()) {
        options.directory = ".";
    }
    if (options.stateDirectory.empty()) {
        options.stateDirectory = defaultStateDirectory();
    }
    if (std::string error = checkCommand(options, words, displayGiven, waitGiven); !error.empty()) {
        return {std::nullopt, error};
    }
    return {options, {}};
}

std::string defaultStateDirectory() {
    const auto variable = [](const char* name) {
        const char* value = std::getenv(name);
        return value != nullptr ? std::string(value) : std::string();
    };
    if (const std::string xdg = variable("XDG_STATE_HOME"); !xdg.empty()) {
        return xdg + "/parley";
    }
    if (const std::string local = variable("LOCALAPPDATA"); !local.empty()) {
        return local + "/parley/state";
    }
    if (const std::string home = variable("HOME"); !home.empty()) {
        return home + "/.local/state/parley";
    }
    return "parley-state";
}

std::string usageText() {
    return R"(parley-cli: the Parley terminal client, for people and for scripts.

Usage:
  parley-cli [OPTIONS]                             chat interactively
  parley-cli [OPTIONS] register [--display NAME]   create the account
  parley-cli [OPTIONS] send NAME TEXT...           send one message
  parley-cli [OPTIONS] recv [--wait S]             print the messages that arrive
  parley-cli [OPTIONS] who                         list the users
  parley-cli [OPTIONS] sendfile NAME PATH          send a file, wait until it is verified
  parley-cli [OPTIONS] recvfile [--dir DIR] [--wait S]   receive the next file into DIR
  parley-cli [OPTIONS] logout                      forget the saved login (revoked at the server)

Options:
  --server HOST:PORT  server address, numeric or localhost (default 127.0.0.1:7878); for a
                      cluster a list A,B,C: tried in order, the next at once when one
                      cannot be reached or drops (the login token and pinned certificate
                      are the first one's)
  --user NAME         account name
  --password PASS     password; if absent, the PARLEY_PASSWORD environment variable
  --timeout S         seconds for connecting, logging in and each answer (default 10)
  --dir DIR           where received files go (recvfile, and /accept in interactive
                      mode; default: the current directory)
  --state-dir DIR     this profile's state: what lets an interrupted download resume,
                      and the login token (default: $XDG_STATE_HOME/parley or
                      ~/.local/state/parley)
  --no-remember       do not keep a login token: the password is needed every time
                      (by default the first password login saves a token, 0600, in the
                      state folder, and later runs and reconnects log in with it)
  --plaintext         no TLS: for a server started with --plaintext
  --ca FILE           trust servers whose certificate chains to a CA in FILE (PEM)
                      instead of the system's CAs
  --server-name NAME  the name the certificate must carry (default: the address)
  --trust-fingerprint HEX
                      on first contact, trust the server whose certificate has this
                      SHA-256 fingerprint (the server logs it) and pin it
  -h, --help          this text
  --version           the version

Interactive mode logs in, prints what arrives as it arrives, and reads commands:
  /who              users and who is online
  /msg NAME TEXT    message NAME; later lines without a slash go to NAME too
  /room TEXT        message everyone online
  /file NAME PATH   send a file to NAME (progress is shown as it goes)
  /accept ID [DIR]  accept offered file ID into DIR (default --dir)
  /reject ID        decline offered file ID
  /cancel ID        stop transfer ID (either direction)
  /transfers        the transfers in progress
  /help             the commands
  /quit             wait until the server has your messages, log out, exit (also EOF)

One-shot commands (for scripts):
  register   creates --user with --password; --display NAME sets the shown name
  send       sends TEXT to NAME and prints "stored" (NAME is offline: the server keeps
             it) or "delivered" (NAME has it) once the server says so
  recv       prints each message arriving within S seconds (--wait, default 5) as
             FROM<TAB>TEXT, room messages as "#room FROM<TAB>TEXT" (a backslash, tab
             or newline in TEXT is written \\, \t, \n), acknowledges them, exits 0
  who        prints NAME<TAB>online|offline for every other user
  sendfile   hashes PATH, offers it to NAME and sends it; prints "accepted at offset N"
             for every answer of the receiver (N > 0: a resume), then
             "verified: sent BYTES bytes" once the receiver checked the SHA-256.
             Keeps going across reconnects (an interrupted transfer resumes).
  logout     revokes the saved login token at the server and deletes it
  recvfile   takes the next file offered within S seconds (--wait, default 60), or
             resumes one whose .part file is in DIR, saves it in DIR (never over an
             existing file) and prints the saved path once verified

Exit codes:
  0  ok
  1  usage: bad arguments
  2  cannot connect, or the connection was lost
  3  login refused: bad credentials, throttled (retry later), invalid name/password
  4  refused by the server: username taken, unknown recipient, server error, kicked
  5  timeout: no answer within --timeout
  6  file refused: declined, receiver offline, too large, no space, invalid name, ...
  7  file failed: cancelled, hash mismatch, read or write error
  8  untrusted server: its certificate is unknown (not from a trusted CA, not pinned,
     not confirmed) or is not the one pinned for this address

Trust (TLS is the default): a certificate that chains to a trusted CA and names the
server is accepted. Otherwise, on first contact, parley-cli shows its SHA-256
fingerprint and asks (or takes --trust-fingerprint), then pins it per address in
STATE-DIR/known_servers. A different certificate at a pinned address is refused; if the
operator really replaced it, delete that line of known_servers.
)";
}

std::string versionText() { return std::string("parley-cli ") + PARLEY_VERSION_STRING; }

}  // namespace parley::client
