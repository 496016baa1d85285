#pragma once
// Delays between reconnect (or re-send) attempts.

#include <cstdint>
#include <functional>
#include <random>

namespace parley::session {

/// Exponential backoff with jitter, the rule every Parley client follows
/// (docs/protocol.md "Client rules"):
///
///     base(n) = min(first * 2^n, max)          n = attempts since reset()
///     delay   = base(n) / 2 + random % (base(n) / 2 + 1)
///
/// i.e. a delay in [base/2, base], so that clients cut off by the same server
/// restart do not come back in lockstep. reset() after a success (a good
/// login, an acknowledged message). The random source is injected so that
/// tests are exact; by default a generator seeded from std::random_device.
/// Value type; not thread-safe.
class Backoff {
public:
    using RandomSource = std::function<std::uint32_t()>;

    static constexpr std::uint64_t kDefaultFirstMs = 1'000;
    static constexpr std::uint64_t kDefaultMaxMs = 30'000;

    explicit Backoff(std::uint64_t firstMs = kDefaultFirstMs, std::uint64_t maxMs = kDefaultMaxMs,
                     RandomSource random = {});

    /// The delay before the next attempt; counts the attempt.
    std::uint64_t nextDelayMs();
    /// Back to the first delay.
    void reset() { m_attempts = 0; }
    unsigned attempts() const { return m_attempts; }
    std::uint64_t firstMs() const { return m_firstMs; }
    std::uint64_t maxMs() const { return m_maxMs; }

private:
    std::uint64_t m_firstMs;
    std::uint64_t m_maxMs;
    RandomSource m_random;
    unsigned m_attempts = 0;
};

}  // namespace parley::session
