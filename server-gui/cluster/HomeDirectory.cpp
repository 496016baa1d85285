#include "server-gui/cluster/HomeDirectory.h"

namespace parley::cluster {

bool HomeDirectory::online(std::uint32_t user, const std::string& node, std::uint64_t generation) {
    Entry& entry = m_entries[user];
    const bool known = !entry.home.node.empty();
    const bool back = entry.cutOff && generation == entry.home.generation && node == entry.home.node;
    if (known && generation <= entry.home.generation && !back) {
        return false;  // older news, a repeat, or a login whose Offline overtook its Online
    }
    const bool wasOnline = entry.online;
    entry.home = Home{node, generation};
    entry.online = true;
    entry.cutOff = false;
    m_online += wasOnline ? 0 : 1;
    return !wasOnline;
}

bool HomeDirectory::offline(std::uint32_t user, const std::string& node, std::uint64_t generation) {
    Entry& entry = m_entries[user];
    const bool known = !entry.home.node.empty();
    if (known && (generation < entry.home.generation || (generation == entry.home.generation && !entry.online))) {
        return false;  // a newer login superseded that session, or a repeat
    }
    // The end of the current login, or of a newer one whose Online has not arrived yet (it
    // overtook it): its generation is kept, so that the late Online changes nothing.
    const bool wasOnline = entry.online;
    entry.home = Home{node, generation};
    entry.online = false;
    entry.cutOff = false;
    m_online -= wasOnline ? 1 : 0;
    return wasOnline;
}

std::vector<std::uint32_t> HomeDirectory::nodeLeft(const std::string& node) {
    std::vector<std::uint32_t> gone;
    for (auto& [user, entry] : m_entries) {
        if (entry.online && entry.home.node == node) {
            entry.online = false;
            entry.cutOff = true;
            --m_online;
            gone.push_back(user);
        }
    }
    return gone;
}

std::vector<std::pair<std::uint32_t, std::uint64_t>> HomeDirectory::onlineAt(const std::string& node) const {
    std::vector<std::pair<std::uint32_t, std::uint64_t>> users;
    for (const auto& [user, entry] : m_entries) {
        if (entry.online && entry.home.node == node) users.emplace_back(user, entry.home.generation);
    }
    return users;
}

std::map<std::string, std::size_t> HomeDirectory::onlineByNode() const {
    std::map<std::string, std::size_t> counts;
    for (const auto& [user, entry] : m_entries) {
        if (entry.online) ++counts[entry.home.node];
    }
    return counts;
}

std::optional<Home> HomeDirectory::homeOf(std::uint32_t user) const {
    const auto found = m_entries.find(user);
    if (found == m_entries.end() || !found->second.online) {
        return std::nullopt;
    }
    return found->second.home;
}

std::uint64_t HomeDirectory::generationOf(std::uint32_t user) const {
    const auto found = m_entries.find(user);
    return found == m_entries.end() ? 0 : found->second.home.generation;
}

}  // namespace parley::cluster
