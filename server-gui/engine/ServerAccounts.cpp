// Server: the operator's account commands (All users tab, and any other host).
#include "db/StorePool.h"
#include "server-gui/engine/Server.h"
#include "server-gui/engine/ServerCore.h"
#include "server-gui/engine/Session.h"
#include "server-gui/engine/Validation.h"

namespace parley::server {
namespace {

const db::Result kNotRunning{db::Status::Unavailable, "the server is not running"};

/// A new password or a disabled account ends every "remember me" of it.
db::Result revokeTokensToo(ServerCore& core, db::Store& store, proto::UserId user, db::Result done) {
    if (!done.ok()) return done;
    const auto revoked = store.revokeLoginTokens(user);
    if (!revoked.ok()) return revoked.result();
    if (revoked.value != 0)
        core.log(LogLevel::Info,
                 "revoked " + std::to_string(revoked.value) + " login tokens of user id " + std::to_string(user));
    return done;
}

void kickOnline(ServerCore& core, proto::UserId user, const char* why) {
    if (const SessionPtr session = core.delivery.online(user)) {
        session->post([why](Session& s) { s.kick(proto::KickReason::Operator, why); });
    } else {
        core.remote->kick(user, why);  // logged in on another node of the cluster, if anywhere
    }
}

}  // namespace

void Server::listAccounts(AccountsDone done) const {
    const bool queued = m_store && m_running && m_store->submit([done](db::Store& store) { done(store.listUsers()); });
    if (!queued) done(db::ValueResult<std::vector<db::UserSummary>>(kNotRunning));
}

void Server::setAccountDisabled(proto::UserId user, bool disabled, AccountDone done) {
    ServerCore* core = m_core.get();  // valid in store jobs: the core goes after the store stops
    const bool queued = core && m_running && m_store->submit([core, user, disabled, done](db::Store& store) {
        db::Result result = store.setUserDisabled(user, disabled);
        if (disabled) result = revokeTokensToo(*core, store, user, result);
        if (result.ok()) {
            core->log(LogLevel::Info, std::string(disabled ? "disabled" : "enabled") + " the account of user id " +
                                          std::to_string(user));
            if (disabled) kickOnline(*core, user, "your account was disabled by the operator");
        }
        done(result);
    });
    if (!queued) done(kNotRunning);
}

void Server::resetPassword(proto::UserId user, std::string password, AccountDone done) {
    if (!isValidPassword(password)) {
        done(db::Result{db::Status::Error, "a password has 8 to 1024 bytes"});
        return;
    }
    ServerCore* core = m_core.get();
    // On the hashing pool, like LOGIN and REGISTER: a hash never delays message storage.
    const bool queued =
        core && m_running && m_hashPool->submit([core, user, password = std::move(password), done](db::Store& store) {
            auto hashed = core->hasher.hash(password);
            const db::Result result = revokeTokensToo(
                *core, store, user, hashed.ok() ? store.setPassword(user, hashed.value) : hashed.result());
            if (result.ok()) core->log(LogLevel::Info, "reset the password of user id " + std::to_string(user));
            done(result);
        });
    if (!queued) done(kNotRunning);
}

void Server::revokeSessions(proto::UserId user, AccountDone done) {
    ServerCore* core = m_core.get();
    const bool queued = core && m_running && m_store->submit([core, user, done](db::Store& store) {
        const db::Result result = revokeTokensToo(*core, store, user, db::Result{});
        if (result.ok()) kickOnline(*core, user, "the operator ended your sessions; log in again");
        done(result);
    });
    if (!queued) done(kNotRunning);
}

}  // namespace parley::server
