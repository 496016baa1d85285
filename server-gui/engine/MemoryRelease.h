#pragma once
// Giving freed heap back to the system (net::releaseFreeMemory, malloc_trim on glibc).
//
// FreeMemory is the process's one trimmer (ServerCore::freeMemory): malloc_trim walks every
// arena of the process, so N loops asking in one period need one trim, not N. A request
// says how recent a trim (by anyone) serves it; the others' requests are already served.
//
// BurstRelease is a loop's side: after a burst of logins (presence, CONTACTS pages, posted
// work) the allocator keeps most of what was freed; once the loop has seen no login for
// kEvery it asks FreeMemory, and again every kEvery for kPasses passes (ten seconds): most
// is freed only later, as clients read the burst's output. The timer is armed by logins
// only, so an idle server does not wake up for it.
//
// Threading: FreeMemory from any thread; BurstRelease on its loop's thread only.

#include "platform/Reactor.h"
#include "server-gui/engine/Clock.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

namespace parley::server {

class FreeMemory {
public:
    /// `release` does the work (net::releaseFreeMemory; tests count calls instead).
    explicit FreeMemory(const Clock& clock, std::function<void()> release = {});

    /// Trims now unless a trim (asked for by any thread) ran less than `servedWithinMs`
    /// ago; true if this call trimmed.
    bool release(std::uint64_t servedWithinMs);

private:
    const Clock& m_clock;
    std::function<void()> m_release;
    std::atomic<std::uint64_t> m_lastMs{0};
    std::atomic<bool> m_any{false};
};

class BurstRelease {
public:
    static constexpr std::chrono::milliseconds kEvery{250};
    static constexpr int kPasses = 40;  ///< 10 s of passes after the last login

    BurstRelease(net::Reactor& loop, FreeMemory& memory) : m_loop(loop), m_memory(memory) {}

    /// A session on this loop logged in.
    void noteLogin();

private:
    void releaseIfQuiet();

    net::Reactor& m_loop;
    FreeMemory& m_memory;
    std::uint64_t m_logins = 0;      ///< since the last release
    std::uint64_t m_loginsSeen = 0;  ///< m_logins at the previous check
    bool m_armed = false;
    int m_passesLeft = 0;  ///< passes still due after the burst ended
};

}  // namespace parley::server
