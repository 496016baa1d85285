#include "shared/session/DuplicateFilter.h"

#include <algorithm>

namespace parley::session {

DuplicateFilter::DuplicateFilter(std::size_t window) : m_window(std::max<std::size_t>(window, 1)) {}

bool DuplicateFilter::accept(UserId sender, MessageId id) {
    SenderWindow& w = m_senders[sender];
    if (w.hasFloor && id <= w.floor) {
        return false;
    }
    // Ids usually arrive in increasing order: the search ends at the back.
    const auto pos = std::lower_bound(w.recent.begin(), w.recent.end(), id);
    if (pos != w.recent.end() && *pos == id) {
        return false;
    }
    w.recent.insert(pos, id);
    if (w.recent.size() > m_window) {
        w.floor = w.recent.front();
        w.hasFloor = true;
        w.recent.pop_front();
    }
    return true;
}

void DuplicateFilter::forget(UserId sender, MessageId id) {
    const auto found = m_senders.find(sender);
    if (found == m_senders.end()) {
        return;
    }
    SenderWindow& w = found->second;
    const auto pos = std::lower_bound(w.recent.begin(), w.recent.end(), id);
    if (pos != w.recent.end() && *pos == id) {
        w.recent.erase(pos);
    } else if (w.hasFloor && id <= w.floor) {
        w.hasFloor = id > 0;  // id 0: no floor at all rather than one that wraps
        w.floor = id > 0 ? id - 1 : 0;
    }
}

}  // namespace parley::session
