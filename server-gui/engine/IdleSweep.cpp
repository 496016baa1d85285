#include "server-gui/engine/IdleSweep.h"

#include "server-gui/engine/MemoryRelease.h"
#include "server-gui/engine/Session.h"

#include <utility>

namespace parley::server {

void IdleSweep::watch(const SessionPtr& session, std::chrono::milliseconds checkEvery) {
    session->setSweepSlot(static_cast<std::uint32_t>(m_sessions.size()));
    m_sessions.push_back(session);
    if (m_armed) return;
    m_armed = true;
    m_checkEvery = checkEvery;
    // `this` outlives the timer: the Reactor drops its timers when its loop finishes,
    // and destroys its context (the SessionLoop that holds this) only after that.
    m_loop.runEvery(checkEvery, [this] { sweep(); });
}

void IdleSweep::unwatch(const Session& session) {
    const std::size_t slot = session.sweepSlot();
    if (slot < m_sessions.size() && m_sessions[slot].lock().get() == &session) remove(slot);
}

void IdleSweep::remove(std::size_t slot) {
    if (slot + 1 != m_sessions.size()) {
        m_sessions[slot] = std::move(m_sessions.back());
        if (const SessionPtr moved = m_sessions[slot].lock()) moved->setSweepSlot(static_cast<std::uint32_t>(slot));
    }
    m_sessions.pop_back();
}

void IdleSweep::sweep() {
    const std::uint64_t now = m_clock.steadyMs();
    std::vector<SessionPtr> idle;
    for (std::size_t i = 0; i < m_sessions.size();) {
        SessionPtr session = m_sessions[i].lock();
        if (!session) {  // ended without onClose() (its loop stopped): drop the slot
            remove(i);
            continue;
        }
        if (session->timedOut(now)) idle.push_back(std::move(session));
        ++i;
    }
    // Closing may call back into unwatch(): not while walking the list.
    for (const SessionPtr& session : idle) session->closeTimedOut(now);
    // What bursts since the last sweep freed goes back to the system (glibc keeps it
    // otherwise, and every later small allocation may touch it again): once per period
    // for the whole process, however many loops sweep.
    m_memory.release(static_cast<std::uint64_t>(m_checkEvery.count()));
}

}  // namespace parley::server
