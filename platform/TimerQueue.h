#pragma once

#include "platform/Callbacks.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

namespace parley::net {

using Clock = std::chrono::steady_clock;
using TimerId = std::uint64_t;
inline constexpr TimerId kInvalidTimerId = 0;

/// The reactor's timers, ordered by deadline then by id (so timers due at the same time
/// fire in the order they were added). Loop thread only; Reactor::runAfter/runEvery/cancel
/// are the thread-safe front.
///
/// A timer may cancel itself or any other timer from its callback; a cancelled timer
/// never fires again, even if it was due in the same round.
class TimerQueue {
public:
    /// Adds a timer; `interval` zero means one-shot, otherwise it repeats (at least 1 ms
    /// apart, without catching up on missed rounds).
    void add(TimerId id, Clock::time_point when, Clock::duration interval, TimerCallback callback);

    /// False if the timer does not exist (fired already, or cancelled).
    bool cancel(TimerId id);

    std::optional<Clock::time_point> nextExpiry() const;

    /// Runs the timers due at `now`; returns how many ran. Each callback runs through
    /// `invoke` when given (the Reactor's exception guard), else directly.
    std::size_t runExpired(Clock::time_point now, const std::function<void(const TimerCallback&)>& invoke = {});

    std::size_t size() const { return m_timers.size() + (m_running != kInvalidTimerId ? 1 : 0); }
    void clear();

private:
    struct Timer {
        Clock::duration interval;
        TimerCallback callback;
    };
    using Key = std::pair<Clock::time_point, TimerId>;

    std::map<Key, Timer> m_timers;
    std::unordered_map<TimerId, Clock::time_point> m_deadlines;
    TimerId m_running = kInvalidTimerId;
    bool m_runningCancelled = false;
};

}  // namespace parley::net
