#include "server-gui/cluster/Link.h"

#include "server-gui/cluster/Envelope.h"

#include <algorithm>
#include <utility>

namespace parley::cluster {

namespace {

/// `base` doubled `times` times, at most 64x (32 s for the 500 ms default).
std::uint64_t backedOff(std::uint64_t base, unsigned times) { return base << std::min(times, 6U); }

}  // namespace

// ---- sender -------------------------------------------------------------------------------

LinkSender::Queued LinkSender::send(Envelope envelope, std::uint64_t nowMs, Envelope& out) {
    if (m_kept.size() >= m_limits.maxRetained || m_keptBytes + envelope.size() > m_limits.maxRetainedBytes) {
        return Queued::Full;
    }
    stampSequence(envelope, m_nextSeq);
    if (m_kept.empty()) {
        m_waitingSinceMs = nowMs;  // the timer runs while something is unacknowledged
    }
    out = envelope;
    m_keptBytes += envelope.size();
    m_kept.push_back(Kept{m_nextSeq++, std::move(envelope)});
    return Queued::Sent;
}

void LinkSender::acknowledged(std::uint64_t upTo, std::uint64_t nowMs) {
    if (upTo >= m_nextSeq || m_kept.empty() || m_kept.front().seq > upTo) {
        return;  // old, repeated, or beyond what was sent (a stale instance's): no progress
    }
    while (!m_kept.empty() && m_kept.front().seq <= upTo) {
        m_keptBytes -= m_kept.front().bytes.size();
        m_kept.pop_front();
    }
    // The peer keeps up: the timer starts again, at its short value.
    m_waitingSinceMs = nowMs;
    m_timeouts = 0;
}

std::vector<Envelope> LinkSender::resendAfter(std::uint64_t upTo, std::uint64_t nowMs) {
    acknowledged(upTo, nowMs);
    return everythingKept(nowMs);
}

std::vector<Envelope> LinkSender::poll(std::uint64_t nowMs) {
    if (m_kept.empty() || nowMs - m_waitingSinceMs < backedOff(m_limits.resendAfterMs, m_timeouts)) {
        return {};
    }
    // Each timeout in a row without an ack doubles the next: copies still on their way to
    // a slow or cut-off peer are not multiplied.
    ++m_timeouts;
    return everythingKept(nowMs);
}

std::vector<Envelope> LinkSender::everythingKept(std::uint64_t nowMs) {
    std::vector<Envelope> again;
    again.reserve(m_kept.size());
    for (const Kept& kept : m_kept) {
        again.push_back(kept.bytes);
    }
    m_waitingSinceMs = nowMs;
    return again;
}

void LinkSender::reset() {
    m_kept.clear();
    m_keptBytes = 0;
    m_nextSeq = 1;
    m_timeouts = 0;
}

// ---- receiver -----------------------------------------------------------------------------

LinkReceiver::Verdict LinkReceiver::accept(std::uint64_t seq, std::uint64_t nowMs) {
    if (seq == m_expected) {
        ++m_expected;
        if (!m_ackPending) {
            m_ackPending = true;
            m_ackPendingSinceMs = nowMs;
        }
        m_gap = false;
        m_asked = false;  // a later gap is a new one: asked about at once
        m_requests = 0;
        return Verdict::Deliver;
    }
    if (seq < m_expected) {
        // The sender re-sent it: it has not heard our ack. Say it again at once.
        m_ackPending = true;
        m_ackPendingSinceMs = nowMs > m_limits.ackDelayMs ? nowMs - m_limits.ackDelayMs : 0;
        return Verdict::Duplicate;
    }
    m_gap = true;
    return Verdict::Gap;
}

bool LinkReceiver::ackDue(std::uint64_t nowMs) const {
    return m_ackPending && nowMs - m_ackPendingSinceMs >= m_limits.ackDelayMs;
}

bool LinkReceiver::resendDue(std::uint64_t nowMs) {
    // A new gap is asked about at once; while nothing arrives after a request (the resend
    // may still be on its way), each further request waits twice as long as the last.
    if (!m_gap || (m_asked && nowMs - m_askedAtMs < backedOff(m_limits.resendAfterMs, m_requests - 1))) {
        return false;
    }
    m_asked = true;
    m_askedAtMs = nowMs;
    ++m_requests;
    return true;
}

void LinkReceiver::reset() { *this = LinkReceiver(m_limits); }

}  // namespace parley::cluster
