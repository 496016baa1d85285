#pragma once
// One direction of a link between two node instances (docs/cluster-design.md §2.4): a
// sequenced go-back-N channel over NATS, whose core delivery may lose a message when a
// connection drops but never reorders one publisher's messages on one subscription.
//
//   sender:   send() numbers an envelope (1, 2, 3, ...) and keeps it until acknowledged();
//             poll() re-sends everything kept when no ack came for resendAfterMs (doubled
//             for each timeout in a row, at most 64x);
//             resendAfter() answers the receiver's request; past its bounds it is Full and
//             the caller resets the link (its chat frames go to the store, R3).
//   receiver: accept() takes only seq == expected (Deliver), re-acknowledges a lower one
//             (Duplicate) and asks for a resend from `expected` on a gap (Gap: at once for a
//             new gap, then backed off like the sender's timer); acks are cumulative,
//             piggybacked on the reverse link or sent alone once ackDelayMs passed (ackDue()).
//
// Either end seeing a new instance of the other resets both directions: numbering restarts
// at 1. Sans-IO, no clock of its own (times are the caller's), no threads: the caller holds
// the link's lock.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace parley::cluster {

struct LinkLimits {
    std::size_t maxRetainedBytes = 64 * 1024 * 1024;  ///< Limits::clusterLinkBytes
    std::size_t maxRetained = 65'536;                 ///< Limits::clusterLinkRecords (envelopes)
    std::uint64_t resendAfterMs = 500;
    std::uint64_t ackDelayMs = 5;
};

/// An envelope to publish: its bytes with the sequence number already in the head.
using Envelope = std::vector<std::uint8_t>;

class LinkSender {
public:
    explicit LinkSender(LinkLimits limits = {}) : m_limits(limits) {}

    enum class Queued { Sent, Full };
    /// Numbers `envelope` (an EnvelopeWriter's bytes), keeps a copy until it is acknowledged
    /// and hands the numbered bytes to `out` to publish. Full: nothing kept or handed out,
    /// the retention bounds are reached (the peer does not acknowledge): reset the link.
    Queued send(Envelope envelope, std::uint64_t nowMs, Envelope& out);

    /// The peer has everything up to and with `upTo` (a cumulative ack; old or repeated
    /// ones change nothing, one beyond what was sent is ignored).
    void acknowledged(std::uint64_t upTo, std::uint64_t nowMs);
    /// The peer asks again for everything after `upTo` (it saw a gap): acknowledged(upTo),
    /// then the rest, oldest first.
    std::vector<Envelope> resendAfter(std::uint64_t upTo, std::uint64_t nowMs);
    /// Nothing was acknowledged for resendAfterMs (doubled for each timeout in a row): all
    /// that is kept, again.
    std::vector<Envelope> poll(std::uint64_t nowMs);

    /// A new instance at the other end: drops what is kept, numbering starts at 1 again.
    void reset();

    std::uint64_t lastSent() const { return m_nextSeq - 1; }
    std::size_t retained() const { return m_kept.size(); }
    std::size_t retainedBytes() const { return m_keptBytes; }

private:
    struct Kept {
        std::uint64_t seq = 0;
        Envelope bytes;
    };
    std::vector<Envelope> everythingKept(std::uint64_t nowMs);

    LinkLimits m_limits;
    std::uint64_t m_nextSeq = 1;
    std::deque<Kept> m_kept;  ///< unacknowledged, in sequence order
    std::size_t m_keptBytes = 0;
    std::uint64_t m_waitingSinceMs = 0;  ///< the last ack progress or (re)send of everything kept
    unsigned m_timeouts = 0;             ///< timeouts in a row without an ack (backs the timer off)
};

class LinkReceiver {
public:
    explicit LinkReceiver(LinkLimits limits = {}) : m_limits(limits) {}

    enum class Verdict {
        Deliver,    ///< the next one: use its records (expected() moved on)
        Duplicate,  ///< already delivered: drop it; an ack is due at once (ours was lost)
        Gap,        ///< one or more before it were lost: drop it; resendDue() says when to ask
    };
    Verdict accept(std::uint64_t seq, std::uint64_t nowMs);

    /// What the next ack says: everything up to and with this was delivered.
    std::uint64_t ackUpTo() const { return m_expected - 1; }
    /// An ack should go alone now (nothing on the reverse link took it along).
    bool ackDue(std::uint64_t nowMs) const;
    /// An ack (piggybacked or alone) carrying ackUpTo() went out.
    void ackSent() { m_ackPending = false; }
    /// A resend request (a LinkControl envelope with kFlagResend) should go now: at once for
    /// a new gap, then after resendAfterMs, doubled for each request that brought nothing.
    bool resendDue(std::uint64_t nowMs);

    void reset();

    std::uint64_t expected() const { return m_expected; }

private:
    LinkLimits m_limits;
    std::uint64_t m_expected = 1;
    bool m_ackPending = false;
    std::uint64_t m_ackPendingSinceMs = 0;
    bool m_gap = false;
    bool m_asked = false;  ///< a resend was requested since the last delivery
    std::uint64_t m_askedAtMs = 0;
    unsigned m_requests = 0;  ///< requests since the last delivery (backs them off)
};

}  // namespace parley::cluster
