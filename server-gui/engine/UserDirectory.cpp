#include "server-gui/engine/UserDirectory.h"

#include <algorithm>
#include <mutex>

namespace parley::server {

void UserDirectory::put(UserEntry user) {
    std::unique_lock<std::shared_mutex> lock(m_mutex);
    UserEntry& entry = m_users[user.id];
    // Every login puts its user again: unchanged, it must not cost a rebuild.
    if (entry.id == user.id && entry.username == user.username && entry.displayName == user.displayName) return;
    entry = std::move(user);
    m_sorted.reset();
}

std::optional<UserEntry> UserDirectory::find(proto::UserId id) const {
    std::shared_lock<std::shared_mutex> lock(m_mutex);
    auto it = m_users.find(id);
    if (it == m_users.end()) return std::nullopt;
    return it->second;
}

bool UserDirectory::contains(proto::UserId id) const {
    std::shared_lock<std::shared_mutex> lock(m_mutex);
    return m_users.count(id) != 0;
}

std::string UserDirectory::username(proto::UserId id) const {
    std::shared_lock<std::shared_mutex> lock(m_mutex);
    auto it = m_users.find(id);
    return it == m_users.end() ? std::string() : it->second.username;
}

UserDirectory::Snapshot UserDirectory::snapshot() const {
    {
        std::shared_lock<std::shared_mutex> lock(m_mutex);
        if (m_sorted) return m_sorted;
    }
    std::unique_lock<std::shared_mutex> lock(m_mutex);
    if (m_sorted) return m_sorted;  // another reader rebuilt it meanwhile
    auto users = std::make_shared<std::vector<UserEntry>>();
    users->reserve(m_users.size());
    for (const auto& entry : m_users) users->push_back(entry.second);
    std::sort(users->begin(), users->end(), [](const UserEntry& a, const UserEntry& b) { return a.id < b.id; });
    m_sorted = std::move(users);
    return m_sorted;
}

std::size_t UserDirectory::size() const {
    std::shared_lock<std::shared_mutex> lock(m_mutex);
    return m_users.size();
}

}  // namespace parley::server
