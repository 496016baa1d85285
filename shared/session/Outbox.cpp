#include "shared/session/Outbox.h"

#include <algorithm>
#include <cassert>

namespace parley::session {

void Outbox::add(OutgoingMessage message) {
    assert(m_pending.empty() || m_pending.back().id < message.id);
    m_pending.push_back(std::move(message));
}

std::vector<MessageStateChange> Outbox::acknowledge(UserId peer, proto::AckKind kind, MessageId upTo) {
    std::vector<MessageStateChange> changes;
    MessageState state = MessageState::Pending;
    switch (kind) {
    case proto::AckKind::Stored: state = MessageState::Stored; break;
    case proto::AckKind::Delivered: state = MessageState::Delivered; break;
    case proto::AckKind::Broadcast: state = MessageState::Broadcast; break;
    case proto::AckKind::Received:
    case proto::AckKind::Read: return changes;  // not about delivery
    }

    // Delivered first completes earlier Stored messages: they were sent before
    // anything still pending to the same peer.
    if (state == MessageState::Delivered) {
        auto found = m_stored.find(peer);
        if (found != m_stored.end()) {
            std::deque<MessageId>& ids = found->second;
            while (!ids.empty() && ids.front() <= upTo) {
                changes.push_back({peer, ids.front(), state});
                ids.pop_front();
            }
            if (ids.empty()) {
                m_stored.erase(found);
            }
        }
    }

    // Delivered is cumulative: the peer acknowledged everything up to upTo in
    // order. Stored and Broadcast name exactly one message: an earlier one may
    // still be in flight to a congested peer, not yet durable (architecture.md).
    const bool cumulative = state == MessageState::Delivered;
    const auto covered = [&](const OutgoingMessage& m) {
        return m.peer == peer && (cumulative ? m.id <= upTo && !m.retryWanted : m.id == upTo);
    };
    for (const OutgoingMessage& m : m_pending) {
        if (covered(m)) {
            changes.push_back({peer, m.id, state});
            if (state == MessageState::Stored) {
                std::deque<MessageId>& ids = m_stored[peer];
                ids.push_back(m.id);
                if (ids.size() > kMaxAwaitingDelivery) {
                    ids.pop_front();
                }
            }
        }
    }
    m_pending.erase(std::remove_if(m_pending.begin(), m_pending.end(), covered), m_pending.end());
    return changes;
}

std::vector<MessageStateChange> Outbox::abandonAll() {
    std::vector<MessageStateChange> changes;
    changes.reserve(m_pending.size());
    for (const OutgoingMessage& m : m_pending) {
        changes.push_back({m.peer, m.id, MessageState::Abandoned});
    }
    m_pending.clear();
    m_stored.clear();
    return changes;
}

std::vector<MessageStateChange> Outbox::refuse(MessageId id) {
    std::vector<MessageStateChange> changes;
    const auto it =
        std::find_if(m_pending.begin(), m_pending.end(), [id](const OutgoingMessage& m) { return m.id == id; });
    if (it != m_pending.end()) {
        changes.push_back({it->peer, it->id, MessageState::Refused});
        m_pending.erase(it);
    }
    return changes;
}

bool Outbox::restore(std::vector<OutgoingMessage> messages) {
    if (!m_pending.empty()) {
        return false;
    }
    std::sort(messages.begin(), messages.end(),
              [](const OutgoingMessage& a, const OutgoingMessage& b) { return a.id < b.id; });
    for (OutgoingMessage& m : messages) {
        if (!m_pending.empty() && m_pending.back().id == m.id) {
            continue;  // the same message twice: it goes out once
        }
        m.transmitted = true;
        m.retryWanted = false;
        m_pending.push_back(std::move(m));
    }
    return true;
}

bool Outbox::deferRetry(MessageId id) {
    const auto it =
        std::find_if(m_pending.begin(), m_pending.end(), [id](const OutgoingMessage& m) { return m.id == id; });
    if (it == m_pending.end()) {
        return false;
    }
    it->retryWanted = true;
    return true;
}

std::vector<OutgoingMessage> Outbox::takeRetries() {
    std::vector<OutgoingMessage> retries;
    for (OutgoingMessage& m : m_pending) {
        if (m.retryWanted) {
            m.retryWanted = false;
            retries.push_back(m);
        }
    }
    return retries;
}

void Outbox::clearRetries() {
    for (OutgoingMessage& m : m_pending) {
        m.retryWanted = false;
    }
}

bool Outbox::hasRetries() const {
    return std::any_of(m_pending.begin(), m_pending.end(), [](const OutgoingMessage& m) { return m.retryWanted; });
}

void Outbox::markAllTransmitted() {
    for (OutgoingMessage& m : m_pending) {
        m.transmitted = true;
    }
}

std::size_t Outbox::pendingFor(UserId peer) const {
    return static_cast<std::size_t>(
        std::count_if(m_pending.begin(), m_pending.end(), [peer](const OutgoingMessage& m) { return m.peer == peer; }));
}

std::size_t Outbox::awaitingDelivery() const {
    std::size_t total = 0;
    for (const auto& entry : m_stored) {
        total += entry.second.size();
    }
    return total;
}

}  // namespace parley::session
