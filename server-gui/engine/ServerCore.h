#pragma once
// The state every session shares: configuration, the user directory, the
// delivery table, the store workers, the limiters and the counters. Owned by
// Server; sessions hold a reference, valid until every loop and store worker
// has stopped.

#include "db/PasswordHasher.h"
#include "db/StorePool.h"
#include "server-gui/engine/AddressCounter.h"
#include "server-gui/engine/DeliveryTable.h"
#include "server-gui/engine/FileRelay.h"
#include "server-gui/engine/LoginThrottle.h"
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
    ServerCore(const ServerConfig& cfg, ServerObserver& obs, db::StorePool& pool,
               db::PasswordRecord dummy)
        : config(cfg),
          observer(obs),
          store(pool),
          hasher(cfg.passwordIterations),
          loginThrottle(cfg.limits.loginFailuresBeforeThrottle, cfg.limits.loginThrottleFirstSeconds,
                        cfg.limits.loginThrottleMaxSeconds),
          registrations(cfg.limits.registrationsPerAddressPerHour, 3'600'000),
          dummyPassword(std::move(dummy)) {}

    ServerCore(const ServerCore&) = delete;
    ServerCore& operator=(const ServerCore&) = delete;

    void log(LogLevel level, const std::string& line) const { observer.onLog(level, line); }

    const ServerConfig config;
    ServerObserver& observer;
    db::StorePool& store;
    const db::PasswordHasher hasher;
    UserDirectory users;
    DeliveryTable<SessionPtr> delivery;
    LoginThrottle loginThrottle;
    WindowLimiter registrations;
    AddressCounter connections;
    ServerStats stats;
    /// File transfers in progress (after `stats`, which it counts into).
    FileRelay transfers{stats};
    /// What the operator sees of transfers, also for an hour after they end.
    TransferLog transferLog;
    /// The I/O loops that serve sessions (presence goes to each): set by
    /// Server before it accepts, read-only afterwards.
    std::vector<net::Reactor*> ioLoops;
    /// Verified against when a login names an unknown user, so that unknown
    /// users and wrong passwords take the same time and get the same answer.
    const db::PasswordRecord dummyPassword;
};

}  // namespace parley::server
