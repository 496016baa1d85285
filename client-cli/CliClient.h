#pragma once
// The glue between the session core and the platform layer, shared by every mode of
// parley-cli: one loop thread, one TcpClient, one ClientSession.
//
//   TcpClient (loop thread)            CliClient                       ClientSession
//   connected        ------------->  connectionOpened(now)  ------->   (auto LOGIN)
//   bytes            ------------->  receive(bytes, now)    ------->   SessionListener events
//   timer, every 1 s ------------->  tick(now)
//   closed           ------------->  connectionClosed(); reconnect with backoff while
//                                    shouldReconnect()
//   conn->send()     <-------------  output callback        <-------   bytes to write
//
// A mode (InteractiveShell, the one-shot commands) derives from CliClient, overrides the
// hooks below and the SessionListener events it shows, and ends the run with finish()
// (graceful: LOGOUT, the output written, the server closes) or fail() (at once).
//
// Threading: run() is called once, from the main thread, and blocks. Everything else --
// hooks, SessionListener events, the protected helpers -- runs on the loop thread only,
// except post(), which any thread may call.

#include "client-cli/CliOptions.h"
#include "client-cli/ExitCode.h"
#include "client-cli/ServerTrust.h"
#include "platform/LoopThread.h"
#include "platform/TcpClient.h"
#include "platform/fileio/ThreadedFileIo.h"
#include "shared/session/Backoff.h"
#include "shared/session/ServerList.h"
#include "shared/session/ClientSession.h"
#include "shared/session/LoginTokenFile.h"
#include "shared/transfer/TransferManager.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace parley::net {
class TlsContext;
}

