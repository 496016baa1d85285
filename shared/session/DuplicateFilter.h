#pragma once
// Receiver-side deduplication by (sender, message id).

#include "shared/session/SessionTypes.h"

#include <cstddef>
#include <deque>
#include <unordered_map>

namespace parley::session {

/// Remembers which (sender, id) pairs were already received, in bounded
/// memory per sender.
///
/// Per sender it keeps the `window` highest ids received (sorted) and a
/// floor: the highest id that fell out of that window. An id is a duplicate
/// if it is in the window or not above the floor.
///
/// Why not only "highest id seen": ids from one sender increase, and the
/// server keeps per-sender order, so a watermark alone would catch every
/// re-send and every re-delivered offline queue. But it would also silently
/// drop a genuinely new message whose id is lower than one already seen,
/// which happens when the sender moves to a device whose clock is behind
/// (ids are clock based). The window accepts such a message as long as it is
/// newer than the last `window` messages from that sender, and the floor
/// still catches re-deliveries of any length below the window.
///
/// Memory: 8 bytes per remembered id, `window` ids per sender at most. Lives
/// as long as the session object (not persisted). Value type; not thread-safe.
class DuplicateFilter {
public:
    static constexpr std::size_t kDefaultWindow = 256;

    explicit DuplicateFilter(std::size_t window = kDefaultWindow);

    /// True if (sender, id) was not seen before; it is remembered. False for
    /// a duplicate.
    bool accept(UserId sender, MessageId id);

    /// Forgets (sender, id), so that it is accepted again: the host could not
    /// keep it. An id already below the floor lowers the floor under it (older
    /// ids may then pass once more: a host that stores dedupes them itself).
    void forget(UserId sender, MessageId id);

    /// Forgets every sender (another account logged in).
    void clear() { m_senders.clear(); }

    /// Number of senders remembered.
    std::size_t senders() const { return m_senders.size(); }

private:
    struct SenderWindow {
        std::deque<MessageId> recent;  ///< ascending, at most m_window entries
        MessageId floor = 0;           ///< valid when hasFloor
        bool hasFloor = false;
    };

    std::size_t m_window;
    std::unordered_map<UserId, SenderWindow> m_senders;
};

}  // namespace parley::session
