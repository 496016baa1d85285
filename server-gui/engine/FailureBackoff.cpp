#include "server-gui/engine/FailureBackoff.h"

#include <algorithm>

namespace parley::server {

FailureBackoff::FailureBackoff(std::uint32_t failuresBeforeThrottle, std::uint32_t firstSeconds,
                               std::uint32_t maxSeconds, std::size_t maxKeys)
    : m_failuresBeforeThrottle(failuresBeforeThrottle),
      m_firstSeconds(firstSeconds),
      m_maxSeconds(std::max(firstSeconds, maxSeconds)),
      m_maxKeys(maxKeys) {}

std::uint32_t FailureBackoff::retryAfter(const std::string& key, std::uint64_t nowMs) const {
    const auto it = m_entries.find(key);
    if (it == m_entries.end() || it->second.blockedUntilMs <= nowMs) return 0;
    // Round up so that "retry after 0 s" never means "still blocked".
    return static_cast<std::uint32_t>((it->second.blockedUntilMs - nowMs + 999) / 1000);
}

std::uint32_t FailureBackoff::failures(const std::string& key, std::uint64_t nowMs) const {
    const auto it = m_entries.find(key);
    return it == m_entries.end() || expired(it->second, nowMs) ? 0 : it->second.failures;
}

bool FailureBackoff::expired(const Entry& entry, std::uint64_t nowMs) const {
    // Failures long ago do not count against a key any more (an office behind
    // one address should not be locked out by last week's typos).
    return entry.blockedUntilMs <= nowMs && nowMs - entry.lastFailureMs > std::uint64_t{m_maxSeconds} * 2000;
}

void FailureBackoff::recordFailure(const std::string& key, std::uint64_t nowMs) {
    if (m_entries.size() >= m_maxKeys) prune(nowMs);
    Entry& entry = m_entries[key];
    if (entry.failures > 0 && expired(entry, nowMs)) entry = Entry{};
    ++entry.failures;
    entry.lastFailureMs = nowMs;
    if (m_failuresBeforeThrottle == 0 || entry.failures < m_failuresBeforeThrottle) return;
    const std::uint32_t doublings = std::min<std::uint32_t>(entry.failures - m_failuresBeforeThrottle, 20);
    const std::uint64_t waitSeconds = std::min<std::uint64_t>(std::uint64_t{m_firstSeconds} << doublings, m_maxSeconds);
    entry.blockedUntilMs = nowMs + waitSeconds * 1000;
}

void FailureBackoff::undoFailure(const std::string& key) {
    const auto it = m_entries.find(key);
    if (it == m_entries.end()) return;
    Entry& entry = it->second;
    if (entry.failures <= 1) {
        m_entries.erase(it);
        return;
    }
    --entry.failures;
    if (entry.failures < m_failuresBeforeThrottle) entry.blockedUntilMs = 0;
}

void FailureBackoff::recordSuccess(const std::string& key) { m_entries.erase(key); }

std::size_t FailureBackoff::size() const { return m_entries.size(); }

void FailureBackoff::prune(std::uint64_t nowMs) {
    // A key idle for twice the longest wait has nothing left to remember.
    for (auto it = m_entries.begin(); it != m_entries.end();)
        it = expired(it->second, nowMs) ? m_entries.erase(it) : std::next(it);
    // Under a flood of distinct keys nothing may be stale yet; drop the
    // oldest half rather than grow without bound.
    if (m_entries.size() >= m_maxKeys) {
        std::uint64_t oldest = nowMs;
        for (const auto& entry : m_entries) oldest = std::min(oldest, entry.second.lastFailureMs);
        const std::uint64_t middle = oldest + (nowMs - oldest) / 2;
        for (auto it = m_entries.begin(); it != m_entries.end();) {
            it = it->second.lastFailureMs <= middle ? m_entries.erase(it) : std::next(it);
        }
    }
}

}  // namespace parley::server
