#pragma once
// ServerController: the window's handle on the engine. Owns the
// parley::server::Server, starts and stops it, polls its statistics and
// online users once a second and turns engine callbacks into signals on the
// GUI thread. Holds no widgets; ServerWindow only reacts to its signals.
//
// Threading: GUI thread only. Server::start (it opens the database, migrates it,
// reads the users, hashes a dummy password and binds: up to seconds on a remote or
// slow database) runs on a worker thread, so the window keeps painting; its outcome
// comes back to the GUI thread (stateChanged or errorOccurred). stop() runs here.
// Engine callbacks come in through ServerLogBridge over queued connections.
// Errors: start() failures (StartError: port in use, database unreachable)
// are reported through errorOccurred() and leave the controller stopped.

#include "server-gui/ThroughputHistory.h"
#include "server-gui/engine/RemoteUsers.h"
#include "server-gui/engine/Server.h"
#include "server-gui/engine/ServerConfig.h"
#include "server-gui/engine/ServerStats.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <thread>
#include <vector>

namespace parley::server {

class ServerLogBridge;

/// What the window shows as throughput: the engine's counters plus rates.
struct ServerFigures {
    StatsSnapshot stats;
    /// Messages (routed + stored + room) per second since the previous refresh.
    double messagesPerSecond = 0.0;
    /// The cluster's members, this node first (Server::clusterMembers()); empty when
    /// the server is not clustered or not running.
    std::vector<ClusterMemberView> clusterMembers;
};

class ServerController final : public QObject {
    Q_OBJECT
public:
    explicit ServerController(ServerConfig config, QObject* parent = nullptr);
    ~ServerController() override;

    /// The configuration the next start() uses (the window edits host, port, database).
    const ServerConfig& config() const { return m_config; }
    void setConfig(const ServerConfig& config) { m_config = config; }
    /// --cluster: every start joins the cluster through this (ClusterJoin.h); an empty
    /// factory: a single server. clusterChanged() follows.
    void setCluster(RemoteUsersFactory cluster);
    /// Whether start() joins a cluster.
    bool clustered() const { return static_cast<bool>(m_cluster); }

    bool isRunning() const;
    /// start() was called and its worker has not reported back yet.
    bool isStarting() const { return m_starting != nullptr; }
    /// The bound port; 0 when stopped.
    quint16 port() const;
    /// SHA-256 of the TLS certificate ("AB:CD:..."); empty when stopped or --plaintext.
    QString certificateFingerprint() const;
    /// The last error message of start(); empty after a successful start.
    QString lastError() const { return m_lastError; }
    /// The last ten minutes of throughput (of this run), one sample a second.
    const ThroughputHistory& history() const { return m_history; }

public slots:
    /// Starts the server on a worker thread and returns at once (isStarting());
    /// stateChanged(true, port) or errorOccurred() follows. Ignored while running or starting.
    void start();
    /// Stops the server cleanly (clients are told, pending database work finishes). Idempotent.
    /// While starting, it first waits for the start to finish.
    void stop();
    /// Disconnects an online user with KICKED Operator and `reason` (which the user
    /// is shown); logs the outcome.
    void kick(quint32 userId, const QString& reason);
    /// Reads stats now and asks for the online sessions (also done every second by a
    /// timer); onlineSessionsUpdated() follows when every I/O loop has answered.
    void refresh();
    /// Asks for every account; accountsUpdated() follows.
    void refreshAccounts();
    /// Account changes; accountChanged() reports the outcome, accountsUpdated() follows.
    void setAccountDisabled(quint32 userId, bool disabled);
    /// Ends a transfer in progress; both sides get FILE_CANCEL with `reason`.
    void abortTransfer(quint32 sender, quint64 transferId, const QString& reason);
    void resetPassword(quint32 userId, const QString& password);
    /// Revokes every login token of the account and logs its open session out.
    void revokeSessions(quint32 userId);

signals:
    void stateChanged(bool running, quint16 port);
    void errorOccurred(const QString& message);
    void logLine(const QString& time, const QString& level, const QString& text);
    /// Once a second while running (and once, empty, at stop).
    void statsUpdated(const parley::server::ServerFigures& figures);
    /// setCluster() was called: whether the next start joins a cluster.
    void clusterChanged(bool clustered);
    void onlineSessionsUpdated(const std::vector<parley::server::OnlineSession>& sessions);
    void transfersUpdated(const std::vector<parley::server::Server::TransferRow>& transfers);
    void accountsUpdated(const std::vector<parley::db::UserSummary>& accounts);
    void accountChanged(bool ok, const QString& message);

private:
    void log(const QString& level, const QString& text);
    /// The start worker's outcome, on the GUI thread: empty `error` means running.
    void startFinished(const QString& error);
    void joinStartWorker();
    void requestSessions();
    void reportAccountChange(const db::Result& result, const QString& done);

    /// Wraps `fn` into a callback the engine may call on any thread: `fn` then runs on
    /// the GUI thread, unless the server run that made the callback has ended by then
    /// (the server, and so every callback, is stopped before this controller goes; a
    /// queued call to a destroyed object is dropped). Call on the GUI thread.
    template <class Fn>
    auto onGuiThread(Fn fn) {
        return [this, run = m_run, fn = std::move(fn)](auto... args) {
            QMetaObject::invokeMethod(
                this,
                [this, run, fn, args...] {
                    if (run == m_run) fn(args...);
                },
                Qt::QueuedConnection);
        };
    }

    Q_DISABLE_COPY(ServerController)
    ServerConfig m_config;
    RemoteUsersFactory m_cluster;
    // Declared before m_server: the Server points at the bridge and is destroyed first.
    ServerLogBridge* m_bridge;
    std::unique_ptr<Server> m_server;
    /// The server being started by m_startWorker (which only calls its start()).
    std::unique_ptr<Server> m_starting;
    std::thread m_startWorker;
    QTimer m_timer;
    QElapsedTimer m_sinceLast;
    ThroughputHistory m_history;
    QString m_lastError;
    /// Counts server runs, so that a session snapshot of an earlier run is dropped.
    std::uint64_t m_run = 0;
    bool m_snapshotPending = false;
};

}  // namespace parley::server
