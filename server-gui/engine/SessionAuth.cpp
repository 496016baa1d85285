// Session: register, login, contacts and presence.
#include "server-gui/engine/Session.h"

#include "server-gui/engine/ConnectionBounds.h"
#include "server-gui/engine/LoginVerdict.h"
#include "server-gui/engine/PresenceBroadcast.h"
#include "server-gui/engine/ServerCore.h"
#include "server-gui/engine/SessionLoop.h"
#include "server-gui/engine/Validation.h"
#include "shared/proto/Codec.h"
#include "shared/text/Printable.h"

#include <algorithm>

namespace parley::server {

using proto::AuthStatus;

namespace {

const char* const kBusyText = "the server is busy checking passwords; try again in a moment";
/// Seconds a LOGIN refused for a full hashing queue is told to wait.
constexpr std::uint32_t kBusyRetrySeconds = 1;

}  // namespace

void Session::handleRegister(const proto::Register& request, proto::MessageId requestId) {
    const auto reply = [this, requestId](AuthStatus status, const std::string& text) {
        sendBody(proto::kServerId, requestId, proto::RegisterResult{status, 0, text});
    };
    if (m_state != State::Unauthenticated) {
        reply(AuthStatus::AlreadyAuthenticated, "this connection is already logged in");
        return;
    }
    const AuthStatus rules = checkRegistration(request);
    if (rules != AuthStatus::Ok) {
        reply(rules, registrationRuleText(rules));
        return;
    }
    if (!m_core.registrations.tryAcquire(address(), steadyNowMs())) {
        reply(AuthStatus::RegistrationLimited, "too many registrations from your address; try again later");
        return;
    }

    // Hashing is deliberately slow: it runs on a hashing worker (never one that
    // stores messages), and this connection reads nothing more until the
    // answer is back (keeps order).
    ServerCore& core = m_core;
    const bool queued = core.hashing.submit([&core, self = shared_from_this(), request, requestId](db::Store& store) {
        auto hashed = core.hasher.hash(request.password);
        db::ValueResult<db::UserId> created =
            hashed.ok() ? store.createUser({request.username, request.displayName, hashed.value})
                        : db::ValueResult<db::UserId>(hashed.result());
        self->post([status = created.status, id = created.value, request, requestId,
                    error = created.error](Session& s) { s.registerFinished(status, id, request, requestId, error); });
    });
    if (!queued) {
        ServerStats::add(m_core.stats.hashQueueFull);
        reply(AuthStatus::Throttled, kBusyText);
        return;
    }
    m_state = State::Authenticating;
    m_connection->stopReading();
}

void Session::registerFinished(db::Status status, proto::UserId id, const proto::Register& request,
                               proto::MessageId requestId, const std::string& error) {
    if (m_state != State::Authenticating) return;  // closed meanwhile
    m_state = State::Unauthenticated;
    m_connection->startReading();
    const proto::RegisterResult result = judgeRegistration(status, id, request.username);
    if (status == db::Status::Ok) {
        ServerStats::add(m_core.stats.registrations);
        m_core.users.put({id, request.username, request.displayName});
        m_core.log(LogLevel::Info, "registered " + text::printable(request.username) + " (id " + std::to_string(id) +
                                       ") from " + address());
    } else if (status != db::Status::Conflict) {
        m_core.log(LogLevel::Error, "register failed: " + error);
    }
    sendBody(proto::kServerId, requestId, result);
    if (status == db::Status::Ok) {
        // Everyone online learns about the new account (offline for now), on every node.
        const proto::Presence added{{id, proto::PresenceState::Offline, request.username, request.displayName}};
        fanOutPresence(m_core, added, false);
        m_core.remote->accountAdded(added);
    }
}

void Session::handleLogin(const proto::Login& request, proto::MessageId requestId) {
    const auto reply = [this, requestId](AuthStatus status, std::uint32_t retryAfter, const std::string& text) {
        sendBody(proto::kServerId, requestId, proto::LoginResult{status, 0, retryAfter, {}, text});
    };
    if (m_state != State::Unauthenticated) {
        reply(AuthStatus::AlreadyAuthenticated, 0, "this connection is already logged in");
        return;
    }
    // The connection reads nothing more until this LOGIN is answered, so these hold for it.
    m_keepsContacts = request.contactsVersion.has_value();
    m_clientContactsVersion = request.contactsVersion.value_or(0);
    if (request.mode == proto::LoginMode::Token) {
        handleTokenLogin(request, requestId);
        return;
    }
    // Counted as a failure before the hash is computed: parallel guesses count too.
    const std::string account = usernameKey(request.username);
    const std::uint32_t wait = m_core.loginThrottle.begin(account, address(), steadyNowMs());
    if (wait > 0) {
        reply(AuthStatus::Throttled, wait, "too many failed logins; try again in " + std::to_string(wait) + " s");
        return;
    }

    ServerCore& core = m_core;
    const bool queued = core.hashing.submit([&core, self = shared_from_this(), request, requestId](db::Store& store) {
        auto found = store.findUserByName(request.username);
        bool passwordOk = false;
        if (found.ok()) {
            passwordOk = core.hasher.verify(request.password, found.value.password);
        } else if (found.status == db::Status::NotFound) {
            // Same work, same answer as a wrong password: no user enumeration.
            core.hasher.verify(request.password, core.dummyPassword);
            found.value.username = request.username;
        }
        std::optional<IssuedLoginToken> issued;
        HomeClaim claim;
        if (passwordOk && !found.value.disabled) {
            claim = claimHome(core, store, found.value.id);
            if (claim.ok && request.mode == proto::LoginMode::PasswordAndToken)
                issued = issueLoginToken(core, store, found.value.id);
        }
        self->post([status = found.status, passwordOk, user = found.value, requestId, error = found.error,
                    issued = std::move(issued), claim = std::move(claim)](Session& s) {
            s.loginFinished(status, passwordOk, user, requestId, error, issued, claim);
        });
    });
    if (!queued) {
        m_core.loginThrottle.cancelled(account, address());
        ServerStats::add(m_core.stats.hashQueueFull);
        reply(AuthStatus::Throttled, kBusyRetrySeconds, kBusyText);
        return;
    }
    m_state = State::Authenticating;
    m_connection->stopReading();
}

void Session::loginFinished(db::Status status, bool passwordOk, const db::User& user, proto::MessageId requestId,
                            const std::string& error, std::optional<IssuedLoginToken> issued, const HomeClaim& claim) {
    if (m_state != State::Authenticating) return;
    m_state = State::Unauthenticated;
    m_connection->startReading();
    if (!refuseUnclaimed(claim, requestId)) {
        applyThrottleStep(ThrottleStep::Cancelled, user.username);  // the password was right
        return;
    }
    const LoginVerdict verdict = judgePasswordLogin(status, passwordOk, user.disabled);
    applyThrottleStep(verdict.throttle, user.username);
    if (verdict.status == AuthStatus::Ok) {
        std::optional<proto::IssuedToken> token;
        if (issued) {
            m_tokenHash = std::move(issued->hash);
            token = std::move(issued->wire);
        }
        completeLogin(user, requestId, claim.generation, std::move(token));
        return;
    }
    if (verdict.status == AuthStatus::AccountDisabled)
        m_core.log(LogLevel::Info,
                   "refused login of disabled account '" + text::printable(user.username) + "' from " + address());
    if (verdict.failedGuess) {
        ServerStats::add(m_core.stats.loginsFailed);
        m_core.logPeerCaused("failed logins", LogLevel::Info,
                             "failed login for '" + text::printable(user.username) + "' from " + address());
    }
    if (verdict.storeError) m_core.log(LogLevel::Error, "login failed: " + error);
    sendBody(proto::kServerId, requestId, proto::LoginResult{verdict.status, 0, 0, {}, verdict.text});
}

void Session::applyThrottleStep(ThrottleStep step, const std::string& username) {
    const std::string account = usernameKey(username);
    switch (step) {
    case ThrottleStep::Succeeded: m_core.loginThrottle.succeeded(account, address()); break;
    case ThrottleStep::Cancelled: m_core.loginThrottle.cancelled(account, address()); break;
    case ThrottleStep::TokenAccepted: m_core.loginThrottle.tokenAccepted(account, address()); break;
    case ThrottleStep::TokenRefused: m_core.loginThrottle.tokenRefused(account, address(), steadyNowMs()); break;
    case ThrottleStep::None: break;
    }
}

Session::HomeClaim Session::claimHome(ServerCore& core, db::Store& store, proto::UserId user) {
    if (!core.remote->clustered()) return {};
    const auto claimed = store.claimHome(user, core.remote->nodeName());
    if (!claimed.ok()) return {false, 0, claimed.error};
    return {true, claimed.value, {}};
}

bool Session::refuseUnclaimed(const HomeClaim& claim, proto::MessageId requestId) {
    if (claim.ok) return true;
    m_core.log(LogLevel::Error, "a login failed: cannot record where the user is logged in: " + claim.error);
    sendBody(
        proto::kServerId, requestId,
        proto::LoginResult{AuthStatus::ServerError, 0, 0, {}, "the server's database is unavailable; try again later"});
    return false;
}

void Session::completeLogin(const db::User& user, proto::MessageId requestId, std::uint64_t generation,
                            std::optional<proto::IssuedToken> token) {
    m_userId = user.id;
    m_generation = generation;
    m_state = State::Authenticated;
    m_core.preLoginInput.resize(m_preLoginInputHeld, 0);
    m_connection->setOutputBounds(loggedInOutputBounds(m_core.config.limits));
    ServerStats::add(m_core.stats.loginsOk);
    SessionLoop::of(loop()).noteLogin();
    m_core.users.put({user.id, user.username, user.displayName});

    const SessionPtr self = shared_from_this();
    const SessionPtr previous = m_core.delivery.attach(m_userId, self);
    if (previous) {
        previous->post([address = address()](Session& old) {
            old.kick(proto::KickReason::LoggedInElsewhere, "you logged in again from " + address);
        });
    }
    sendBody(proto::kServerId, requestId,
             proto::LoginResult{AuthStatus::Ok, m_userId, 0, user.displayName, "welcome back, " + user.username,
                                std::move(token)});
    sendContacts(ContactsAnswer::StatesIfCurrent);
    // A login that takes over a session elsewhere in the cluster is no change of presence.
    const bool cameOnline = m_core.remote->loggedIn(presenceOf(proto::PresenceState::Online), m_generation);
    if (!previous && cameOnline) broadcastPresence(proto::PresenceState::Online);
    m_core.observer.onUserOnline(m_userId, user.username, address());
    m_core.log(LogLevel::Info,
               user.username + " logged in from " + address() + (previous ? " (took over the previous session)" : ""));
    recordLogin();
    startBacklogFetch();
    fetchReadReceipts();
}

void Session::recordLogin() const {
    // For the operator's "last login"; nothing waits for it. Logins that arrive
    // while the job waits in the store's queue are written with it (LoginTimes).
    ServerCore& core = m_core;
    if (!core.loginTimes.add(m_userId, static_cast<std::int64_t>(wallNowMs()))) return;
    const bool queued = core.store.submit([&core](db::Store& store) {
        const std::vector<db::LoginTime> batch = core.loginTimes.take();
        const auto r = store.recordLogins(batch);
        if (!r.ok())
            core.log(LogLevel::Warn, "cannot record " + std::to_string(batch.size()) + " login time(s): " + r.error);
    });
    // The queue is full or closing: these "last login" times are dropped (nothing
    // else depends on them), and the next login asks for a job again.
    if (!queued) core.loginTimes.take();
}

void Session::sendContacts(ContactsAnswer answer) {
    const UserDirectory::Listing listing = m_core.users.listing();
    if (answer == ContactsAnswer::StatesIfCurrent && m_keepsContacts && m_clientContactsVersion == listing.version) {
        m_contacts.startStates(listing.users, m_userId);
    } else {
        m_contacts.start(listing.users, m_userId,
                         m_keepsContacts ? std::optional<std::uint64_t>(listing.version) : std::nullopt);
    }
    m_presenceMark = SessionLoop::of(loop()).presenceQueued();
    pumpContacts();
}

void Session::pumpContacts() {
    // Pages go out while the output buffer is small: most are written straight
    // to the socket (sendNow), the rest when it drains (onOutputDrained).
    constexpr std::size_t kOutputLimit = 16 * 1024;  // then wait for the socket
    const auto isOnline = [this](proto::UserId id) {
        return m_core.delivery.isOnline(id) || m_core.remote->onlineElsewhere(id);
    };
    while (m_contacts.active() && m_connection->outputBytes() < kOutputLimit) {
        if (m_contacts.statesOnly()) {
            proto::ContactStates& page = SessionLoop::of(loop()).contactStatesPage();
            m_contacts.nextStatesPage(page, isOnline);
            sendNow(encodeFrame(proto::kServerId, 0, page), 1);
            continue;
        }
        proto::Contacts& page = SessionLoop::of(loop()).contactsPage();
        m_contacts.nextPage(page, isOnline);
        sendNow(encodeFrame(proto::kServerId, 0, page), 1);
    }
    if (!m_contacts.active()) sendDueReceipts();
}

void Session::sendNow(std::string_view frames, std::size_t count) {
    if (m_state >= State::Closing || m_closing || !m_connection->sendNow(frames)) return;
    countOut(count, frames.size());
}

proto::Presence Session::presenceOf(proto::PresenceState state) const {
    // The names come from the directory (put() at login) rather than a copy in
    // every session.
    const std::optional<UserEntry> entry = m_core.users.find(m_userId);
    return proto::Presence{
        {m_userId, state, entry ? entry->username : username(), entry ? entry->displayName : std::string()}};
}

void Session::broadcastPresence(proto::PresenceState state) const { fanOutPresence(m_core, presenceOf(state), true); }

}  // namespace parley::server
