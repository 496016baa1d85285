#include "server-gui/engine/Inbox.h"

#include <algorithm>

namespace parley::server {

Inbox::Inbox() = default;
Inbox::~Inbox() = default;
Inbox::Inbox(Inbox&&) noexcept = default;
Inbox& Inbox::operator=(Inbox&&) noexcept = default;

Inbox::Unacked& Inbox::unacked() {
    if (!m_unacked) m_unacked = std::make_unique<Unacked>();
    return *m_unacked;
}

bool Inbox::sentLive(proto::UserId sender, proto::MessageId id, std::string_view frame) {
    Unacked& u = unacked();
    u.inFlight[sender].push(id, frame);
    ++u.inFlightCount;
    return !m_congested && u.inFlightCount > kMaxInFlight;
}

void Inbox::sentFromStore(proto::UserId sender, proto::MessageId id) {
    Unacked& u = unacked();
    u.backlogSent[sender].push_back(id);
    ++u.backlogOutstanding;
}

Inbox::Confirmed Inbox::acknowledge(proto::UserId sender, proto::MessageId upTo) {
    Confirmed confirmed;
    if (!m_unacked) return confirmed;  // nothing was sent that this could acknowledge
    Unacked& u = *m_unacked;
    if (auto it = u.inFlight.find(sender); it != u.inFlight.end()) {
        confirmed.live = it->second.ackUpTo(upTo);
        u.inFlightCount -= confirmed.live;
        if (it->second.empty() && u.inFlight.size() > kKeptIdleQueues) u.inFlight.erase(it);
    }
    if (auto it = u.backlogSent.find(sender); it != u.backlogSent.end()) {
        auto& ids = it->second;
        const std::size_t before = ids.size();
        ids.erase(std::remove_if(ids.begin(), ids.end(), [upTo](proto::MessageId id) { return id <= upTo; }),
                  ids.end());
        confirmed.fromStore = before - ids.size();
        u.backlogOutstanding -= confirmed.fromStore;
        if (ids.empty()) u.backlogSent.erase(it);
    }
    return confirmed;
}

std::size_t Inbox::inFlight() const { return m_unacked ? m_unacked->inFlightCount : 0; }

std::size_t Inbox::backlogOutstanding() const { return m_unacked ? m_unacked->backlogOutstanding : 0; }

std::size_t Inbox::handOff(const std::function<void(proto::UserId, proto::MessageId, std::string_view)>& store) {
    if (!m_unacked) return 0;
    const std::size_t count = m_unacked->inFlightCount;
    for (const auto& [sender, queue] : m_unacked->inFlight) {
        queue.forEach([&store, from = sender](proto::MessageId id, std::string_view frame) { store(from, id, frame); });
    }
    m_unacked->inFlight.clear();
    m_unacked->inFlightCount = 0;
    return count;
}

bool Inbox::requestFetch() {
    // One page at a time, and only once the last one is acknowledged: the
    // store keeps a page's rows until then, and a slow reader is not flooded.
    if (m_fetching || backlogOutstanding() > 0 || m_congested) {
        m_wantFetch = true;
        return false;
    }
    return true;
}

void Inbox::fetchStarted() {
    m_fetching = true;
    m_wantFetch = false;
}

}  // namespace parley::server
