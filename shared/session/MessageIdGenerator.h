#pragma once
// Client-generated message ids.

#include "shared/session/SessionTypes.h"

#include <cstdint>

namespace parley::session {

/// Produces strictly increasing message ids for one sender:
///
///     id = max(last + 1, wallClockMs * 1024)
///
/// The clock term makes ids survive a client restart without persisting
/// anything (a restarted client starts above every id it used before, as long
/// as it sent fewer than 1024 messages per millisecond); the `last + 1` term
/// keeps ids increasing when the clock stands still or goes backwards.
/// Receivers and the server deduplicate by (sender, id), so an id must never
/// be reused. Value type; not thread-safe.
class MessageIdGenerator {
public:
    static constexpr std::uint64_t kIdsPerMillisecond = 1024;

    /// The next id. `wallClockMs`: milliseconds since the Unix epoch.
    MessageId next(std::uint64_t wallClockMs);

    /// Raises the floor so every later id is above `id` (e.g. the highest id
    /// found in stored history). Lower values are ignored.
    void observe(MessageId id);

    /// The last id handed out or observed; 0 at first.
    MessageId last() const { return m_last; }

private:
    MessageId m_last = 0;
};

}  // namespace parley::session
