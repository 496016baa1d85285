#pragma once
// The state every session shares: configuration, the user directory, the
// delivery table, the store workers, the limiters and the counters. Owned by
// Server; sessions hold a reference, valid until every loop and store worker
// has stopped.

#include "db/PasswordHasher.h"
#include "db/StorePool.h"
#include "server-gui/engine/AddressCounter.h"
#include "server-gui/engine/Clock.h"
#include "server-gui/engine/DeliveryTable.h"
#include "server-gui/engine/FileRelay.h"
#include "server-gui/engine/InputBudget.h"
#include "server-gui/engine/LogLimiter.h"
#include "server-gui/engine/LoginThrottle.h"
#include "server-gui/engine/LoginTimes.h"
#include "server-gui/engine/MemoryRelease.h"
#include "server-gui/engine/RemoteUsers.h"
#include "server-gui/engine/ServerConfig.h"
#include "server-gui/engine/ServerObserver.h"
#include "server-gui/engine/ServerStats.h"
#include "server-gui/engine/TransferLog.h"
#include "server-gui/engine/UserDirectory.h"
#include "server-gui/engine/WindowLimiter.h"

#include <memory>
#include <string>
#include <vector>

namespace parley::net {
class Reactor;
}

namespace parley::server {

class Session;
using SessionPtr = std::shared_ptr<Session>;

struct ServerCore {
    ServerCore(const ServerConfig& cfg, ServerObserver& obs, db::StorePool& pool, db::StorePool& hashPool,
               db::PasswordRecord dummy, const Clock& clk)
        : config(cfg),
          clock(clk),
          freeMemory(clk),
          observer(obs),
          store(pool),
          hashing(hashPool),
          hasher(cfg.passwordIterations),
          loginThrottle(cfg.limits.login),
          registrations(cfg.limits.registrationsPerAddressPerHour, 3'600'000),
          logLimiter(cfg.limits.logLinesPerCause, cfg.limits.logCauseWindowMs),
          preLoginInput(cfg.limits.preLoginInputBudget),
          dummyPassword(std::move(dummy)) {}

    ServerCore(const ServerCore&) = delete;
    ServerCore& operator=(const ServerCore&) = delete;

    void log(LogLevel level, const std::string& line) const { observer.onLog(level, line); }
    /// A line that peers can cause over and over, limited per `cause` (a fixed
    /// literal: LogLimiter). Fields a peer chose go through text::printable().
    void logPeerCaused(const char* cause, LogLevel level, const std::string& line) {
        std::uint64_t suppressed = 0;
        if (!logLimiter.admit(cause, clock.steadyMs(), &suppressed)) return;
        if (suppressed != 0)
            observer.onLog(level, std::to_string(suppressed) + " similar lines suppressed (" + cause + ")");
        observer.onLog(level, line);
    }

    const ServerConfig config;
    /// Every time reading of the engine (Clock.h).
    const Clock& clock;
    /// The process's one malloc_trim (every loop asks it; MemoryRelease.h).
    FreeMemory freeMemory;
    ServerObserver& observer;
    db::StorePool& store;
    /// LOGIN and REGISTER jobs (the hash and its user row): few workers, a
    /// bounded queue (Limits::hashQueue).
    db::StorePool& hashing;
    const db::PasswordHasher hasher;
    UserDirectory users;
    DeliveryTable<SessionPtr> delivery;
    LoginThrottle loginThrottle;
    LoginTimes loginTimes;  ///< "last login" writes, batched
    WindowLimiter registrations;
    LogLimiter logLimiter;
    AddressCounter connections;
    /// Partial-frame bytes held by unauthenticated connections, all loops.
    InputBudget preLoginInput;
    ServerStats stats;
    /// File transfers in progress (after `stats`, which it counts into).
    FileRelay transfers{stats};
    /// What the operator sees of transfers, also for an hour after they end.
    TransferLog transferLog;
    /// Users on other nodes of a cluster; a single server's says "nobody is elsewhere".
    /// Replaced by Server before it accepts (a cluster), read-only afterwards.
    std::unique_ptr<RemoteUsers> remote = std::make_unique<LocalOnlyRemoteUsers>();
    /// The I/O loops that serve sessions (presence goes to each): set by
    /// Server before it accepts, read-only afterwards.
    std::vector<net::Reactor*> ioLoops;
    /// Verified against when a login names an unknown user, so that unknown
    /// users and wrong passwords take the same time and get the same answer.
    const db::PasswordRecord dummyPassword;
};

}  // namespace parley::server
