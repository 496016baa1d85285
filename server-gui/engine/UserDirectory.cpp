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

namespace {

// FNV-1a, 64 bits: it tells a changed list from an unchanged one (an accidental match of
// two different lists is a 2^-64 chance); nothing here is secret.
class Fingerprint {
public:
    void add(const void* data, std::size_t size) {
        for (const auto* p = static_cast<const unsigned char*>(data); size-- != 0; ++p) {
            m_value = (m_value ^ *p) * 0x100000001b3ULL;
        }
    }
    void add(const std::string& text) { add(text.data(), text.size() + 1); }  // with the NUL: "ab"+"c" ≠ "a"+"bc"
    std::uint64_t value() const { return m_value == 0 ? 1 : m_value; }

private:
    std::uint64_t m_value = 0xcbf29ce484222325ULL;
};

std::uint64_t versionOf(const std::vector<UserEntry>& users) {
    Fingerprint fingerprint;
    for (const UserEntry& user : users) {
        const unsigned char id[4] = {static_cast<unsigned char>(user.id), static_cast<unsigned char>(user.id >> 8),
                                     static_cast<unsigned char>(user.id >> 16),
                                     static_cast<unsigned char>(user.id >> 24)};
        fingerprint.add(id, sizeof id);
        fingerprint.add(user.username);
        fingerprint.add(user.displayName);
    }
    return fingerprint.value();
}

}  // namespace

UserDirectory::Snapshot UserDirectory::snapshot() const { return listing().users; }

UserDirectory::Listing UserDirectory::listing() const {
    {
        std::shared_lock<std::shared_mutex> lock(m_mutex);
        if (m_sorted) return {m_sorted, m_version};
    }
    std::unique_lock<std::shared_mutex> lock(m_mutex);
    if (m_sorted) return {m_sorted, m_version};  // another reader rebuilt it meanwhile
    auto users = std::make_shared<std::vector<UserEntry>>();
    users->reserve(m_users.size());
    for (const auto& entry : m_users) users->push_back(entry.second);
    std::sort(users->begin(), users->end(), [](const UserEntry& a, const UserEntry& b) { return a.id < b.id; });
    m_version = versionOf(*users);
    m_sorted = std::move(users);
    return {m_sorted, m_version};
}

std::size_t UserDirectory::size() const {
    std::shared_lock<std::shared_mutex> lock(m_mutex);
    return m_users.size();
}

}  // namespace parley::server
