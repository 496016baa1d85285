#include "server-gui/engine/ClusterPort.h"

#include "server-gui/engine/PresenceBroadcast.h"
#include "server-gui/engine/ServerCore.h"
#include "server-gui/engine/Session.h"
#include "shared/proto/Codec.h"

#include <memory>
#include <optional>

namespace parley::server {

bool ClusterPort::deliverFrame(proto::UserId to, std::string frame) {
    const SessionPtr session = m_core.delivery.online(to);
    if (!session) return false;
    session->postFrame(std::make_shared<const std::string>(std::move(frame)));
    return true;
}

namespace {

/// The header of a stamped CHAT frame, or nullopt.
std::optional<proto::Header> chatHeader(std::string_view frame) {
    if (frame.size() < proto::kHeaderSize) return std::nullopt;
    const proto::Header header = proto::decodeHeader(reinterpret_cast<const std::uint8_t*>(frame.data()));
    if (header.type != static_cast<std::uint8_t>(proto::MessageType::Chat) ||
        proto::kHeaderSize + header.payloadLength != frame.size())
        return std::nullopt;
    return header;
}

}  // namespace

bool ClusterPort::deliverChat(std::string frame) {
    const std::optional<proto::Header> header = chatHeader(frame);
    if (!header) return false;
    const proto::UserId to = header->destination;
    auto decision = m_core.delivery.route(to);
    if (decision.route == DeliveryTable<SessionPtr>::Route::Live) {
        ServerStats::add(m_core.stats.messagesRouted);
        decision.session->post([from = header->source, id = header->messageId, frame = std::move(frame)](Session& s) {
            s.deliverLive(from, id, frame);
        });
        return true;
    }
    Session::storeChat(m_core, to, header->source, header->messageId, frame);
    return true;
}

void ClusterPort::storeForwarded(std::string_view frame) {
    const std::optional<proto::Header> header = chatHeader(frame);
    if (!header) return;
    m_core.delivery.addPendingStores(header->destination, 1);
    Session::storeChat(m_core, header->destination, header->source, header->messageId, frame);
}

void ClusterPort::notice(proto::UserId user) {
    // As a store job of this node would: something new is in the store, so the session
    // goes to backlog mode and fetches (storeDone names it when it may).
    m_core.delivery.addPendingStores(user, 1);
    if (const SessionPtr fetcher = m_core.delivery.storeDone(user)) {
        fetcher->post([](Session& s) {
            s.startBacklogFetch();
            s.fetchReadReceipts();
        });
    } else if (const SessionPtr session = m_core.delivery.online(user)) {
        // Fetching already: its next round sees the new rows; receipts are fetched apart.
        session->post([](Session& s) { s.fetchReadReceipts(); });
    }
}

void ClusterPort::refetchAll() {
    m_core.delivery.forEachOnline([this](proto::UserId user, const SessionPtr&) { notice(user); });
}

void ClusterPort::presenceChanged(const proto::Presence& presence) {
    const std::optional<UserEntry> entry = m_core.users.find(presence.contact.userId);
    if (!entry) {
        if (presence.contact.username.empty()) return;  // nobody here knows whom it is about
        accountAdded(presence);
        fanOutPresence(m_core, presence, false);
        return;
    }
    // Names as this node knows them (a node that left is announced by id alone).
    proto::Presence named = presence;
    named.contact.username = entry->username;
    named.contact.displayName = entry->displayName;
    fanOutPresence(m_core, named, true);
}

void ClusterPort::accountAdded(const proto::Presence& presence) {
    const proto::Contact& c = presence.contact;
    if (m_core.users.contains(c.userId)) return;
    m_core.users.put({c.userId, c.username, c.displayName});
    proto::Presence offline = presence;
    offline.contact.state = proto::PresenceState::Offline;
    fanOutPresence(m_core, offline, false);
}

void ClusterPort::supersede(proto::UserId user, std::uint64_t generation, const std::string& node) {
    const SessionPtr session = m_core.delivery.online(user);
    if (!session) return;
    session->post([generation, node](Session& s) {
        if (s.state() != Session::State::Authenticated || s.generation() >= generation) return;
        s.kick(proto::KickReason::LoggedInElsewhere, "you logged in again on the server " + node);
    });
}

void ClusterPort::kickLocal(proto::UserId user, const std::string& text) {
    if (const SessionPtr session = m_core.delivery.online(user))
        session->post([text](Session& s) { s.kick(proto::KickReason::Operator, text); });
}

void ClusterPort::roomArrived(std::string frame) {
    if (frame.size() < proto::kHeaderSize) return;  // the envelope's reader checked the frame
    const proto::Header header = proto::decodeHeader(reinterpret_cast<const std::uint8_t*>(frame.data()));
    auto shared = std::make_shared<const std::string>(std::move(frame));
    const proto::UserId from = header.source;
    m_core.delivery.forEachOnline([&shared, from](proto::UserId id, const SessionPtr& session) {
        if (id != from) session->postFrame(shared);
    });
    ServerStats::add(m_core.stats.roomMessages);
}

bool ClusterPort::hasSession(proto::UserId user) const { return m_core.delivery.isOnline(user); }

std::size_t ClusterPort::sessions() const { return m_core.delivery.onlineCount(); }

void ClusterPort::log(LogLevel level, const std::string& line) const { m_core.log(level, line); }

void ClusterPort::logPeerCaused(const char* cause, LogLevel level, const std::string& line) {
    m_core.logPeerCaused(cause, level, line);
}

}  // namespace parley::server
