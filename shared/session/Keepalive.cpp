#include "shared/session/Keepalive.h"

#include <algorithm>

namespace parley::session {

Keepalive::Keepalive(std::uint64_t pingIntervalMs, std::uint64_t deadAfterMs)
    : m_pingIntervalMs(pingIntervalMs), m_deadAfterMs(deadAfterMs) {}

void Keepalive::reset(std::uint64_t nowMs) {
    m_lastReceivedMs = nowMs;
    m_lastSentMs = nowMs;
    m_dead = false;
}

void Keepalive::onReceived(std::uint64_t nowMs) { m_lastReceivedMs = nowMs; }

void Keepalive::onSent(std::uint64_t nowMs) { m_lastSentMs = std::max(m_lastSentMs, nowMs); }

Keepalive::Action Keepalive::poll(std::uint64_t nowMs) {
    if (m_dead) {
        return Action::None;
    }
    // A clock that went backwards: count from here, otherwise the unsigned
    // differences below would stay zero until it caught up again.
    m_lastReceivedMs = std::min(m_lastReceivedMs, nowMs);
    m_lastSentMs = std::min(m_lastSentMs, nowMs);
    if (nowMs - m_lastReceivedMs >= m_deadAfterMs) {
        m_dead = true;
        return Action::Dead;
    }
    if (nowMs - m_lastSentMs >= m_pingIntervalMs) {
        m_lastSentMs = nowMs;
        return Action::SendPing;
    }
    return Action::None;
}

std::uint64_t Keepalive::nextDeadlineMs() const {
    return std::min(m_lastSentMs + m_pingIntervalMs, m_lastReceivedMs + m_deadAfterMs);
}

}  // namespace parley::session
