#include "server-gui/engine/LoginTimes.h"

#include <algorithm>

namespace parley::server {

bool LoginTimes::add(db::UserId user, std::int64_t atMs) {
    std::lock_guard<std::mutex> lock(m_mutex);
    std::int64_t& at = m_pending[user];
    at = std::max(at, atMs);
    if (m_jobQueued) return false;
    m_jobQueued = true;
    return true;
}

std::vector<db::LoginTime> LoginTimes::take() {
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<db::LoginTime> batch;
    batch.reserve(m_pending.size());
    for (const auto& [user, at] : m_pending) batch.push_back({user, at});
    m_pending.clear();
    m_jobQueued = false;
    return batch;
}

}  // namespace parley::server
