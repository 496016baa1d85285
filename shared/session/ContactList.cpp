#include "shared/session/ContactList.h"

#include <algorithm>

namespace parley::session {

void ContactList::replace(const std::vector<proto::Contact>& contacts) {
    m_contacts.clear();
    for (const proto::Contact& c : contacts) {
        m_contacts[c.userId] = c;
    }
}

void ContactList::upsert(const proto::Contact& contact) { m_contacts[contact.userId] = contact; }

bool ContactList::setState(UserId id, proto::PresenceState state) {
    const auto found = m_contacts.find(id);
    if (found == m_contacts.end()) return false;
    found->second.state = state;
    return true;
}

void ContactList::markAllOffline() {
    for (auto& entry : m_contacts) entry.second.state = proto::PresenceState::Offline;
}

const proto::Contact* ContactList::find(UserId id) const {
    const auto found = m_contacts.find(id);
    return found == m_contacts.end() ? nullptr : &found->second;
}

const proto::Contact* ContactList::findByUsername(const std::string& username) const {
    for (const auto& entry : m_contacts) {
        if (entry.second.username == username) {
            return &entry.second;
        }
    }
    return nullptr;
}

std::size_t ContactList::onlineCount() const {
    return static_cast<std::size_t>(
        std::count_if(m_contacts.begin(), m_contacts.end(),
                      [](const Map::value_type& entry) { return entry.second.state == proto::PresenceState::Online; }));
}

}  // namespace parley::session
