#pragma once
// Every account the server knows: id, username, display name. Loaded from the
// store at start and kept current on each registration, so that CONTACTS and
// PRESENCE are built without a database round trip per login.
//
// Thread-safe: read on every I/O loop, written by registrations.

#include "shared/proto/Header.h"

#include <cstddef>
#include <cstdint>
#include <memory>
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
    using Snapshot = std::shared_ptr<const std::vector<UserEntry>>;

    /// Adds or replaces a user (nothing changes if it is already there as given).
    void put(UserEntry user);
    std::optional<UserEntry> find(proto::UserId id) const;
    bool contains(proto::UserId id) const;
    /// The user's name, or empty if unknown.
    std::string username(proto::UserId id) const;
    /// All users ordered by id: an immutable list shared by every caller until
    /// the next change, so a login storm sorts and copies the directory once,
    /// not once per login. Never null.
    Snapshot snapshot() const;
    /// The snapshot and its version, read together: a fingerprint of every id and name
    /// (never 0), equal across restarts while no account is added or renamed, so that a
    /// client holding the list of that version needs only the states (protocol 9.13).
    struct Listing {
        Snapshot users;
        std::uint64_t version = 0;
    };
    Listing listing() const;
    std::size_t size() const;

private:
    mutable std::shared_mutex m_mutex;  // guards both members
    std::unordered_map<proto::UserId, UserEntry> m_users;
    mutable Snapshot m_sorted;            ///< null after a change: rebuilt by the next snapshot()
    mutable std::uint64_t m_version = 0;  ///< of m_sorted
};

}  // namespace parley::server
