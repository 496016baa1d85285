#pragma once
// The users the server reported, with their presence.

#include "shared/proto/Messages.h"
#include "shared/session/SessionTypes.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace parley::session {

/// Every known user by id, kept in id order. Value type; not thread-safe.
class ContactList {
public:
    using Map = std::map<UserId, proto::Contact>;

    /// Replaces the whole list (a complete CONTACTS sequence).
    void replace(const std::vector<proto::Contact>& contacts);
    /// Inserts a new user or updates a known one (PRESENCE).
    void upsert(const proto::Contact& contact);
    /// A known user's new state (CONTACT_STATES, PRESENCE_STATES); false if the id is unknown.
    bool setState(UserId id, proto::PresenceState state);
    /// Every user Offline: the start of a CONTACT_STATES answer, which names the others.
    void markAllOffline();
    void clear() { m_contacts.clear(); }

    /// nullptr if unknown. The pointer is valid until the list changes.
    const proto::Contact* find(UserId id) const;
    /// Exact (case-sensitive) username match; nullptr if none. O(n): meant for
    /// user input such as the CLI's "send bob ...".
    const proto::Contact* findByUsername(const std::string& username) const;

    std::size_t size() const { return m_contacts.size(); }
    bool empty() const { return m_contacts.empty(); }
    std::size_t onlineCount() const;

    /// Iteration in id order over pairs (id, Contact).
    Map::const_iterator begin() const { return m_contacts.begin(); }
    Map::const_iterator end() const { return m_contacts.end(); }

private:
    Map m_contacts;
};

}  // namespace parley::session
