#pragma once
// The CONTACTS list of one session, sent page by page as its socket takes them
// (docs/protocol.md 9.3): a list of 10,000 users is ~300 KB, which would
// otherwise sit in the output buffer of every session logging in.
//
// Each entry's presence is read when its page is built, so with the PRESENCE
// frames sent meanwhile the client's list stays right. Allocated while
// paging; an idle session holds one null pointer. No sockets: Session asks for
// the next page when its output is small. Not thread-safe (the session's loop).

#include "server-gui/engine/UserDirectory.h"
#include "shared/proto/Messages.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace parley::server {

class ContactsPager {
public:
    /// Entries per CONTACTS frame: ~8 KB, far below kMaxPayload.
    static constexpr std::size_t kPageEntries = 256;

    ContactsPager();
    ~ContactsPager();
    ContactsPager(ContactsPager&&) noexcept;
    ContactsPager& operator=(ContactsPager&&) noexcept;

    /// Entries per CONTACT_STATES frame: ~20 KB.
    static constexpr std::size_t kStatesPageEntries = 4096;

    /// Starts the list over `users` for `self` (never listed). A new query
    /// restarts it; the client keeps the last complete one. With `version`, the
    /// last page carries it (a client that keeps its list, protocol 9.13).
    void start(UserDirectory::Snapshot users, proto::UserId self, std::optional<std::uint64_t> version = {});
    /// Starts CONTACT_STATES instead: the client holds this list already, so only the
    /// users who are not offline are named, by id.
    void startStates(UserDirectory::Snapshot users, proto::UserId self);
    /// Pages are still due (the last one is not built yet).
    bool active() const { return m_cursor != nullptr; }
    /// The pages due are CONTACT_STATES (nextStatesPage), not CONTACTS.
    bool statesOnly() const { return m_cursor != nullptr && m_cursor->statesOnly; }
    /// Fills `page` (cleared by the caller) with the next entries and sets its
    /// `last` flag; false, and `page` untouched, if no page is due.
    bool nextPage(proto::Contacts& page, const std::function<bool(proto::UserId)>& isOnline);
    /// As nextPage, for statesOnly().
    bool nextStatesPage(proto::ContactStates& page, const std::function<bool(proto::UserId)>& isOnline);

private:
    struct Cursor {
        UserDirectory::Snapshot users;
        proto::UserId self = 0;
        std::size_t next = 0;
        std::optional<std::uint64_t> version;
        bool statesOnly = false;
    };
    std::unique_ptr<Cursor> m_cursor;
};

}  // namespace parley::server
