#pragma once
// Messages this client sent that the server has not yet taken responsibility for.

#include "shared/proto/Messages.h"
#include "shared/session/SessionTypes.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace parley::session {

/// One CHAT or ROOM message kept for (re-)sending.
struct OutgoingMessage {
    proto::MessageType type = proto::MessageType::Chat;  ///< Chat or Room
    UserId peer = 0;                                     ///< CHAT destination; kServerId for ROOM
    MessageId id = 0;
    std::uint64_t timestampMs = 0;  ///< the sender's clock; the server re-stamps it
    std::string text;
    bool transmitted = false;  ///< written to some connection already: a re-send sets kResent
    /// The server answered ServerUnavailable: not taken, to be re-sent (see deferRetry()).
    bool retryWanted = false;
};

/// A message's new state, as reported to SessionListener::onMessageStateChanged.
struct MessageStateChange {
    UserId peer = 0;
    MessageId id = 0;
    MessageState state = MessageState::Pending;

    bool operator==(const MessageStateChange& o) const { return peer == o.peer && id == o.id && state == o.state; }
};

/// The delivery bookkeeping of the "nothing lost" contract (docs/protocol.md,
/// BRIEF "Delivery semantics"), without any I/O:
///
/// * Every CHAT/ROOM is added Pending and stays, in send order, until an ACK
///   covers it: Stored or Delivered for a CHAT, Broadcast for a ROOM. Only
///   Pending messages are re-sent after a reconnect.
/// * Delivered is cumulative per conversation: (peer, upTo) covers every
///   message to `peer` with id <= upTo. Stored and Broadcast cover exactly the
///   message upTo (a stored message may be acknowledged while an earlier one
///   is still in flight, not yet durable). ROOM messages form the
///   conversation with peer kServerId.
/// * A Stored message has left the outbox (the server will deliver it), but
///   its id is remembered so that the later Delivered can be reported too.
///   At most kMaxAwaitingDelivery ids are remembered per peer; beyond that
///   the oldest lose their Delivered report (never their delivery).
/// * A message the server could not take (ERROR ServerUnavailable naming it)
///   stays pending, flagged for a re-send (deferRetry/takeRetries); until it
///   is re-sent a cumulative Delivered does not cover it (the server never
///   had it, so the peer cannot have acknowledged it).
///
/// Value type; not thread-safe.
class Outbox {
public:
    static constexpr std::size_t kMaxAwaitingDelivery = 4096;

    /// Appends a Pending message. Ids must increase from one call to the next
    /// (MessageIdGenerator guarantees it); asserted.
    void add(OutgoingMessage message);

    /// Applies a server ACK (Stored, Delivered or Broadcast; Received is not
    /// sent to clients and is ignored) and returns the state changes it
    /// causes, in send order. A stale or repeated ACK returns nothing.
    std::vector<MessageStateChange> acknowledge(UserId peer, proto::AckKind kind, MessageId upTo);

    /// Drops everything (pending and awaiting delivery) and returns an
    /// Abandoned change for each pending message.
    std::vector<MessageStateChange> abandonAll();
    /// The server refused message `id` (ERROR naming it): it leaves the
    /// outbox with a Refused change. Nothing happens for an unknown id.
    std::vector<MessageStateChange> refuse(MessageId id);

    /// Puts messages a host persisted back (at start, before anything is
    /// added): they become pending in id order, marked transmitted (they may
    /// have gone out before the host stopped, so a re-send sets kResent).
    /// False, and nothing changes, if the outbox is not empty.
    bool restore(std::vector<OutgoingMessage> messages);

    /// Flags pending message `id` for a re-send; false if it is not pending.
    bool deferRetry(MessageId id);
    /// The flagged messages, oldest first, with their flags cleared.
    std::vector<OutgoingMessage> takeRetries();
    /// Clears every flag (a re-login re-sends all pending messages anyway).
    void clearRetries();
    bool hasRetries() const;

    /// The pending messages, oldest first: what a re-login re-sends.
    const std::deque<OutgoingMessage>& pending() const { return m_pending; }
    /// Marks every pending message as transmitted (after they were sent).
    void markAllTransmitted();

    /// Pending messages in total / to one peer.
    std::size_t size() const { return m_pending.size(); }
    bool empty() const { return m_pending.empty(); }
    std::size_t pendingFor(UserId peer) const;
    /// Stored messages whose Delivered has not arrived yet.
    std::size_t awaitingDelivery() const;

private:
    std::deque<OutgoingMessage> m_pending;
    std::map<UserId, std::deque<MessageId>> m_stored;  ///< per peer, ascending
};

}  // namespace parley::session
