#pragma once
// Who else is in the cluster, as this node hears it (docs/cluster-design.md §4): every node
// publishes a Sync heartbeat; a member is alive while it is heard, dead after deadAfterMs of
// silence, and dead at once when a new instance speaks under its name (a restart: its links
// reset). What must not join is told apart: our own name from another process (two nodes with
// one name), another schema version, a clock too far off. Sans-IO: times are the caller's
// wall clock; no threads (the caller holds the lock).

#include "server-gui/cluster/Envelope.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace parley::cluster {

struct MembershipLimits {
    std::uint64_t deadAfterMs = 3'000;
    std::int64_t maxClockOffsetMs = 30'000;
};

struct Member {
    std::string node;
    std::uint64_t instance = 0;
    std::uint16_t schemaVersion = 0;
    std::uint64_t lastHeardMs = 0;  ///< our clock
    /// Its clock minus ours at the last heartbeat (transit time included: a few ms).
    std::int64_t clockOffsetMs = 0;
    bool alive = false;
};

class Membership {
public:
    Membership(std::string self, std::uint64_t selfInstance, std::uint16_t schemaVersion, MembershipLimits limits = {});

    enum class Heard {
        Joined,          ///< a member we did not know, or one back after it was declared dead
        Alive,           ///< a known member, still there
        Restarted,       ///< a new instance under a known name: the old one is dead (reset its links)
        Self,            ///< our own heartbeat coming back: nothing to do
        SameName,        ///< another process uses our name: one of us must not run
        SchemaMismatch,  ///< another database schema version: not a member (an upgrade stops every node)
        ClockSkew,       ///< its clock is more than maxClockOffsetMs off: not a member
    };
    /// A Sync envelope's head arrived (any kind is read the same way: every envelope says
    /// its sender is alive).
    Heard heard(const EnvelopeHead& head, std::uint64_t nowMs);

    /// Members silent for deadAfterMs are declared dead now: their names, once each.
    std::vector<std::string> poll(std::uint64_t nowMs);

    std::vector<Member> members() const;
    std::size_t aliveCount() const;
    bool isAlive(const std::string& node) const;

private:
    std::string m_self;
    std::uint64_t m_selfInstance;
    std::uint16_t m_schemaVersion;
    MembershipLimits m_limits;
    std::map<std::string, Member> m_members;  ///< by node name, the dead ones kept (the operator sees them)
};

}  // namespace parley::cluster
