#include "server-gui/engine/UserDirectory.h"

#include <algorithm>
#include <mutex>

namespace parley::server {

void UserDirectory::put(UserEntry user) {
    std::unique_lock<std::shared_mutex> lock(m_mutex);
    const proto::UserId id = user.id;
    m_users[id] = std::move(user);
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

std::vector<UserEntry> UserDirectory::snapshot() const {
    std::vector<UserEntry> users;
    {
        std::shared_lock<std::shared_mutex> lock(m_mutex);
        users.reserve(m_users.size());
        for (const auto& entry : m_users) users.push_back(entry.second);
    }
    std::sort(users.begin(), users.end(),
              [](const UserEntry& a, const UserEntry& b) { return a.id < b.id; });
    return users;
}

std::size_t UserDirectory::size() const {
    std::shared_lock<std::shared_mutex> lock(m_mutex);
    return m_users.size();
}

}  // namespace parley::server
