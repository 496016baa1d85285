#pragma once
// What a session has delivered to its user and not had acknowledged yet, and
// whether it may fetch more from the store: the recipient's half of the
// delivery rules (docs/architecture.md, "Delivery"; DeliveryTable is the
// server-wide half). A value inside Session; no sockets, no store: Session
// does the I/O and asks the inbox what follows from it.
//
// Two kinds of outstanding messages are kept apart because they end
// differently: a live one (forwarded from an online sender) is still only in
// memory, so a closing session hands it to the store; one sent from the store
// is deleted from it once acknowledged.
//
// Idle sessions stay small: the bookkeeping is allocated by the first
// delivery, so an inbox that never held a message is one pointer and a few flags.
// Not thread-safe (the owning session's loop only).

#include "server-gui/engine/InFlightQueue.h"
#include "shared/proto/Header.h"

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string_view>
#include <unordered_map>

namespace parley::server {

class Inbox {
public:
    /// Live messages a recipient may leave unacknowledged before it counts as
    /// congested (its messages then wait in the store instead of in memory).
    static constexpr std::size_t kMaxInFlight = 4096;
    /// Conversations whose empty in-flight queue is kept (with its buffers), so
    /// that the next messages cost no allocation.
    static constexpr std::size_t kKeptIdleQueues = 16;

    Inbox();
    ~Inbox();
    Inbox(Inbox&&) noexcept;
    Inbox& operator=(Inbox&&) noexcept;

    // ---- what was sent ----
    /// A live CHAT frame from `sender` was written to the connection. True if
    /// this one takes the inbox past kMaxInFlight while it was not congested.
    bool sentLive(proto::UserId sender, proto::MessageId id, std::string_view frame);
    /// A stored message was written to the connection.
    void sentFromStore(proto::UserId sender, proto::MessageId id);

    /// What one cumulative ACK Received confirmed for the first time.
    struct Confirmed {
        std::size_t live = 0;
        std::size_t fromStore = 0;  ///< to delete from the store
        std::size_t total() const { return live + fromStore; }
    };
    /// Messages from `sender` up to `upTo` are acknowledged. A repeated or
    /// invented ACK confirms nothing (and must not become work for the sender).
    Confirmed acknowledge(proto::UserId sender, proto::MessageId upTo);

    std::size_t inFlight() const;
    std::size_t backlogOutstanding() const;

    /// The connection closes: calls store(sender, id, frame) for every live
    /// message not acknowledged (oldest first per sender) and forgets them;
    /// returns how many.
    std::size_t handOff(const std::function<void(proto::UserId, proto::MessageId, std::string_view)>& store);

    // ---- congestion: the recipient does not keep up ----
    bool congested() const { return m_congested; }
    void setCongested(bool congested) { m_congested = congested; }
    /// Congested, and few enough live messages unacknowledged to take live ones again
    /// (the caller also needs an empty output buffer).
    bool mayDecongest() const { return m_congested && inFlight() <= kMaxInFlight / 2; }

    // ---- fetching the backlog from the store, one page at a time ----
    /// A fetch is wanted. True if it may start now; otherwise it is remembered
    /// (wantsFetch) until the running fetch ends, the sent page is acknowledged
    /// or the congestion ends.
    bool requestFetch();
    /// The DeliveryTable agreed: a fetch is running.
    void fetchStarted();
    /// Its rows have arrived (or it failed).
    void fetchEnded() { m_fetching = false; }
    bool fetching() const { return m_fetching; }
    /// A fetch was asked for and could not start then.
    bool wantsFetch() const { return m_wantFetch; }
    void wantFetch() { m_wantFetch = true; }

private:
    struct Unacked {
        std::unordered_map<proto::UserId, InFlightQueue> inFlight;  ///< live, by sender
        std::size_t inFlightCount = 0;
        std::unordered_map<proto::UserId, std::deque<proto::MessageId>> backlogSent;  ///< from the store
        std::size_t backlogOutstanding = 0;
    };
    Unacked& unacked();

    std::unique_ptr<Unacked> m_unacked;
    bool m_fetching = false;
    bool m_wantFetch = false;
    bool m_congested = false;
};

}  // namespace parley::server
