#include "server-gui/engine/WindowLimiter.h"

namespace parley::server {

bool WindowLimiter::tryAcquire(const std::string& key, std::uint64_t nowMs) {
    if (m_limit == 0) return true;
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto expired = [&](std::uint64_t t) { return nowMs >= t + m_windowMs; };

    // Sweep keys whose events all left the window, at most once per window.
    if (nowMs >= m_lastSweepMs + m_windowMs) {
        m_lastSweepMs = nowMs;
        for (auto it = m_events.begin(); it != m_events.end();) {
            it = (it->second.empty() || expired(it->second.back())) ? m_events.erase(it) : std::next(it);
        }
    }
    auto& events = m_events[key];
    while (!events.empty() && expired(events.front())) events.pop_front();
    if (events.size() >= m_limit) return false;
    events.push_back(nowMs);
    return true;
}

}  // namespace parley::server
