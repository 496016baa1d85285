// Session: login tokens ("remember me"). A token LOGIN is a SHA-256 and a lookup on a
// store worker, never PBKDF2: that is what lets 10,000 clients back in quickly after a
// server restart. The LoginThrottle makes it wait as a password would, but counts it
// only when it is refused (a token cannot be guessed; a restart's logins all arrive at once).
#include "server-gui/engine/Session.h"

#include "db/LoginToken.h"
#include "db/Store.h"
#include "db/StorePool.h"
#include "server-gui/engine/LoginVerdict.h"
#include "server-gui/engine/ServerCore.h"
#include "server-gui/engine/Validation.h"
#include "shared/text/Printable.h"

namespace parley::server {

using proto::AuthStatus;

namespace {

constexpr std::uint64_t kMsPerDay = 24ULL * 3'600'000ULL;

}  // namespace

std::optional<IssuedLoginToken> Session::issueLoginToken(ServerCore& core, db::Store& store, proto::UserId user) {
    if (core.config.tokenLifetimeDays == 0) return std::nullopt;  // tokens are off
    auto made = db::makeLoginToken();
    if (!made.ok()) {
        core.log(LogLevel::Warn, "cannot make a login token: " + made.error);
        return std::nullopt;
    }
    const std::uint64_t now = core.clock.wallMs();
    const std::uint64_t expires = now + core.config.tokenLifetimeDays * kMsPerDay;
    const db::Result saved = store.saveLoginToken({made.value.hash, user, static_cast<std::int64_t>(now),
                                                   static_cast<std::int64_t>(expires), static_cast<std::int64_t>(now)});
    if (!saved.ok()) {
        // The login still succeeds, only without "remember me".
        core.log(LogLevel::Warn, "cannot save a login token of user id " + std::to_string(user) + ": " + saved.error);
        return std::nullopt;
    }
    return IssuedLoginToken{{std::move(made.value.text), expires}, std::move(made.value.hash)};
}

void Session::handleTokenLogin(const proto::Login& request, proto::MessageId requestId) {
    const auto reply = [this, requestId](AuthStatus status, std::uint32_t retryAfter, const std::string& text) {
        sendBody(proto::kServerId, requestId, proto::LoginResult{status, 0, retryAfter, {}, text});
    };
    const std::string account = usernameKey(request.username);
    const std::uint32_t wait = m_core.loginThrottle.waitBeforeToken(account, address(), steadyNowMs());
    if (wait > 0) {
        reply(AuthStatus::Throttled, wait, "too many failed logins; try again in " + std::to_string(wait) + " s");
        return;
    }
    if (m_core.config.tokenLifetimeDays == 0 || !db::looksLikeLoginToken(request.password)) {
        const LoginVerdict verdict = judgeTokenLogin(db::Status::NotFound, db::TokenCheck::Invalid, false);
        applyThrottleStep(verdict.throttle, request.username);
        ServerStats::add(m_core.stats.loginsFailed);
        reply(verdict.status, 0,
              m_core.config.tokenLifetimeDays == 0
                  ? "this server does not accept login tokens; log in with your password"
                  : verdict.text);
        return;
    }
    ServerCore& core = m_core;
    db::Bytes hash = db::hashLoginToken(request.password);
    const bool queued = core.store.submit([&core, self = shared_from_this(), username = request.username,
                                           hash = std::move(hash), requestId](db::Store& store) mutable {
        auto found = store.findUserByName(username);
        db::ValueResult<db::TokenCheck> check(db::TokenCheck::Invalid);
        if (found.ok()) {
            check = store.useLoginToken(found.value.id, hash, static_cast<std::int64_t>(core.clock.wallMs()));
        } else {
            found.value.username = username;
        }
        const db::Status status = !found.ok() ? found.status : check.status;
        const std::string error = !found.ok() ? found.error : check.error;
        HomeClaim claim;
        if (status == db::Status::Ok && check.value == db::TokenCheck::Valid && !found.value.disabled)
            claim = claimHome(core, store, found.value.id);
        self->post([status, check = check.value, user = found.value, hash = std::move(hash), requestId, error,
                    claim = std::move(claim)](Session& s) mutable {
            s.tokenLoginFinished(status, check, user, std::move(hash), requestId, error, claim);
        });
    });
    if (!queued) {
        reply(AuthStatus::ServerError, 0, "the server's database is unavailable; try again later");
        return;
    }
    m_state = State::Authenticating;
    m_connection->stopReading();
}

void Session::tokenLoginFinished(db::Status status, db::TokenCheck check, const db::User& user, db::Bytes hash,
                                 proto::MessageId requestId, const std::string& error, const HomeClaim& claim) {
    if (m_state != State::Authenticating) return;  // closed meanwhile
    m_state = State::Unauthenticated;
    m_connection->startReading();
    if (!refuseUnclaimed(claim, requestId)) return;
    const LoginVerdict verdict = judgeTokenLogin(status, check, user.disabled);
    applyThrottleStep(verdict.throttle, user.username);
    if (verdict.status == AuthStatus::Ok) {
        m_tokenHash = std::move(hash);
        completeLogin(user, requestId, claim.generation);
        return;
    }
    if (verdict.failedGuess) {
        ServerStats::add(m_core.stats.loginsFailed);
        m_core.logPeerCaused("failed logins", LogLevel::Info,
                             "invalid login token for '" + text::printable(user.username) + "' from " + address());
    }
    if (verdict.storeError) m_core.log(LogLevel::Error, "token login failed: " + error);
    sendBody(proto::kServerId, requestId, proto::LoginResult{verdict.status, 0, 0, {}, verdict.text});
}

void Session::revokeOwnToken() {
    if (m_tokenHash.empty() || m_userId == 0) return;
    ServerCore& core = m_core;
    core.store.submit([&core, user = m_userId, hash = std::move(m_tokenHash)](db::Store& store) {
        const auto revoked = store.revokeLoginToken(user, hash);
        if (!revoked.ok())
            core.log(LogLevel::Warn,
                     "cannot revoke the login token of user id " + std::to_string(user) + ": " + revoked.error);
    });
    m_tokenHash.clear();
}

}  // namespace parley::server
