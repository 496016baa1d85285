#pragma once
// Liveness of the connection: the client's PINGs, and the silence from the server.

#include "shared/session/SessionTypes.h"

#include <cstdint>

namespace parley::session {

/// Decides when to PING and when to give up, from the times the host feeds
/// in (docs/protocol.md 9.6):
///
///   nothing sent for kPingIntervalMs       -> SendPing, again every kPingIntervalMs
///   nothing received for kDeadAfterMs      -> Dead (once per connection)
///
/// The PING follows what the client *sent*, not what it received: the server
/// cuts a connection it has heard nothing from for 60 s, so a client that only
/// receives (PRESENCE of a busy organisation) must still speak every 15 s. Any
/// bytes from the server count as life (a PONG, but also a CHAT or half a frame).
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

    Keepalive(std::uint64_t pingIntervalMs = kPingIntervalMs, std::uint64_t deadAfterMs = kDeadAfterMs);

    /// A connection opened at `nowMs`: the silence starts.
    void reset(std::uint64_t nowMs);
    /// Bytes arrived from the server.
    void onReceived(std::uint64_t nowMs);
    /// A frame was sent to the server.
    void onSent(std::uint64_t nowMs);
    /// What to do at `nowMs`. Returns SendPing at most once per interval and
    /// Dead once; after Dead, None until reset().
    Action poll(std::uint64_t nowMs);
    /// The next time poll() can return something other than None.
    std::uint64_t nextDeadlineMs() const;

private:
    std::uint64_t m_pingIntervalMs;
    std::uint64_t m_deadAfterMs;
    std::uint64_t m_lastReceivedMs = 0;
    std::uint64_t m_lastSentMs = 0;
    bool m_dead = false;
};

}  // namespace parley::session
