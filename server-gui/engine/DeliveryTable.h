#pragma once
// Who is online, and may a message to a user go straight to their connection
// or must it go through the store?
//
// The contract (docs/protocol.md, "Delivery"): per sender→receiver order is
// kept, and nothing the server acknowledged is lost. A message goes *live*
// only when nothing that could precede it is still on the store path:
//
//                       route(to)
//   online, caught up,  ─────────►  Live:  appended to the recipient's connection
//   not congested, no              (tracked in flight until the recipient acks)
//   store pending
//
//   anything else       ─────────►  Store: committed by a store job keyed by the
//                                   recipient (jobs for one recipient run in order)
//
// A session that is not caught up ("backlog" mode) fetches stored messages
// when no store job for it is pending, sends them ordered by (messageId,
// sender) — per-sender ids increase, so that is per-pair order — and goes live
// only if no new message was committed since its fetch. A session that
// replaces an earlier one (login elsewhere) stays in backlog mode until the
// earlier session has handed its unacknowledged in-flight messages to the
// store (detach()).
//
// Thread-safety: every method may be called from any thread; state is guarded
// by striped mutexes, so unrelated recipients do not contend.
// SessionPtr is any copyable, comparable handle (shared_ptr<Session> in the
// engine); the table never calls into a session.

#include "server-gui/engine/OnlineIndex.h"
#include "shared/proto/Header.h"

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace parley::server {

template <class SessionPtr>
class DeliveryTable {
public:
    enum class Route { Live, Store };

    struct Decision {
        Route route = Route::Store;
        SessionPtr session{};  ///< the recipient's session, for Live
    };

    /// Decides how a message to `to` travels. A Store decision counts as a
    /// pending store job: the caller must call storeDone(to) exactly once
    /// when that job finished (committed or failed).
    Decision route(proto::UserId to) {
        Stripe& stripe = stripeFor(to);
        std::lock_guard<std::mutex> lock(stripe.mutex);
        State& state = stripe.users[to];
        if (state.session && !state.backlog && !state.handoffPending && !state.congested && state.pendingStores == 0) {
            return {Route::Live, state.session};
        }
        ++state.pendingStores;
        return {Route::Store, SessionPtr{}};
    }

    /// Counts `count` more pending store jobs for `to` without a routing
    /// decision (a session handing its in-flight messages to the store).
    void addPendingStores(proto::UserId to, std::uint32_t count) {
        if (count == 0) return;
        Stripe& stripe = stripeFor(to);
        std::lock_guard<std::mutex> lock(stripe.mutex);
        stripe.users[to].pendingStores += count;
    }

    /// A store job for `to` finished. Returns the online session that must now
    /// fetch its backlog (no store job pending any more), or an empty handle.
    SessionPtr storeDone(proto::UserId to) {
        Stripe& stripe = stripeFor(to);
        std::lock_guard<std::mutex> lock(stripe.mutex);
        State& state = stripe.users[to];
        if (state.pendingStores > 0) --state.pendingStores;
        ++state.epoch;
        if (!state.session) {
            eraseIfIdle(stripe, to);
            return SessionPtr{};
        }
        state.backlog = true;  // something new is in the store: fetch before going live
        return fetchableLocked(state);
    }

    /// A login: `session` becomes the user's online session, in backlog mode.
    /// Returns the session it replaces (to be kicked; it must detach() later),
    /// or an empty handle.
    SessionPtr attach(proto::UserId user, SessionPtr session) {
        Stripe& stripe = stripeFor(user);
        std::lock_guard<std::mutex> lock(stripe.mutex);
        State& state = stripe.users[user];
        SessionPtr previous = state.session;
        state.session = session;
        state.backlog = true;
        state.congested = false;
        state.fetching = false;
        if (previous) state.handoffPending = true;
        m_online.set(user, true);
        return previous;
    }

    /// `session` ended and has `inFlight` unacknowledged messages that the
    /// caller is about to submit as store jobs (each followed by storeDone).
    /// Returns the online session that may fetch now, if any.
    SessionPtr detach(proto::UserId user, const SessionPtr& session, std::uint32_t inFlight) {
        Stripe& stripe = stripeFor(user);
        std::lock_guard<std::mutex> lock(stripe.mutex);
        auto it = stripe.users.find(user);
        if (it == stripe.users.end()) return SessionPtr{};
        State& state = it->second;
        state.pendingStores += inFlight;
        if (state.session == session) {
            state.session = SessionPtr{};
            state.fetching = false;
            m_online.set(user, false);
            eraseIfIdle(stripe, user);
            return SessionPtr{};
        }
        state.handoffPending = false;  // the replaced session has handed over
        return state.session ? fetchableLocked(state) : SessionPtr{};
    }

    /// Asks whether `session` may start a backlog fetch now. If so, marks it
    /// fetching and returns true with the epoch to pass to fetchSent().
    bool beginFetch(proto::UserId user, const SessionPtr& session, std::uint64_t& epoch) {
        Stripe& stripe = stripeFor(user);
        std::lock_guard<std::mutex> lock(stripe.mutex);
        auto it = stripe.users.find(user);
        if (it == stripe.users.end() || it->second.session != session) return false;
        State& state = it->second;
        if (state.fetching || state.pendingStores > 0 || state.handoffPending) return false;
        state.fetching = true;
        epoch = state.epoch;
        return true;
    }

    /// The session sent everything a fetch taken at `epoch` returned, and
    /// `more` says whether the fetch was cut at its page limit. Returns true
    /// if the session is live now; false if it must fetch again (it then
    /// calls beginFetch() again, now or when storeDone() names it).
    bool fetchSent(proto::UserId user, const SessionPtr& session, std::uint64_t epoch, bool more) {
        Stripe& stripe = stripeFor(user);
        std::lock_guard<std::mutex> lock(stripe.mutex);
        auto it = stripe.users.find(user);
        if (it == stripe.users.end() || it->second.session != session) return false;
        State& state = it->second;
        state.fetching = false;
        if (!more && state.epoch == epoch && state.pendingStores == 0 && !state.handoffPending && !state.congested) {
            state.backlog = false;
            return true;
        }
        return false;
    }

    /// The recipient's connection crossed its high-water mark (true) or
    /// drained (false). While congested, new messages go to the store.
    /// Returns true when the session should start a backlog fetch.
    bool setCongested(proto::UserId user, const SessionPtr& session, bool congested) {
        Stripe& stripe = stripeFor(user);
        std::lock_guard<std::mutex> lock(stripe.mutex);
        auto it = stripe.users.find(user);
        if (it == stripe.users.end() || it->second.session != session) return false;
        State& state = it->second;
        state.congested = congested;
        if (congested) {
            state.backlog = true;
            return false;
        }
        return state.backlog && !state.fetching && state.pendingStores == 0 && !state.handoffPending;
    }

    /// The online session of `user`, or an empty handle.
    SessionPtr online(proto::UserId user) const {
        const Stripe& stripe = stripeFor(user);
        std::lock_guard<std::mutex> lock(stripe.mutex);
        auto it = stripe.users.find(user);
        return it == stripe.users.end() ? SessionPtr{} : it->second.session;
    }

    /// Whether `user` has an online session: no lock, no handle copied
    /// (CONTACTS asks this for every user; OnlineIndex).
    /// Whether a store job for `user` is pending (counted by route() or addPendingStores()).
    bool storesPending(proto::UserId user) const {
        const Stripe& stripe = stripeFor(user);
        std::lock_guard<std::mutex> lock(stripe.mutex);
        auto it = stripe.users.find(user);
        return it != stripe.users.end() && it->second.pendingStores > 0;
    }

    bool isOnline(proto::UserId user) const {
        if (OnlineIndex::covers(user)) return m_online.online(user);
        const Stripe& stripe = stripeFor(user);
        std::lock_guard<std::mutex> lock(stripe.mutex);
        auto it = stripe.users.find(user);
        return it != stripe.users.end() && it->second.session;
    }

    /// Calls fn(userId, session) for every online session (a snapshot: fn runs
    /// without any lock held).
    void forEachOnline(const std::function<void(proto::UserId, const SessionPtr&)>& fn) const {
        std::vector<std::pair<proto::UserId, SessionPtr>> snapshot;
        for (const Stripe& stripe : m_stripes) {
            std::lock_guard<std::mutex> lock(stripe.mutex);
            for (const auto& [user, state] : stripe.users)
                if (state.session) snapshot.emplace_back(user, state.session);
        }
        for (const auto& [user, session] : snapshot) fn(user, session);
    }

    std::size_t onlineCount() const {
        std::size_t count = 0;
        forEachOnline([&count](proto::UserId, const SessionPtr&) { ++count; });
        return count;
    }

private:
    struct State {
        SessionPtr session{};
        std::uint32_t pendingStores = 0;
        std::uint64_t epoch = 0;  ///< commits so far; a fetch is current if unchanged
        bool backlog = false;
        bool fetching = false;
        bool handoffPending = false;
        bool congested = false;
    };
    struct Stripe {
        mutable std::mutex mutex;
        std::unordered_map<proto::UserId, State> users;
    };
    static constexpr std::size_t kStripes = 64;

    Stripe& stripeFor(proto::UserId user) { return m_stripes[user % kStripes]; }
    const Stripe& stripeFor(proto::UserId user) const { return m_stripes[user % kStripes]; }

    SessionPtr fetchableLocked(const State& state) const {
        const bool ready = state.backlog && !state.fetching && state.pendingStores == 0 && !state.handoffPending;
        return ready ? state.session : SessionPtr{};
    }

    // Offline users with nothing pending need no entry; dropping it keeps the
    // table proportional to the users online. The epoch may restart from 0
    // then, which is safe: no session holds a fetch epoch for an offline user.
    static void eraseIfIdle(Stripe& stripe, proto::UserId user) {
        auto it = stripe.users.find(user);
        if (it != stripe.users.end() && !it->second.session && it->second.pendingStores == 0) stripe.users.erase(it);
    }

    std::array<Stripe, kStripes> m_stripes;
    OnlineIndex m_online;  ///< written under the user's stripe lock, read without one
};

}  // namespace parley::server
