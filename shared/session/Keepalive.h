#pragma once
// Liveness of the connection, judged by the silence from the server.

#include "shared/session/SessionTypes.h"

#include <cstdint>

namespace parley::session {

/// Decides when to PING and when to give up, from the times the host feeds
/// in. Any bytes from the server count as life (a PONG, but also a CHAT or
/// half a frame).
///
///   silence >= kPingIntervalMs      -> SendPing, again every kPingIntervalMs
///   silence >= kDeadAfterMs         -> Dead (once per connection)
///
/// Times are from any millisecond clock that does not jump (steady_clock);
/// a clock that goes backwards restarts the silence from that point instead
/// of stalling the keepalive. Value type; not thread-safe.
class Keepalive {
public:
    enum class Action {
        None,
        SendPing,
        Dead,
    };

    Keepalive(std::uint64_t pingIntervalMs = kPingIntervalMs,
              std::uint64_t deadAfterMs = kDeadAfterMs);

    /// A connection opened at `nowMs`: the silence starts.
    void reset(std::uint64_t nowMs);
    /// Bytes arrived from the server.
    void onReceived(std::uint64_t nowMs);
    /// What to do at `nowMs`. Returns SendPing at most once per interval and
    /// Dead once; after Dead, None until reset().
    Action poll(std::uint64_t nowMs);
    /// The next time poll() can return something other than None.
    std::uint64_t nextDeadlineMs() const;

private:
    std::uint64_t m_pingIntervalMs;
    std::uint64_t m_deadAfterMs;
    std::uint64_t m_lastReceivedMs = 0;
    std::uint64_t m_lastPingMs = 0;  ///< equals m_lastReceivedMs when no PING since
    bool m_dead = false;
};

}  // namespace parley::session
