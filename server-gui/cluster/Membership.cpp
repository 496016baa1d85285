#include "server-gui/cluster/Membership.h"

#include <utility>

namespace parley::cluster {

Membership::Membership(std::string self, std::uint64_t selfInstance, std::uint16_t schemaVersion,
                       MembershipLimits limits)
    : m_self(std::move(self)), m_selfInstance(selfInstance), m_schemaVersion(schemaVersion), m_limits(limits) {}

Membership::Heard Membership::heard(const EnvelopeHead& head, std::uint64_t nowMs) {
    if (head.node == m_self) {
        return head.instance == m_selfInstance ? Heard::Self : Heard::SameName;
    }
    if (head.schemaVersion != m_schemaVersion) {
        return Heard::SchemaMismatch;
    }
    const std::int64_t offset = static_cast<std::int64_t>(head.sentAtMs - nowMs);
    if (offset > m_limits.maxClockOffsetMs || offset < -m_limits.maxClockOffsetMs) {
        return Heard::ClockSkew;
    }
    Member& member = m_members[head.node];
    Heard result = Heard::Alive;
    if (member.node.empty() || !member.alive) {
        result = Heard::Joined;
    } else if (member.instance != head.instance) {
        result = Heard::Restarted;
    }
    member.node = head.node;
    member.instance = head.instance;
    member.schemaVersion = head.schemaVersion;
    member.lastHeardMs = nowMs;
    member.clockOffsetMs = offset;
    member.alive = true;
    return result;
}

std::vector<std::string> Membership::poll(std::uint64_t nowMs) {
    std::vector<std::string> dead;
    for (auto& [node, member] : m_members) {
        if (member.alive && nowMs - member.lastHeardMs >= m_limits.deadAfterMs) {
            member.alive = false;
            dead.push_back(node);
        }
    }
    return dead;
}

std::vector<Member> Membership::members() const {
    std::vector<Member> all;
    all.reserve(m_members.size());
    for (const auto& [node, member] : m_members) {
        all.push_back(member);
    }
    return all;
}

std::size_t Membership::aliveCount() const {
    std::size_t alive = 0;
    for (const auto& [node, member] : m_members) {
        alive += member.alive ? 1 : 0;
    }
    return alive;
}

bool Membership::isAlive(const std::string& node) const {
    const auto found = m_members.find(node);
    return found != m_members.end() && found->second.alive;
}

}  // namespace parley::cluster
