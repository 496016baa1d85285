#pragma once
// Every account the server knows: id, username, display name. Loaded from the
// store at start and kept current on each registration, so that CONTACTS and
// PRESENCE are built without a database round trip per login.
//
// Thread-safe: read on every I/O loop, written by registrations.

#include "shared/proto/Header.h"

#include <cstddef>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace parley::server {

struct UserEntry {
    proto::UserId id = 0;
    std::string username;
    std::string displayName;
};

class UserDirectory {
public:
    /// Adds or replaces a user.
    void put(UserEntry user);
    std::optional<UserEntry> find(proto::UserId id) const;
    bool contains(proto::UserId id) const;
    /// All users ordered by id.
    std::vector<UserEntry> snapshot() const;
    std::size_t size() const;

private:
    mutable std::shared_mutex m_mutex;
    std::unordered_map<proto::UserId, UserEntry> m_users;
};

}  // namespace parley::server
