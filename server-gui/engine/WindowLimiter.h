#pragma once
// At most `limit` events per key in any rolling window (e.g. registrations per
// address per hour). Thread-safe; memory bounded by the keys seen within one
// window, and each key holds at most `limit` timestamps.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace parley::server {

class WindowLimiter {
public:
    WindowLimiter(std::uint32_t limit, std::uint64_t windowMs) : m_limit(limit), m_windowMs(windowMs) {}

    /// Records an event for `key` and returns true if it is within the limit;
    /// returns false (and records nothing) otherwise. A limit of 0 allows all.
    bool tryAcquire(const std::string& key, std::uint64_t nowMs);

private:
    const std::uint32_t m_limit;
    const std::uint64_t m_windowMs;
    std::mutex m_mutex;
    std::unordered_map<std::string, std::deque<std::uint64_t>> m_events;
    std::uint64_t m_lastSweepMs = 0;
};

}  // namespace parley::server
