#pragma once
// The wall clock read once per loop iteration (SessionLoop's clock cache): CHAT timestamps
// have millisecond resolution, and a relay burst of one iteration needs one reading, not
// one per message. Keyed on Reactor::iterations(), which counts the loop's passes.
//
// Threading: the owning loop's thread only.

#include "platform/Reactor.h"
#include "server-gui/engine/Clock.h"

#include <cstdint>

namespace parley::server {

class IterationClock {
public:
    IterationClock(const net::Reactor& loop, const Clock& clock) : m_loop(loop), m_clock(clock) {}

    /// Clock::wallMs() as first read in this iteration of the loop.
    std::uint64_t wallMs() {
        if (const std::uint64_t iteration = m_loop.iterations(); iteration != m_iteration) {
            m_iteration = iteration;
            m_wallMs = m_clock.wallMs();
        }
        return m_wallMs;
    }

private:
    const net::Reactor& m_loop;
    const Clock& m_clock;
    std::uint64_t m_iteration = ~std::uint64_t{0};
    std::uint64_t m_wallMs = 0;
};

}  // namespace parley::server
