#include "platform/TimerQueue.h"

#include <algorithm>

namespace parley::net {

namespace {
constexpr Clock::duration kMinInterval = std::chrono::milliseconds(1);
}

void TimerQueue::add(TimerId id, Clock::time_point when, Clock::duration interval, TimerCallback callback) {
    if (interval > Clock::duration::zero()) {
        interval = std::max(interval, kMinInterval);
    }
    m_timers.emplace(Key{when, id}, Timer{interval, std::move(callback)});
    m_deadlines.emplace(id, when);
}

bool TimerQueue::cancel(TimerId id) {
    if (id == m_running && id != kInvalidTimerId) {
        const bool first = !m_runningCancelled;
        m_runningCancelled = true;
        return first;
    }
    const auto it = m_deadlines.find(id);
    if (it == m_deadlines.end()) {
        return false;
    }
    m_timers.erase(Key{it->second, id});
    m_deadlines.erase(it);
    return true;
}

std::optional<Clock::time_point> TimerQueue::nextExpiry() const {
    if (m_timers.empty()) {
        return std::nullopt;
    }
    return m_timers.begin()->first.first;
}

// One timer at a time, re-checking the front each round, so a callback that cancels or
// adds timers is seen at once. Rescheduled timers land strictly after `now`, so the loop ends.
std::size_t TimerQueue::runExpired(Clock::time_point now, const std::function<void(const TimerCallback&)>& invoke) {
    std::size_t count = 0;
    while (!m_timers.empty() && m_timers.begin()->first.first <= now) {
        const auto front = m_timers.begin();
        const auto [deadline, id] = front->first;
        Timer timer = std::move(front->second);
        m_timers.erase(front);
        m_deadlines.erase(id);
        m_running = id;
        m_runningCancelled = false;
        if (invoke) {
            invoke(timer.callback);
        } else {
            timer.callback();
        }
        m_running = kInvalidTimerId;
        ++count;

        if (timer.interval > Clock::duration::zero() && !m_runningCancelled) {
            Clock::time_point next = deadline + timer.interval;
            if (next <= now) {
                next = now + timer.interval;
            }
            m_deadlines.emplace(id, next);
            m_timers.emplace(Key{next, id}, std::move(timer));
        }
    }
    return count;
}

void TimerQueue::clear() {
    m_timers.clear();
    m_deadlines.clear();
}

}  // namespace parley::net
