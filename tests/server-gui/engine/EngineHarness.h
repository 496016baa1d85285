#pragma once
// An in-process Parley server for the engine integration suites: real TCP on
// 127.0.0.1 (ephemeral port), a real SQLite file in a temporary folder, fast
// password hashing. Plus the few steps every test repeats (register, log in).

#include "server-gui/engine/Server.h"
#include "tests/support/TempDir.h"
#include "tests/support/TestClient.h"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace parley::test {

/// The password every test user has.
extern const char* const kPassword;

/// A config for tests: listen on 127.0.0.1:0, `database`, 2 I/O threads,
/// 1000 hash iterations, no per-address connection or registration limits.
server::ServerConfig testConfig(const std::string& database);

/// Keeps the engine's log lines (thread-safe).
class LogRecorder final : public server::ServerObserver {
public:
    void onLog(server::LogLevel level, const std::string& line) override;
    bool contains(const std::string& fragment) const;
    std::vector<std::string> lines() const;

private:
    mutable std::mutex m_mutex;
    std::vector<std::string> m_lines;
};

/// Whether the harness runs its server (and its clients) over TLS: yes unless the
/// environment says PARLEY_TEST_TLS=0 (ctest's one plaintext run of the suites).
bool tlsByDefault();

/// Turns TLS on in `config` with a fresh self-signed certificate written to `dir`.
void enableTls(server::ServerConfig& config, const TempDir& dir);

class EngineHarness {
public:
    /// Starts the server (BOOST_REQUIRE on failure); `adjust` edits the config first. The
    /// engine reads `clock` (e.g. a ManualClock, which must outlive the harness).
    explicit EngineHarness(const std::function<void(server::ServerConfig&)>& adjust = {},
                           const server::Clock& clock = server::Clock::system());
    ~EngineHarness();
    EngineHarness(const EngineHarness&) = delete;
    EngineHarness& operator=(const EngineHarness&) = delete;

    server::Server& server() { return *m_server; }
    /// Stops the server (its store finishes every queued job) and starts a new
    /// one on the same database and config; port() is the new one's.
    void restart();
    std::uint16_t port() const { return m_port; }
    /// The config it runs (e.g. tls.certificateFile, for clients that pin it).
    const server::ServerConfig& config() const { return m_config; }
    const LogRecorder& log() const { return m_log; }

    /// A connected client (fails the test if it cannot connect), over TLS when the
    /// server speaks it (the handshake is done when this returns).
    std::unique_ptr<TestClient> connect(net::Reactor* loop = nullptr, const std::string& host = "127.0.0.1");
    /// Registers `username` over a short-lived connection; returns its id.
    proto::UserId registerUser(const std::string& username, const std::string& displayName = {});
    /// How the logged-in client answers CHATs: not at all (the test acks), or
    /// with ACK Received at once like a real client (TestClient::setAutoAck).
    enum class Acks { Manual, Auto };
    /// Connects and logs in (fails the test unless Ok); CONTACTS are consumed.
    std::unique_ptr<TestClient> login(const std::string& username, Acks acks = Acks::Manual);

private:
    void startServer();

    TempDir m_dir;
    server::ServerConfig m_config;
    const server::Clock& m_clock;
    std::shared_ptr<const net::TlsContext> m_clientTls;  ///< set when the server speaks TLS
    LogRecorder m_log;
    std::unique_ptr<server::Server> m_server;
    std::uint16_t m_port = 0;
};

/// REGISTER / LOGIN on `client` (password kPassword unless given); the answer's
/// status. A missing answer fails the test.
proto::AuthStatus registerStatus(TestClient& client, const std::string& username);
proto::AuthStatus loginStatus(TestClient& client, const std::string& username, const std::string& password = kPassword);

/// `body` encoded under `header` (which a test may fill as it likes).
std::string encodeFrame(const proto::Header& header, const proto::Body& body);
/// A header of `type` announcing `payloadLength` bytes, and no payload.
std::string rawHeader(proto::MessageType type, std::uint32_t payloadLength);

/// Waits for PRESENCE of `user` in `state` at `client`.
bool waitPresence(TestClient& client, proto::UserId user, proto::PresenceState state,
                  std::chrono::milliseconds timeout = 10s);

/// Waits for an ERROR with `code`; its frame.
std::optional<Frame<proto::Error>> waitError(TestClient& client, proto::ErrorCode code,
                                             std::chrono::milliseconds timeout = 10s);

/// Waits for an ACK of `kind` from `peer` with upTo >= `upTo`.
std::optional<Frame<proto::Ack>> waitAck(TestClient& client, proto::AckKind kind, proto::UserId peer,
                                         proto::MessageId upTo, std::chrono::milliseconds timeout = 10s);

/// Waits for `count` CHATs (from anyone); fewer if the time runs out.
std::vector<Frame<proto::Chat>> waitChats(TestClient& client, std::size_t count,
                                          std::chrono::milliseconds timeout = 10s);

}  // namespace parley::test
