#include "server-gui/engine/ContactsPager.h"

namespace parley::server {

ContactsPager::ContactsPager() = default;
ContactsPager::~ContactsPager() = default;
ContactsPager::ContactsPager(ContactsPager&&) noexcept = default;
ContactsPager& ContactsPager::operator=(ContactsPager&&) noexcept = default;

void ContactsPager::start(UserDirectory::Snapshot users, proto::UserId self, std::optional<std::uint64_t> version) {
    m_cursor = std::make_unique<Cursor>(Cursor{std::move(users), self, 0, version, false});
}

void ContactsPager::startStates(UserDirectory::Snapshot users, proto::UserId self) {
    m_cursor = std::make_unique<Cursor>(Cursor{std::move(users), self, 0, std::nullopt, true});
}

bool ContactsPager::nextPage(proto::Contacts& page, const std::function<bool(proto::UserId)>& isOnline) {
    if (!m_cursor || m_cursor->statesOnly) return false;
    const std::vector<UserEntry>& users = *m_cursor->users;
    std::size_t& i = m_cursor->next;
    for (; i < users.size() && page.contacts.size() < kPageEntries; ++i) {
        const UserEntry& user = users[i];
        if (user.id == m_cursor->self) continue;  // protocol: every user except the receiver
        const auto state = isOnline(user.id) ? proto::PresenceState::Online : proto::PresenceState::Offline;
        page.contacts.push_back({user.id, state, user.username, user.displayName});
    }
    page.last = i >= users.size();
    if (page.last) {
        page.version = m_cursor->version;
        m_cursor.reset();
    }
    return true;
}

bool ContactsPager::nextStatesPage(proto::ContactStates& page, const std::function<bool(proto::UserId)>& isOnline) {
    if (!m_cursor || !m_cursor->statesOnly) return false;
    const std::vector<UserEntry>& users = *m_cursor->users;
    std::size_t& i = m_cursor->next;
    for (; i < users.size() && page.states.size() < kStatesPageEntries; ++i) {
        const proto::UserId id = users[i].id;
        if (id != m_cursor->self && isOnline(id)) page.states.push_back({id, proto::PresenceState::Online});
    }
    page.last = i >= users.size();
    if (page.last) m_cursor.reset();
    return true;
}

}  // namespace parley::server
