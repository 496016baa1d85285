#include "server-gui/engine/MemoryRelease.h"

#include "platform/Memory.h"

#include <utility>

namespace parley::server {

FreeMemory::FreeMemory(const Clock& clock, std::function<void()> release)
    : m_clock(clock), m_release(release ? std::move(release) : std::function<void()>(&net::releaseFreeMemory)) {}

bool FreeMemory::release(std::uint64_t servedWithinMs) {
    const std::uint64_t now = m_clock.steadyMs();
    std::uint64_t last = m_lastMs.load();
    // The first trim, or the last one is too old: whoever wins the exchange trims, once.
    if (m_any.load() && now - last < servedWithinMs) return false;
    if (!m_lastMs.compare_exchange_strong(last, now)) return false;
    m_any.store(true);
    m_release();
    return true;
}

void BurstRelease::noteLogin() {
    ++m_logins;
    if (m_armed) return;
    m_armed = true;
    m_loginsSeen = m_logins;
    m_passesLeft = kPasses;
    // `this` outlives the timer: the Reactor drops its timers when its loop finishes,
    // and destroys its context (the SessionLoop that holds this) only after that.
    m_loop.runAfter(kEvery, [this] { releaseIfQuiet(); });
}

void BurstRelease::releaseIfQuiet() {
    if (m_logins != m_loginsSeen) {  // still logging users in: memory would be reused at once
        m_loginsSeen = m_logins;
        m_passesLeft = kPasses;
    } else {
        m_memory.release(static_cast<std::uint64_t>(kEvery.count()));
        --m_passesLeft;
    }
    if (m_passesLeft <= 0) {
        m_armed = false;
        return;
    }
    m_loop.runAfter(kEvery, [this] { releaseIfQuiet(); });
}

}  // namespace parley::server
