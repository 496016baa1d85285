#pragma once
// The Parley server engine: listens, authenticates, routes and stores.
//
//   Server server(config, &observer);
//   server.start();          // throws StartError with a message for the operator
//   ... server.stats(), server.onlineUsers(), server.kick(id) ...
//   server.stop();           // or let the destructor do it
//
// Threading: start(), stop() and the destructor from one controlling thread
// (the GUI thread, or main() when headless). stats(), onlineUsers(), kick()
// and running() from any thread. Observer callbacks arrive on I/O and store
// threads (see ServerObserver.h).

#include "db/Result.h"
#include "db/StoreTypes.h"
#include "server-gui/engine/Clock.h"
#include "server-gui/engine/ServerConfig.h"
#include "server-gui/engine/ServerObserver.h"
#include "server-gui/engine/ServerStats.h"
#include "server-gui/engine/SessionTraffic.h"
#include "server-gui/engine/TransferLog.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace parley::net {
class LoopPool;
class LoopThread;
class TcpServer;
}  // namespace parley::net
namespace parley::db {
class StorePool;
}

namespace parley::server {

struct ServerCore;
class ClusterPort;
class RemoteUsers;
struct ClusterMemberView;

/// Joins a cluster at start (parley-server --cluster): given the port through which the
/// other nodes reach this engine, returns the engine's view of them. Throws StartError
/// when the node cannot join (its transport unreachable, its name taken, ...).
using RemoteUsersFactory = std::function<std::unique_ptr<RemoteUsers>(ClusterPort&)>;

/// Why start() failed, in words for the operator ("port 7878 is in use", ...).
class StartError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct OnlineUser {
    proto::UserId id = 0;
    std::string username;
    std::string displayName;
};

/// One logged-in connection as the operator sees it.
struct OnlineSession {
    proto::UserId id = 0;
    std::string username;
    std::string displayName;
    std::string address;              ///< the peer's IP address
    std::uint64_t connectedAtMs = 0;  ///< Unix epoch milliseconds
    SessionTraffic traffic;
};

class Server {
public:
    /// `clock` (which must outlive the server) is what the engine reads for every time:
    /// tests pass one they move themselves.
    explicit Server(ServerConfig config, ServerObserver* observer = nullptr, const Clock& clock = Clock::system(),
                    RemoteUsersFactory cluster = {});
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Opens the database (creating or migrating the schema), loads the users,
    /// starts the I/O loops and listens. Throws StartError, leaving nothing
    /// running, if the database is unreachable or the address cannot be bound.
    void start();
    /// Tells every client the server is shutting down, closes all connections,
    /// finishes pending database work and stops every thread. Idempotent.
    void stop();
    bool running() const { return m_running.load(); }

    /// The port actually bound (useful with port 0). 0 when not running.
    std::uint16_t port() const;
    const ServerConfig& config() const { return m_config; }
    /// SHA-256 of the TLS certificate (DER), "AB:CD:..."; empty without TLS or when
    /// not running. Set by start(), read from any thread after it.
    std::string certificateFingerprint() const;
    StatsSnapshot stats() const;
    /// The cluster's members as this node sees them, this node first; empty when the
    /// server is not part of a cluster or not running.
    std::vector<ClusterMemberView> clusterMembers() const;
    std::vector<OnlineUser> onlineUsers() const;
    /// Copies every online session's figures on its own loop, then calls `done`
    /// once with all of them, on an I/O thread (at once, with none, when
    /// nothing is online). Never waits for a loop. `done` is dropped uncalled
    /// if the server stops first; it must not block.
    void snapshotSessions(std::function<void(std::vector<OnlineSession>)> done) const;
    /// Disconnects `user` with KICKED Operator, on whichever node of a cluster it is.
    /// False if not online.
    bool kick(proto::UserId user, const std::string& reason = "disconnected by the operator");

    /// A transfer with its sides' names, for the operator.
    struct TransferRow {
        TransferInfo info;
        std::string senderName;
        std::string receiverName;
    };
    /// Transfers in progress or ended in the last hour, oldest first. Any thread;
    /// takes one lock briefly, never waits for a loop.
    std::vector<TransferRow> transfers() const;
    /// Ends a transfer in progress: both sides get FILE_CANCEL Operator with
    /// `reason`. False if it is not in progress.
    bool abortTransfer(proto::UserId sender, proto::TransferId id, const std::string& reason);

    // ---- accounts (ServerAccounts.cpp): the work runs on a store worker and `done`
    // is called there (or at once, with Unavailable, when the server is not running).
    using AccountsDone = std::function<void(db::ValueResult<std::vector<db::UserSummary>>)>;
    using AccountDone = std::function<void(db::Result)>;
    /// Every account, by id, with its registration date, last login and state.
    void listAccounts(AccountsDone done) const;
    /// Disables (or enables) an account; a disabled account that is online is kicked.
    /// Its logins are refused with LOGIN_RESULT AccountDisabled (protocol 7).
    void setAccountDisabled(proto::UserId user, bool disabled, AccountDone done);
    /// Sets a new password (hashed on the worker). Error if it breaks the password
    /// rule (8..1024 bytes), NotFound for an unknown user.
    void resetPassword(proto::UserId user, std::string password, AccountDone done);
    /// "Revoke sessions": every login token of `user` is revoked and its session, if
    /// online, is kicked (KICKED Operator); the next login needs the password.
    void revokeSessions(proto::UserId user, AccountDone done);

private:
    void startOrThrow();
    void joinCluster();

    ServerConfig m_config;
    ServerObserver* m_observer;
    const Clock& m_clock;
    RemoteUsersFactory m_cluster;
    std::unique_ptr<ServerObserver> m_nullObserver;
    std::unique_ptr<db::StorePool> m_store;
    std::unique_ptr<db::StorePool> m_hashPool;  ///< LOGIN/REGISTER hashing (ServerCore::hashing)
    std::unique_ptr<ServerCore> m_core;
    std::unique_ptr<ClusterPort> m_clusterPort;  ///< outlives m_core's RemoteUsers
    std::unique_ptr<net::LoopPool> m_pool;
    std::unique_ptr<net::LoopThread> m_acceptThread;
    std::unique_ptr<net::TcpServer> m_tcp;
    std::string m_fingerprint;  ///< written by start() before m_running
    std::atomic<bool> m_running{false};
};

}  // namespace parley::server
