#pragma once
// A token bucket: `rate.perSecond` tokens per second, holding at most `rate.burst`. Used per
// session for the message and control-frame rates. Time is passed in, so tests need no clock.
// Not thread-safe: owned by one session on its loop thread.

#include <cstdint>

namespace parley::server {

/// The rule a bucket follows: shared (the config's), so that each session's
/// bucket is just its state.
struct TokenRate {
    double perSecond;
    double burst;
};

class TokenBucket {
public:
    explicit TokenBucket(const TokenRate& rate) : m_tokens(rate.burst) {}

    /// Takes `cost` tokens (at most the burst) if there are that many. `nowMs`
    /// must not go backwards by much; a backwards step simply adds no tokens.
    /// Always the same `rate`.
    bool tryTake(std::uint64_t nowMs, const TokenRate& rate, double cost = 1.0) {
        refill(nowMs, rate);
        if (m_tokens < cost) return false;
        m_tokens -= cost;
        return true;
    }

    double tokens() const { return m_tokens; }

private:
    void refill(std::uint64_t nowMs, const TokenRate& rate) {
        if (m_lastMs == 0 || nowMs <= m_lastMs) {
            if (m_lastMs == 0) m_lastMs = nowMs;
            return;
        }
        const double elapsedSeconds = static_cast<double>(nowMs - m_lastMs) / 1000.0;
        m_lastMs = nowMs;
        m_tokens = m_tokens + elapsedSeconds * rate.perSecond;
        if (m_tokens > rate.burst) m_tokens = rate.burst;
    }

    double m_tokens;
    std::uint64_t m_lastMs = 0;
};

}  // namespace parley::server
