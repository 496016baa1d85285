#pragma once
// The engine's one clock (ServerCore::clock): every timeout, rate limit, idle check and
// timestamp of the engine reads it, so a test can run the engine on a clock it moves
// itself (tests/server-gui/engine/ManualClock.h) instead of sleeping. The I/O loops' timers still
// run on real time: they only decide *when* to look at the clock.
//
// Threading: read from every I/O loop and store worker at once; an implementation must be
// safe for that (the system clock is stateless).

#include "platform/Now.h"

#include <cstdint>

namespace parley::server {

class Clock {
public:
    virtual ~Clock() = default;

    /// Monotonic milliseconds: activity, rate limits, throttles, the presence delay.
    virtual std::uint64_t steadyMs() const = 0;
    /// Milliseconds since the Unix epoch: CHAT timestamps, connect and transfer times.
    virtual std::uint64_t wallMs() const = 0;

    /// The process's real clocks (platform/Now.h).
    static const Clock& system();
};

inline const Clock& Clock::system() {
    class SystemClock final : public Clock {
    public:
        std::uint64_t steadyMs() const override { return net::steadyNowMs(); }
        std::uint64_t wallMs() const override { return net::wallNowMs(); }
    };
    static const SystemClock clock;  // stateless: no shared mutable state
    return clock;
}

}  // namespace parley::server