namespace parley::client {

/// A CHAT or ROOM that arrived, with the sender's name resolved.
struct ReceivedMessage {
    session::UserId from = 0;
    std::string fromName;
    std::uint64_t timestampMs = 0;  ///< the server's stamp, Unix milliseconds
    std::string text;
    bool room = false;
    session::MessageId messageId = 0;
};

class CliClient : protected session::SessionListener, protected transfer::TransferListener {
public:
    /// After finish(), how long to wait for the server to close the connection.
    static constexpr std::chrono::milliseconds kCloseGrace{3000};
    /// Reconnect delays: doubling from the first to the last, with jitter (session::Backoff).
    static constexpr std::chrono::milliseconds kFirstRetry{500};
    static constexpr std::chrono::milliseconds kMaxRetry{10'000};

    explicit CliClient(CliOptions options);
    ~CliClient() override;
    CliClient(const CliClient&) = delete;
    CliClient& operator=(const CliClient&) = delete;

    /// Main thread, once. Starts the loop, calls onStart(), connects, and returns when
    /// finish() or fail() completed; the connection and the loop are stopped by then.
    Outcome run();

protected:
    // ---- hooks (loop thread) -------------------------------------------------------

    /// Before the first connection attempt, e.g. session().login().
    virtual void onStart() {}
    /// A connection is open and the session knows it (a remembered LOGIN is on its way).
    virtual void onConnected() {}
    /// Logged in and the contact list of this login has arrived: names resolve. Called
    /// after every successful login, so again after a reconnect (`first` is false then).
    virtual void onReadyToChat(bool /*first*/) {}
    /// A CHAT or ROOM arrived. Messages that arrive before onReadyToChat are held back by
    /// the session until then, so that their sender has a name. The ACK goes out after
    /// this returns.
    virtual void onMessage(const ReceivedMessage& /*message*/) {}
    /// The connection was lost (or a reconnect attempt failed) and the client will try
    /// again in `retryIn`. Without a retry the run fails with ExitCode::Connect instead.
    /// By default says so on stderr ("REASON; reconnecting").
    virtual void onReconnecting(const std::string& reason, std::chrono::milliseconds retryIn);

    // ---- helpers (loop thread) -----------------------------------------------------

    session::ClientSession& session() { return m_session; }
    const session::ClientSession& session() const { return m_session; }
    const CliOptions& options() const { return m_options; }
    net::Reactor& loop() { return *m_loop; }

    /// Ends the run gracefully: LOGOUT, the queued output (ACKs) written, then waits
    /// (up to kCloseGrace) for the server to close. Input is ignored from now on.
    void finish(Outcome outcome);
    /// Ends the run now (the connection is force-closed by run()).
    void fail(Outcome outcome);
    /// session().login() with --user/--password; a refusal fails the run (ExitCode::Usage).
    /// The LOGIN goes out when connected, and again after every reconnect.
    void logIn();
    bool finishing() const { return m_finishing; }

    /// Fails the run with ExitCode::Timeout ("timed out <what>") after `delay`, unless
    /// replaced or cancelled first. One deadline at a time.
    void setDeadline(std::chrono::milliseconds delay, std::string what);
    void cancelDeadline();

    /// Installs the file-transfer machinery (worker threads, TransferManager) for the modes
    /// that send or receive files; without it the session declines every offer. Call it
    /// from onStart().
    void enableFileTransfers();
    /// After enableFileTransfers() only.
    transfer::TransferManager& transfers() { return *m_transfers; }

    /// "alice" for a known user id, "user#7" otherwise.
    std::string nameOf(session::UserId id) const;

    /// One line on stdout / stderr, flushed at once (scripts read line by line).
    static void printLine(const std::string& line);
    static void printError(const std::string& line);

    /// Milliseconds since the Unix epoch (seeds message ids).
    static std::uint64_t wallClockMs();

    /// Any thread. Runs `fn` on the loop; dropped once the run is over.
    bool post(std::function<void()> fn);

    // ---- SessionListener: what every mode handles the same way ---------------------

    void onProtocolError(proto::ProtocolError error) final;
    void onConnectionDead() final;
    void onLoginResult(const proto::LoginResult& result) final;
    void onLoginToken(const std::string& username, const proto::IssuedToken& token) final;
    void onPasswordNeeded(const std::string& username, const std::string& why) final;
    void onKicked(proto::KickReason reason, const std::string& text) final;
    void onReady(bool first) final;
    void onChatReceived(session::UserId from, session::MessageId messageId, std::uint64_t timestampMs,
                        const std::string& text) final;
    void onRoomMessageReceived(session::UserId from, session::MessageId messageId, std::uint64_t timestampMs,
                               const std::string& text) final;

    // ---- TransferListener: modes with files override these -------------------------
    /// Default: decline (this mode does not take files).
    void onIncomingOffer(const transfer::TransferInfo& info) override;
    void onTransferFinished(const transfer::TransferInfo& /*info*/,
                            const transfer::TransferOutcome& /*outcome*/) override {}

private:
    static std::uint64_t nowMs();

    void begin(const net::InetAddress& server);
    void handleConnected(const net::TcpConnectionPtr& connection);
    void startTls(const net::TcpConnectionPtr& connection);
    void established(const net::TcpConnectionPtr& connection);
    void handleBytes(const net::TcpConnectionPtr& connection, net::Buffer& buffer);
    void handleClosed(const net::TcpConnectionPtr& connection);
    void handleConnectFailed(const std::error_code& error);
    /// `passOver`: every server of the list failed since the last login (ServerRotation):
    /// wait the backoff; else the next server is tried at once.
    void connectionLost(const std::string& reason, bool passOver);
    /// Connects to the server the rotation names.
    void connectCurrent();
    /// "127.0.0.1:7879", the server being tried.
    std::string currentServerText() const;
    void deliver(ReceivedMessage message);
    bool startEnding(Outcome outcome);
    void complete();

    const CliOptions m_options;
    session::ClientSession m_session;
    const session::LoginTokenFile m_tokenFile;
    /// A refused token, and a password to fall back to: LOGIN with it once.
    bool m_passwordFallback = false;

    // Declared before the TcpClient: the client is destroyed (and stopped) first.
    net::LoopThread m_loopThread;
    net::Reactor* m_loop = nullptr;
    std::unique_ptr<net::TcpClient> m_tcp;
    std::vector<net::InetAddress> m_servers;  ///< --server's list, in order
    session::ServerRotation m_rotation;       ///< loop thread only

    // TLS (null with --plaintext) and the trust rule; the rule's state is loop thread only.
    std::shared_ptr<const net::TlsContext> m_tls;
    ServerTrust m_trust;

    // Loop thread only.
    net::TcpConnectionPtr m_connection;
    std::string m_tlsFailure;   ///< why the current connection's TLS gave up, if it did
    std::string m_closeReason;  ///< why we closed the current connection, if we did
    bool m_everConnected = false;
    session::Backoff m_backoff{static_cast<std::uint64_t>(kFirstRetry.count()),
                               static_cast<std::uint64_t>(kMaxRetry.count())};
    net::TimerId m_deadline = net::kInvalidTimerId;
    net::TimerId m_retryTimer = net::kInvalidTimerId;
    net::TimerId m_graceTimer = net::kInvalidTimerId;
    bool m_finishing = false;

    // Handed from the loop thread to run().
    std::mutex m_doneMutex;
    std::condition_variable m_doneChanged;
    bool m_done = false;
    Outcome m_outcome;

    // File transfers (loop thread), when enabled; destroyed first (they use the session).
    std::unique_ptr<fileio::ThreadedFileIo> m_fileIo;
    std::unique_ptr<transfer::TransferManager> m_transfers;
};

}  // namespace parley::client
