#pragma once
// Failures per key with a doubling wait, one table of LoginThrottle: after
// `failuresBeforeThrottle` failures in a row a key must wait, first
// `firstSeconds`, doubling with every further failure up to `maxSeconds`.
// `failuresBeforeThrottle` 0 never makes a key wait.
//
// Not thread-safe: LoginThrottle guards its tables with one mutex, so that a
// check and the count that follows it are one step. Memory is bounded: keys
// whose wait has long expired are dropped when the table grows past `maxKeys`.

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace parley::server {

class FailureBackoff {
public:
    FailureBackoff(std::uint32_t failuresBeforeThrottle, std::uint32_t firstSeconds, std::uint32_t maxSeconds,
                   std::size_t maxKeys = 100'000);

    /// Seconds `key` must still wait before the next attempt; 0 = go ahead.
    std::uint32_t retryAfter(const std::string& key, std::uint64_t nowMs) const;
    /// Failures of `key` that still count (recent ones).
    std::uint32_t failures(const std::string& key, std::uint64_t nowMs) const;
    void recordFailure(const std::string& key, std::uint64_t nowMs);
    /// Takes back one failure recorded for an attempt that turned out not to be
    /// one (a right password, a database error); lifts the wait if that one caused it.
    void undoFailure(const std::string& key);
    /// Forgets `key`.
    void recordSuccess(const std::string& key);
    std::size_t size() const;

private:
    struct Entry {
        std::uint32_t failures = 0;
        std::uint64_t blockedUntilMs = 0;
        std::uint64_t lastFailureMs = 0;
    };
    bool expired(const Entry& entry, std::uint64_t nowMs) const;
    void prune(std::uint64_t nowMs);

    const std::uint32_t m_failuresBeforeThrottle;
    const std::uint32_t m_firstSeconds;
    const std::uint32_t m_maxSeconds;
    const std::size_t m_maxKeys;
    std::unordered_map<std::string, Entry> m_entries;
};

}  // namespace parley::server
