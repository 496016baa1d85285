#pragma once
// A server::Clock that a test moves itself: timeouts and rate windows pass when the test
// says so, not after it slept. Starts at the real wall time and at an arbitrary steady
// origin (non-zero: a TokenBucket reads 0 as "never used"). Thread-safe: the engine reads
// it on every I/O loop and store worker while the test advances it.

#include "server-gui/engine/Clock.h"

#include <atomic>
#include <chrono>
#include <cstdint>

namespace parley::test {

class ManualClock final : public server::Clock {
public:
    std::uint64_t steadyMs() const override { return m_steadyMs.load(); }
    std::uint64_t wallMs() const override { return m_wallMs.load(); }

    /// Both clocks move on by `by`.
    void advance(std::chrono::milliseconds by) {
        const auto ms = static_cast<std::uint64_t>(by.count());
        m_steadyMs += ms;
        m_wallMs += ms;
    }

private:
    std::atomic<std::uint64_t> m_steadyMs{10'000'000};
    std::atomic<std::uint64_t> m_wallMs{net::wallNowMs()};
};

}  // namespace parley::test
