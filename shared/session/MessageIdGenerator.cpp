#include "shared/session/MessageIdGenerator.h"

#include <algorithm>
#include <limits>

namespace parley::session {

MessageId MessageIdGenerator::next(std::uint64_t wallClockMs) {
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    // Saturate instead of wrapping: a wrapped product would restart ids near
    // zero. No real clock gets there (the product overflows in year ~570000).
    const MessageId fromClock = wallClockMs > kMax / kIdsPerMillisecond ? kMax : wallClockMs * kIdsPerMillisecond;
    const MessageId afterLast = m_last == kMax ? kMax : m_last + 1;
    m_last = std::max(afterLast, fromClock);
    return m_last;
}

void MessageIdGenerator::observe(MessageId id) { m_last = std::max(m_last, id); }

}  // namespace parley::session
