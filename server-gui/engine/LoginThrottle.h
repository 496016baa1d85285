#pragma once
// Slows down password guessing. Keys are accounts ("user:alice") and
// addresses ("addr:10.0.0.7"): after `failuresBeforeThrottle` failures in a
// row a key must wait, first `firstSeconds`, doubling with every further
// failure up to `maxSeconds`. A success clears the key.
//
// Thread-safe: logins arrive on every I/O loop. Memory is bounded: keys whose
// wait has long expired are dropped when the table grows past `maxKeys`.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace parley::server {

class LoginThrottle {
public:
    LoginThrottle(std::uint32_t failuresBeforeThrottle, std::uint32_t firstSeconds,
                  std::uint32_t maxSeconds, std::size_t maxKeys = 100'000);

    /// Seconds `key` must still wait before the next attempt; 0 = go ahead.
    std::uint32_t retryAfter(const std::string& key, std::uint64_t nowMs) const;
    void recordFailure(const std::string& key, std::uint64_t nowMs);
    void recordSuccess(const std::string& key);
    std::size_t size() const;

private:
    struct Entry {
        std::uint32_t failures = 0;
        std::uint64_t blockedUntilMs = 0;
        std::uint64_t lastFailureMs = 0;
    };
    void pruneLocked(std::uint64_t nowMs);

    const std::uint32_t m_failuresBeforeThrottle;
    const std::uint32_t m_firstSeconds;
    const std::uint32_t m_maxSeconds;
    const std::size_t m_maxKeys;
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, Entry> m_entries;
};

}  // namespace parley::server
