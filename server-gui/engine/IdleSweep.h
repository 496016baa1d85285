#pragma once
// The loop's roster of sessions and the sweep that closes the ones past a time limit:
// no login within the login period, or idle (part of SessionLoop; Session::timedOut).
// One sweep per loop, every `checkEvery` (a quarter of the shorter limit),
// instead of a timer per session (~100 bytes each, and a timer-tree insertion per session
// per period). After each pass it asks for free memory back (FreeMemory: one trim per
// period for the whole process), as after a burst of logins.
//
// The roster is also what the presence fan-out walks (sessions()): weak pointers, in no
// particular order; Session::sweepSlot() is a session's index in it.
//
// Threading: the owning loop's thread only.

#include "platform/Reactor.h"
#include "server-gui/engine/Clock.h"

#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>

namespace parley::server {

class FreeMemory;
class Session;
using SessionPtr = std::shared_ptr<Session>;

class IdleSweep {
public:
    IdleSweep(net::Reactor& loop, const Clock& clock, FreeMemory& memory)
        : m_loop(loop), m_clock(clock), m_memory(memory) {}

    /// Puts `session` on the roster (the first call arms the sweep, every `checkEvery`).
    void watch(const SessionPtr& session, std::chrono::milliseconds checkEvery);
    /// Takes it off when it closes.
    void unwatch(const Session& session);

    const std::vector<std::weak_ptr<Session>>& sessions() const { return m_sessions; }

private:
    void sweep();
    void remove(std::size_t slot);

    net::Reactor& m_loop;
    const Clock& m_clock;
    FreeMemory& m_memory;
    std::vector<std::weak_ptr<Session>> m_sessions;
    std::chrono::milliseconds m_checkEvery{0};
    bool m_armed = false;
};

}  // namespace parley::server
