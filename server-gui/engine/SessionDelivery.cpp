// Session: chat routing, the room, acknowledgements, backlog and hand-off.
// The rules are DeliveryTable's (see its header and docs/architecture.md).
#include "server-gui/engine/Session.h"

#include "server-gui/engine/ServerCore.h"
#include "server-gui/engine/SessionLoop.h"
#include "server-gui/engine/Validation.h"
#include "shared/proto/Codec.h"

#include <algorithm>

namespace parley::server {

using proto::ErrorCode;

namespace {

/// Stored messages fetched per store round trip.
constexpr std::size_t kBacklogPage = 500;

db::OfflineMessage offlineRow(proto::UserId recipient, proto::UserId sender, proto::MessageId id,
                              std::string_view frame) {
    db::OfflineMessage row;
    row.recipient = recipient;
    row.sender = sender;
    row.messageId = id;
    row.messageType = static_cast<std::uint16_t>(proto::MessageType::Chat);
    const std::string_view payload = frame.substr(proto::kHeaderSize);
    row.payload.assign(payload.begin(), payload.end());
    return row;
}

}  // namespace

void Session::handleChat(const proto::FrameView& frame, std::string_view text, std::uint64_t /*nowMs*/) {
    const proto::Header& header = frame.header;
    const proto::UserId to = header.destination;
    if (!isValidText(text)) {
        sendError(ErrorCode::InvalidMessage, header.messageId, header.type, "text must be 1 to 16384 bytes");
        return;
    }
    if (to == m_userId) {
        sendError(ErrorCode::UnknownDestination, header.messageId, header.type,
                  "messages to yourself are not delivered");
        return;
    }
    if (!m_core.users.contains(to)) {
        sendError(ErrorCode::UnknownDestination, header.messageId, header.type,
                  "no user with id " + std::to_string(to));
        return;
    }
    // Relay the frame as it came, with the server's stamps: the sender's
    // claimed source is overwritten, the timestamp is the server's.
    SessionLoop& here = SessionLoop::of(loop());
    // Logged in on another node, if anywhere, and nothing for it still on this node's store
    // path (that would have to arrive first): then the frame may go to that node.
    const bool mayForward =
        m_core.remote->clustered() && !m_core.delivery.isOnline(to) && !m_core.delivery.storesPending(to);
    auto decision = m_core.delivery.route(to);
    if (decision.route == DeliveryTable<SessionPtr>::Route::Live) {
        ServerStats::add(m_core.stats.messagesRouted);
        if (&decision.session->loop() == &loop()) {
            const std::string_view out = here.stamp(frame.frameBegin(), frame.frameSize(), m_userId);
            decision.session->deliverLive(m_userId, header.messageId, out);
        } else {
            here.relayChat(std::move(decision.session), m_userId, header.messageId, frame.frameBegin(),
                           frame.frameSize());
        }
        return;
    }
    // Earlier messages of this conversation still waiting to be handed to
    // their loop must be there before this one can come back from the store.
    here.handOver();
    const std::string_view out = here.stamp(frame.frameBegin(), frame.frameSize(), m_userId);
    // The recipient's node routes it as a local message. route() above counted a store
    // job; it is not one.
    if (mayForward && m_core.remote->forwardChat(to, out)) {
        if (const SessionPtr fetcher = m_core.delivery.storeDone(to)) {
            fetcher->post([](Session& s) { s.startBacklogFetch(); });  // a login here meanwhile
        }
        ServerStats::add(m_core.stats.messagesRouted);
        return;
    }
    storeOffline(offlineRow(to, m_userId, header.messageId, out));
}

void Session::deliverLive(proto::UserId sender, proto::MessageId id, std::string_view frame) {
    if (m_state != State::Authenticated || m_closing || !m_connection->send(frame)) {
        // Closed between routing and now: the message takes the store path.
        m_core.delivery.addPendingStores(m_userId, 1);
        storeOffline(offlineRow(m_userId, sender, id, frame));
        return;
    }
    countOut(1, frame.size());
    ++m_traffic.messagesOut;
    if (m_inbox.sentLive(sender, id, frame)) onCongestion(true);
}

void Session::storeChat(ServerCore& core, proto::UserId recipient, proto::UserId sender, proto::MessageId id,
                        std::string_view frame) {
    storeOffline(core, offlineRow(recipient, sender, id, frame));
}

void Session::storeOffline(ServerCore& core, db::OfflineMessage message) {
    // The caller has counted this job as pending in the DeliveryTable; it
    // must end with storeDone() whatever happens.
    const proto::UserId recipient = message.recipient;
    const bool queued = core.store.submit(recipient, [&core, message = std::move(message)](db::Store& store) {
        const auto result = store.enqueueOffline(message);
        if (result.ok()) ServerStats::add(core.stats.messagesStored);
        else
            core.log(LogLevel::Error,
                     "could not store a message for user " + std::to_string(message.recipient) + ": " + result.error);
        // Tell the sender wherever it is now (it may have reconnected, on another node too).
        const char* const failedText =
            "the message could not be stored (database unavailable); it stays in your outbox";
        const auto chatType = static_cast<std::uint8_t>(proto::MessageType::Chat);
        if (const SessionPtr sender = core.delivery.online(message.sender)) {
            const bool ok = result.ok();
            sender->post([ok, to = message.recipient, id = message.messageId, failedText, chatType](Session& s) {
                if (ok) s.sendAck(proto::AckKind::Stored, to, id);
                else s.sendError(ErrorCode::ServerUnavailable, id, chatType, failedText);
            });
        } else if (core.remote->clustered()) {
            if (result.ok())
                core.remote->sendFrame(message.sender,
                                       encodeFor(message.recipient, message.sender,
                                                 proto::Ack{proto::AckKind::Stored, message.messageId}));
            else
                core.remote->sendFrame(
                    message.sender,
                    encodeFor(proto::kServerId, message.sender,
                              proto::Error{ErrorCode::ServerUnavailable, chatType, failedText}, message.messageId));
        }
        // The recipient may be logged in on another node: that node fetches it now.
        if (result.ok() && core.remote->clustered() && !core.delivery.isOnline(message.recipient))
            core.remote->stored(message.recipient);
        if (const SessionPtr fetcher = core.delivery.storeDone(message.recipient)) {
            fetcher->post([](Session& s) { s.startBacklogFetch(); });
        }
    });
    if (!queued) core.delivery.storeDone(recipient);  // shutting down: the sender's outbox keeps it
}

void Session::handleRoom(const proto::FrameView& frame, const proto::Room& room, std::uint64_t /*nowMs*/) {
    const proto::Header& header = frame.header;
    if (!isValidText(room.text)) {
        sendError(ErrorCode::InvalidMessage, header.messageId, header.type, "text must be 1 to 16384 bytes");
        return;
    }
    std::string out(SessionLoop::of(loop()).stamp(frame.frameBegin(), frame.frameSize(), m_userId));
    proto::patchDestination(reinterpret_cast<std::uint8_t*>(out.data()), proto::kServerId);
    auto shared = std::make_shared<const std::string>(std::move(out));
    const proto::UserId me = m_userId;
    m_core.delivery.forEachOnline([&shared, me](proto::UserId id, const SessionPtr& session) {
        if (id != me) session->postFrame(shared);
    });
    m_core.remote->broadcastRoom(*shared);
    ServerStats::add(m_core.stats.roomMessages);
    sendAck(proto::AckKind::Broadcast, proto::kServerId, header.messageId);
}

void Session::handleTyping(const proto::Header& header, const proto::Typing& typing) {
    // Best effort, never stored: only an online peer sees it (on any node).
    if (header.destination == m_userId) return;
    const SessionPtr peer = m_core.delivery.online(header.destination);
    if (!peer && !m_core.remote->onlineElsewhere(header.destination)) return;
    proto::Header out;
    out.source = m_userId;
    out.destination = header.destination;
    out.messageId = header.messageId;  // relayed frames keep the sender's id (protocol section 2)
    const auto bytes = proto::encode(out, typing);
    if (!peer) {
        m_core.remote->sendFrame(header.destination,
                                 std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
        return;
    }
    peer->postFrame(std::make_shared<const std::string>(bytes.begin(), bytes.end()));
}

void Session::handleAck(const proto::Header& header, const proto::Ack& ack) {
    if (ack.kind == proto::AckKind::Read) {
        handleRead(header, ack);
        return;
    }
    if (ack.kind != proto::AckKind::Received) {
        sendError(ErrorCode::InvalidMessage, 0, header.type, "clients acknowledge with kind Received or Read only");
        return;
    }
    const proto::UserId sender = header.destination;
    const proto::MessageId upTo = ack.upTo;

    // Only what this ACK newly confirms is passed on: a repeated (or invented)
    // ACK Received must not become work for the sender's connection.
    const Inbox::Confirmed confirmed = m_inbox.acknowledge(sender, upTo);
    if (confirmed.live != 0 && m_inbox.mayDecongest() && m_connection->outputBytes() == 0) onCongestion(false);
    if (confirmed.fromStore != 0) {
        // Delete what was delivered from the store; keyed like every job for
        // this recipient, so a later fetch runs after the delete.
        ServerCore& core = m_core;
        core.store.submit(m_userId, [&core, me = m_userId, sender, upTo](db::Store& store) {
            const auto removed = store.removeDelivered(me, sender, upTo);
            if (!removed.ok()) core.log(LogLevel::Error, "could not delete delivered messages: " + removed.error);
            else ServerStats::add(core.stats.messagesFromStore, removed.value);
        });
        if (m_inbox.backlogOutstanding() == 0 && m_inbox.wantsFetch()) startBacklogFetch();
    }
    if (confirmed.total() == 0) return;

    if (SessionPtr origin = m_core.delivery.online(sender)) {
        if (&origin->loop() == &loop()) origin->sendAck(proto::AckKind::Delivered, m_userId, upTo);
        else SessionLoop::of(loop()).relayAck(std::move(origin), proto::AckKind::Delivered, m_userId, upTo);
    } else if (m_core.remote->onlineElsewhere(sender)) {
        m_core.remote->sendFrame(sender, encodeFor(m_userId, sender, proto::Ack{proto::AckKind::Delivered, upTo}));
    }
}

void Session::startBacklogFetch() {
    if (m_state != State::Authenticated || m_closing) return;
    if (!m_inbox.requestFetch()) return;  // retried when the fetch ends, acks arrive or the connection drains
    std::uint64_t epoch = 0;
    const SessionPtr self = shared_from_this();
    if (!m_core.delivery.beginFetch(m_userId, self, epoch)) return;  // storeDone() calls again
    m_inbox.fetchStarted();
    m_core.store.submit(m_userId, [self, epoch, me = m_userId](db::Store& store) {
        auto rows = store.pendingFor(me, kBacklogPage);
        self->post([epoch, rows = std::move(rows)](Session& s) mutable { s.backlogFetched(epoch, std::move(rows)); });
    });
}

void Session::backlogFetched(std::uint64_t epoch, db::ValueResult<std::vector<db::OfflineMessage>> rows) {
    m_inbox.fetchEnded();
    const SessionPtr self = shared_from_this();
    if (m_state != State::Authenticated || m_closing) return;
    if (!rows.ok()) {
        m_core.log(LogLevel::Error, "could not load stored messages for " + username() + ": " + rows.error);
        m_core.delivery.fetchSent(m_userId, self, epoch, true);
        std::weak_ptr<Session> weak = self;
        loop().runAfter(std::chrono::seconds(2), [weak] {
            if (auto s = weak.lock()) s->startBacklogFetch();
        });
        return;
    }
    for (const db::OfflineMessage& row : rows.value) {
        proto::Header header;
        header.type = static_cast<std::uint8_t>(row.messageType);
        header.source = row.sender;
        header.destination = m_userId;
        header.messageId = row.messageId;
        header.payloadLength = static_cast<std::uint32_t>(row.payload.size());
        std::string frame(proto::kHeaderSize, '\0');
        proto::encodeHeader(header, reinterpret_cast<std::uint8_t*>(frame.data()));
        frame.append(row.payload.begin(), row.payload.end());
        sendRaw(frame);
        ++m_traffic.messagesOut;
        m_inbox.sentFromStore(row.sender, row.messageId);
    }
    const bool more = rows.value.size() == kBacklogPage;
    if (!m_core.delivery.fetchSent(m_userId, self, epoch, more)) {
        m_inbox.wantFetch();
        if (m_inbox.backlogOutstanding() == 0) startBacklogFetch();
    }
}

void Session::handOffInFlight() {
    // Forwarded but never acknowledged: the recipient may not have them, so
    // they go to the store (the client drops any duplicate by (sender, id)).
    const auto count = static_cast<std::uint32_t>(m_inbox.inFlight());
    const SessionPtr self = shared_from_this();
    const SessionPtr fetcher = m_core.delivery.detach(m_userId, self, count);
    m_inbox.handOff([this](proto::UserId from, proto::MessageId id, std::string_view frame) {
        storeOffline(offlineRow(m_userId, from, id, frame));
    });
    if (fetcher) fetcher->post([](Session& s) { s.startBacklogFetch(); });
}

}  // namespace parley::server
