#include "shared/session/Backoff.h"

#include <algorithm>
#include <memory>
#include <utility>

namespace parley::session {

Backoff::Backoff(std::uint64_t firstMs, std::uint64_t maxMs, RandomSource random)
    : m_firstMs(std::max<std::uint64_t>(firstMs, 1)), m_maxMs(std::max(maxMs, m_firstMs)), m_random(std::move(random)) {
    if (!m_random) {
        // Owned by this object (shared by its copies): no global generator.
        auto engine = std::make_shared<std::minstd_rand>(std::random_device{}());
        m_random = [engine] { return static_cast<std::uint32_t>((*engine)()); };
    }
}

std::uint64_t Backoff::nextDelayMs() {
    std::uint64_t base = m_firstMs;
    for (unsigned i = 0; i < m_attempts && base < m_maxMs; ++i) {
        base *= 2;
    }
    base = std::min(base, m_maxMs);
    ++m_attempts;
    const std::uint64_t half = base / 2;
    return half + m_random() % (base - half + 1);
}

}  // namespace parley::session
