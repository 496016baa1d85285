#include "server-gui/engine/Server.h"

#include "db/ConnectionString.h"
#include "db/StorePool.h"
#include "platform/InetAddress.h"
#include "platform/LoopPool.h"
#include "platform/LoopThread.h"
#include "platform/TcpConnection.h"
#include "platform/TcpServer.h"
#include "platform/tls/TlsContext.h"
#include "server-gui/engine/ClusterPort.h"
#include "server-gui/engine/ConnectionBounds.h"
#include "server-gui/engine/ServerCore.h"
#include "server-gui/engine/Session.h"
#include "server-gui/engine/SessionLoop.h"
#include "server-gui/engine/TlsAdmission.h"
#include "server-gui/engine/TransferRecords.h"
#include "shared/proto/Codec.h"

#include <future>
#include <map>
#include <mutex>
#include <system_error>

namespace parley::server {

namespace {

// Only the onConnection callback below sets a connection's context, always to
// a Session.
SessionPtr sessionOf(const net::TcpConnectionPtr& connection) {
    return std::static_pointer_cast<Session>(connection->context());
}

net::Logger platformLogger(ServerObserver& observer) {
    return net::Logger(net::LogLevel::Warn, [&observer](net::LogLevel level, std::string_view line) {
        observer.onLog(level, std::string(line));
    });
}

// Runs `job` on a store worker and waits for its result.
template <class T>
T runOnStore(db::StorePool& pool, std::function<T(db::Store&)> job) {
    std::promise<T> promise;
    auto future = promise.get_future();
    if (!pool.submit([&promise, &job](db::Store& store) { promise.set_value(job(store)); }))
        return T(db::Result{db::Status::Unavailable, "the database workers are not running"});
    return future.get();
}

}  // namespace

unsigned defaultIoThreads() {
    const std::size_t cores = net::LoopPool::usableCores();
    return static_cast<unsigned>(cores > 1 ? cores - 1 : 1);
}

Server::Server(ServerConfig config, ServerObserver* observer, const Clock& clock, RemoteUsersFactory cluster)
    : m_config(std::move(config)), m_observer(observer), m_clock(clock), m_cluster(std::move(cluster)) {
    if (!m_observer) {
        m_nullObserver = std::make_unique<ServerObserver>();
        m_observer = m_nullObserver.get();
    }
}

Server::~Server() { stop(); }

void Server::start() {
    if (m_running) return;
    try {
        startOrThrow();
    } catch (...) {
        stop();
        throw;
    }
}

void Server::startOrThrow() {
    ServerObserver& observer = *m_observer;
    const std::string where = m_config.listenHost + ":" + std::to_string(m_config.listenPort);

    auto backend = net::defaultBackend();
    if (!m_config.backend.empty()) {
        const auto parsed = net::parseBackend(m_config.backend);
        if (!parsed || !net::isAvailable(*parsed))
            throw StartError("the I/O backend '" + m_config.backend + "' is not available here");
        backend = *parsed;
    }
    const auto address = net::InetAddress::parse(m_config.listenHost, m_config.listenPort);
    if (!address) throw StartError("'" + m_config.listenHost + "' is not an IP address to listen on");
    std::shared_ptr<const net::TlsContext> tls;
    m_fingerprint.clear();
    if (m_config.tls.enabled) {
        net::TlsServerSettings settings;
        settings.certificateFile = m_config.tls.certificateFile;
        settings.keyFile = m_config.tls.keyFile;
        settings.minimum = m_config.tls.allowTls12 ? net::TlsMinimum::Tls12 : net::TlsMinimum::Tls13;
        try {
            tls = net::TlsContext::server(settings);
        } catch (const net::TlsError& error) {
            throw StartError(std::string("TLS: ") + error.what());
        }
        m_fingerprint = tls->fingerprint();
    }

    if (m_cluster && m_config.database.rfind("sqlite:", 0) == 0)
        throw StartError("a cluster needs a database every node shares: MariaDB/MySQL or SQL Server over ODBC, not " +
                         db::redactConnectionString(m_config.database));

    m_store = std::make_unique<db::StorePool>(m_config.database, std::max(1u, m_config.dbWorkers));
    const db::Result opened = m_store->start();
    if (!opened.ok())
        throw StartError("cannot open the database " + db::redactConnectionString(m_config.database) + ": " +
                         opened.error);

    // After the first pool, which migrated the schema.
    db::OpenOptions hashOptions;
    hashOptions.migrate = false;
    m_hashPool = std::make_unique<db::StorePool>(m_config.database, std::max(1u, m_config.hashWorkers), hashOptions,
                                                 m_config.limits.hashQueue);
    if (const db::Result hashOpened = m_hashPool->start(); !hashOpened.ok())
        throw StartError("cannot open the database " + db::redactConnectionString(m_config.database) + ": " +
                         hashOpened.error);

    const db::PasswordHasher hasher(m_config.passwordIterations);
    auto dummy = hasher.hash("parley: no such user");
    if (!dummy.ok()) throw StartError("password hashing does not work: " + dummy.error);
    m_core = std::make_unique<ServerCore>(m_config, observer, *m_store, *m_hashPool, dummy.value, m_clock);

    auto users = runOnStore<db::ValueResult<std::vector<db::UserSummary>>>(
        *m_store, [](db::Store& store) { return store.listUsers(); });
    if (!users.ok()) throw StartError("cannot read the users: " + users.error);
    for (const auto& user : users.value) m_core->users.put({user.id, user.username, user.displayName});
    // No transfer survives a restart: their connections are gone (protocol 9.8
    // rule 13). Before listening, so no new offer races with this.
    const auto interrupted = runOnStore<db::ValueResult<std::uint64_t>>(
        *m_store, [](db::Store& store) { return store.interruptUnfinishedTransfers(); });
    if (!interrupted.ok())
        observer.onLog(LogLevel::Error, "cannot mark unfinished file transfers interrupted: " + interrupted.error);
    else if (interrupted.value != 0)
        observer.onLog(LogLevel::Info,
                       std::to_string(interrupted.value) + " file transfers cut by the restart are marked interrupted");

    // Expired login tokens are of no use; one sweep per start keeps the table small.
    const auto purged = runOnStore<db::ValueResult<std::uint64_t>>(*m_store, [this](db::Store& store) {
        return store.purgeExpiredLoginTokens(static_cast<std::int64_t>(m_clock.wallMs()));
    });
    if (!purged.ok()) observer.onLog(LogLevel::Warn, "cannot purge expired login tokens: " + purged.error);

    const unsigned ioThreads = m_config.threads != 0 ? m_config.threads : defaultIoThreads();
    m_pool = std::make_unique<net::LoopPool>(ioThreads, backend, platformLogger(observer));
    m_pool->start();
    for (std::size_t i = 0; i < m_pool->size(); ++i) {
        net::Reactor& loop = m_pool->at(i);
        // Before the first connection: a loop's state reads the engine's clock.
        loop.runInLoopAndWait([&loop, &core = *m_core] { SessionLoop::install(loop, core.clock, core.freeMemory); });
        m_core->ioLoops.push_back(&loop);
    }
    if (m_cluster) joinCluster();
    m_acceptThread = std::make_unique<net::LoopThread>(backend, platformLogger(observer));
    net::Reactor& acceptLoop = m_acceptThread->start();
    try {
        m_tcp = std::make_unique<net::TcpServer>(acceptLoop, *address, m_pool.get());
    } catch (const std::system_error& error) {
        const bool busy = error.code() == std::errc::address_in_use;
        throw StartError(busy ? "port " + std::to_string(m_config.listenPort) + " on " + m_config.listenHost +
                                    " is already in use"
                              : "cannot listen on " + where + ": " + error.what());
    }

    ServerCore& core = *m_core;
    net::ConnectionCallbacks callbacks;
    callbacks.onConnection = [&core, tls](const net::TcpConnectionPtr& connection) {
        ServerStats::add(core.stats.connectionsTotal);
        const std::string peer = connection->peerAddress().ip();
        if (!core.connections.tryAcquire(peer, core.config.limits.connectionsPerAddress)) {
            const auto bytes = proto::encode(proto::Header{}, proto::Error{proto::ErrorCode::TooManyConnections, 0,
                                                                           "too many connections from " + peer});
            const std::string refusal(reinterpret_cast<const char*>(bytes.data()), bytes.size());
            // Over TLS the refusal can go only once the handshake is done (its deadline
            // bounds the wait).
            const std::weak_ptr<net::TcpConnection> weak = connection;
            const auto refuse = [weak, refusal] {
                if (const auto c = weak.lock()) {
                    c->send(refusal);
                    c->close();
                }
            };
            if (tls) admitTls(core, tls, connection, refuse);
            else refuse();
            return;
        }
        ServerStats::add(core.stats.connectionsOpen);
        if (tls) admitTls(core, tls, connection, {});
        auto session = std::make_shared<Session>(core, connection);
        connection->context() = session;
        session->start();
    };
    callbacks.onMessage = [](const net::TcpConnectionPtr& connection, net::Buffer& input) {
        if (const SessionPtr session = sessionOf(connection)) session->onMessage(input);
        else input.retrieveAll();
    };
    callbacks.onClose = [](const net::TcpConnectionPtr& connection) {
        if (const SessionPtr session = sessionOf(connection)) session->onClose();
    };
    callbacks.onHighWaterMark = [](const net::TcpConnectionPtr& connection, std::size_t) {
        if (const SessionPtr session = sessionOf(connection)) session->onCongestion(true);
    };
    callbacks.onLowWaterMark = [](const net::TcpConnectionPtr& connection, std::size_t) {
        if (const SessionPtr session = sessionOf(connection)) {
            session->onCongestion(false);
            session->onOutputDrained();
        }
    };
    callbacks.onWriteComplete = [](const net::TcpConnectionPtr& connection) {
        if (const SessionPtr session = sessionOf(connection)) session->onOutputDrained();
    };
    m_tcp->setCallbacks(std::move(callbacks));
    m_tcp->setConnectionOptions(preLoginConnectionOptions(m_config.limits));
    m_tcp->start();
    m_running = true;
    if (tls)
        observer.onLog(LogLevel::Info, std::string("TLS ") + (m_config.tls.allowTls12 ? "1.2 and 1.3" : "1.3") +
                                           " with the certificate " + m_config.tls.certificateFile +
                                           ", SHA-256 fingerprint " + m_fingerprint);
    else
        observer.onLog(LogLevel::Warn,
                       "TLS is off (--plaintext): passwords, messages and files cross the "
                       "network in clear");
    observer.onLog(LogLevel::Info, "listening on " + m_config.listenHost + ":" + std::to_string(m_tcp->port()) + " (" +
                                       std::string(net::toString(backend)) + ", " + std::to_string(m_pool->size()) +
                                       (m_pool->size() == 1 ? " I/O thread" : " I/O threads") + "), database " +
                                       db::redactConnectionString(m_config.database) + ", " +
                                       std::to_string(core.users.size()) + " users");
}

void Server::joinCluster() {
    // After the loops exist (what arrives is posted to them), before the listener (a login
    // here claims with this node's name).
    m_clusterPort = std::make_unique<ClusterPort>(*m_core);
    m_core->remote = m_cluster(*m_clusterPort);
    const std::string node = m_core->remote->nodeName();
    // Whoever this node's previous run left claimed is logged in nowhere now.
    const auto cleared = runOnStore<db::ValueResult<std::uint64_t>>(
        *m_store, [&node](db::Store& store) { return store.clearNode(node); });
    if (!cleared.ok()) throw StartError("cannot clear the logins of node " + node + ": " + cleared.error);
    if (cleared.value != 0)
        m_observer->onLog(LogLevel::Info, std::to_string(cleared.value) + " logins left by node " + node +
                                              "'s previous run are cleared");
}

std::vector<ClusterMemberView> Server::clusterMembers() const {
    if (!m_core || !m_running) return {};
    return m_core->remote->members();
}

void Server::stop() {
    const bool wasRunning = m_running.exchange(false);
    // Nothing from other nodes reaches sessions or loops that are about to go.
    if (m_core) m_core->remote->stopReceiving();
    if (m_core && wasRunning) {
        // Before the connections are force-closed: each kick runs on its loop
        // now, and its KICKED frame is written at the end of that iteration,
        // ahead of the force-close that m_tcp->stop() posts afterwards.
        m_core->delivery.forEachOnline([](proto::UserId, const SessionPtr& session) {
            session->loop().runInLoopAndWait(
                [&session] { session->kick(proto::KickReason::ServerShutdown, "the server is shutting down"); });
        });
    }
    if (m_tcp) m_tcp->stop();
    // Loops first: closing connections hands their in-flight messages to the
    // store; then the store finishes every queued job; the core goes last
    // because store jobs refer to it.
    if (m_pool) m_pool->stop();
    if (m_acceptThread) m_acceptThread->stop();
    if (m_hashPool) m_hashPool->stop();
    if (m_store) m_store->stop();
    m_tcp.reset();
    m_acceptThread.reset();
    m_pool.reset();
    m_core.reset();  // the cluster's RemoteUsers last: store jobs above still told other nodes
    m_clusterPort.reset();
    m_hashPool.reset();
    m_store.reset();
    if (wasRunning) m_observer->onLog(LogLevel::Info, "stopped");
}

std::string Server::certificateFingerprint() const { return m_running ? m_fingerprint : std::string(); }

std::uint16_t Server::port() const { return m_tcp && m_running ? m_tcp->port() : 0; }

StatsSnapshot Server::stats() const {
    if (!m_core) return {};
    StatsSnapshot snapshot = m_core->stats.snapshot();
    snapshot.usersOnline = m_core->delivery.onlineCount();
    return snapshot;
}

std::vector<OnlineUser> Server::onlineUsers() const {
    std::vector<OnlineUser> users;
    if (!m_core) return users;
    m_core->delivery.forEachOnline([&](proto::UserId id, const SessionPtr&) {
        const auto entry = m_core->users.find(id);
        users.push_back({id, entry ? entry->username : std::string(), entry ? entry->displayName : std::string()});
    });
    return users;
}

void Server::snapshotSessions(std::function<void(std::vector<OnlineSession>)> done) const {
    std::map<net::Reactor*, std::vector<SessionPtr>> byLoop;
    if (m_core && m_running) {
        m_core->delivery.forEachOnline(
            [&byLoop](proto::UserId, const SessionPtr& session) { byLoop[&session->loop()].push_back(session); });
    }
    if (byLoop.empty()) {
        done({});
        return;
    }
    // One job per loop; the last one to finish hands the rows over.
    struct Gather {
        std::mutex mutex;
        std::vector<OnlineSession> rows;
        std::size_t loopsLeft = 0;
        std::function<void(std::vector<OnlineSession>)> done;
    };
    auto gather = std::make_shared<Gather>();
    gather->loopsLeft = byLoop.size();
    gather->done = std::move(done);
    // Valid in the jobs: the loops stop before the core goes.
    const UserDirectory* users = &m_core->users;
    for (auto& [loop, sessions] : byLoop) {
        loop->runInLoop([gather, users, sessions = std::move(sessions)] {
            std::vector<OnlineSession> rows;
            rows.reserve(sessions.size());
            for (const SessionPtr& session : sessions) {
                if (session->state() != Session::State::Authenticated) continue;
                const auto entry = users->find(session->userId());
                rows.push_back({session->userId(), entry ? entry->username : std::string(),
                                entry ? entry->displayName : std::string(), session->address(),
                                session->connectedAtMs(), session->traffic()});
            }
            std::unique_lock<std::mutex> lock(gather->mutex);
            gather->rows.insert(gather->rows.end(), std::make_move_iterator(rows.begin()),
                                std::make_move_iterator(rows.end()));
            if (--gather->loopsLeft != 0) return;
            auto all = std::move(gather->rows);
            lock.unlock();
            gather->done(std::move(all));
        });
    }
}

std::vector<Server::TransferRow> Server::transfers() const {
    std::vector<TransferRow> rows;
    if (!m_core) return rows;
    for (TransferInfo& info : m_core->transferLog.snapshot(m_core->clock.wallMs())) {
        const auto sender = m_core->users.find(info.sender);
        const auto receiver = m_core->users.find(info.receiver);
        rows.push_back({std::move(info), sender ? sender->username : std::string(),
                        receiver ? receiver->username : std::string()});
    }
    return rows;
}

bool Server::abortTransfer(proto::UserId sender, proto::TransferId id, const std::string& reason) {
    return m_core && m_running && Session::abortTransfer(*m_core, sender, id, reason);
}

bool Server::kick(proto::UserId user, const std::string& reason) {
    if (!m_core) return false;
    const SessionPtr session = m_core->delivery.online(user);
    if (!session) return m_core->remote->kick(user, reason);  // logged in on another node
    session->post([reason](Session& s) { s.kick(proto::KickReason::Operator, reason); });
    return true;
}

}  // namespace parley::server
