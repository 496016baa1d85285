#pragma once
// A token bucket: `rate` tokens per second, holding at most `burst`. Used per
// session for the message rate. Time is passed in, so tests need no clock.
// Not thread-safe: owned by one session on its loop thread.

#include <cstdint>

namespace parley::server {

class TokenBucket {
public:
    TokenBucket(double ratePerSecond, double burst)
        : m_rate(ratePerSecond), m_burst(burst), m_tokens(burst) {}

    /// Takes one token if there is one. `nowMs` must not go backwards by much;
    /// a backwards step simply adds no tokens.
    bool tryTake(std::uint64_t nowMs) {
        refill(nowMs);
        if (m_tokens < 1.0) return false;
        m_tokens -= 1.0;
        return true;
    }

    double tokens() const { return m_tokens; }

private:
    void refill(std::uint64_t nowMs) {
        if (m_lastMs == 0 || nowMs <= m_lastMs) {
            if (m_lastMs == 0) m_lastMs = nowMs;
            return;
        }
        const double elapsedSeconds = static_cast<double>(nowMs - m_lastMs) / 1000.0;
        m_lastMs = nowMs;
        m_tokens = m_tokens + elapsedSeconds * m_rate;
        if (m_tokens > m_burst) m_tokens = m_burst;
    }

    double m_rate;
    double m_burst;
    double m_tokens;
    std::uint64_t m_lastMs = 0;
};

}  // namespace parley::server
