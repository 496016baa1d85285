#include "server-gui/cluster/NatsCluster.h"

#include "db/Store.h"
#include "server-gui/engine/ClusterPort.h"
#include "server-gui/engine/Server.h"
#include "shared/proto/Codec.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <utility>

namespace parley::cluster {

using server::LogLevel;
using server::StartError;

namespace {

/// How long a start waits for an answer under its own name (a live node answers at once).
constexpr int kNameCheckMs = 500;

std::uint64_t randomInstance() {
    std::random_device device;
    std::uint64_t value = 0;
    while (value == 0) value = (std::uint64_t{device()} << 32) ^ device();
    return value;
}

std::string_view viewOf(const RecordView& record) { return {reinterpret_cast<const char*>(record.data), record.size}; }

/// The PRESENCE a Frame record carries, or nothing (another type, or a payload that does
/// not decode: the envelope's reader checked only the frame's header).
std::optional<proto::Presence> presenceIn(const RecordView& record) {
    const proto::Header header = proto::decodeHeader(record.data);
    if (header.type != static_cast<std::uint8_t>(proto::MessageType::Presence)) return std::nullopt;
    proto::Body body;
    if (proto::decodePayload(header, record.data + proto::kHeaderSize, record.size - proto::kHeaderSize, body) !=
        proto::ProtocolError::None)
        return std::nullopt;
    const auto* presence = std::get_if<proto::Presence>(&body);
    if (presence == nullptr) return std::nullopt;
    return *presence;
}

std::uint8_t frameType(const RecordView& record) { return proto::decodeHeader(record.data).type; }
constexpr auto kChat = static_cast<std::uint8_t>(proto::MessageType::Chat);

std::string encodePresence(const proto::Presence& presence) {
    const auto bytes = proto::encode(proto::Header{}, proto::Body{presence});
    return std::string(bytes.begin(), bytes.end());
}

}  // namespace

bool validClusterName(const std::string& name) {
    if (name.empty() || name.size() > 32) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

struct NatsCluster::Actions {
    std::vector<proto::Presence> accounts;
    std::vector<proto::Presence> presence;
    struct Supersede {
        proto::UserId user;
        std::uint64_t generation;
        std::string node;
    };
    std::vector<Supersede> supersede;
    std::vector<proto::UserId> notices;
    std::vector<std::string> rooms;
    std::vector<std::pair<proto::UserId, std::string>> frames;
    std::vector<std::string> chats;                            ///< forwarded to us by the sender's node
    std::vector<std::string> takenBack;                        ///< forwarded by us, unanswered: to be stored here
    std::vector<std::pair<proto::UserId, std::string>> kicks;  ///< by another node's operator
    std::vector<std::pair<LogLevel, std::string>> logs;
    bool requestSnapshots = false;
};

NatsCluster::NatsCluster(Passkey, const ClusterConfig& config, server::ClusterPort& port)
    : m_config(config),
      m_port(port),
      m_instance(randomInstance()),
      m_membership(config.node, m_instance, static_cast<std::uint16_t>(db::kSchemaVersion), config.membership) {}

std::unique_ptr<NatsCluster> NatsCluster::join(const ClusterConfig& config, server::ClusterPort& port,
                                               std::unique_ptr<Transport> transport) {
    if (!validNodeName(config.node))
        throw StartError("the node name '" + config.node + "' is not 1 to 64 characters of a-z, 0-9 and '-'");
    if (!validClusterName(config.clusterName))
        throw StartError("the cluster name '" + config.clusterName + "' is not 1 to 32 characters of a-z, 0-9 and '-'");
    auto cluster = std::make_unique<NatsCluster>(Passkey{}, config, port);
    NatsCluster& self = *cluster;
    if (!transport) {
        TransportEvents events;
        events.disconnected = [&self] { self.m_port.log(LogLevel::Warn, "lost the link to NATS; reconnecting"); };
        const auto resync = [&self](const char* why) {
            self.m_port.log(LogLevel::Info, why);
            const std::lock_guard<std::mutex> lock(self.m_timerMutex);
            self.m_resync = true;
            self.m_timerWake.notify_all();
        };
        events.reconnected = [resync] { resync("the link to NATS is back: catching up"); };
        events.dropped = [resync] { resync("NATS dropped cluster messages for a slow subscription: catching up"); };
        NatsSettings settings = config.nats;
        if (settings.name.empty()) settings.name = "parley-server " + config.clusterName + "/" + config.node;
        std::string error;
        transport = NatsTransport::connect(settings, std::move(events), error);
        if (!transport) throw StartError(error + "; --cluster does not start without it");
    }
    self.m_transport = std::move(transport);

    // Two processes under one name would each take every record meant for it.
    const std::string sync = self.nodeSubject(config.node, "sync");
    std::vector<std::uint8_t> answer;
    const std::vector<std::uint8_t> question = EnvelopeWriter(self.head(EnvelopeKind::Sync)).bytes();
    switch (self.m_transport->request(sync, question.data(), question.size(), kNameCheckMs, answer)) {
    case Transport::RequestResult::Reply:
        throw StartError("another parley-server runs as node '" + config.node + "' of cluster '" + config.clusterName +
                         "'; every node needs a name of its own (--node)");
    case Transport::RequestResult::Failed:
        throw StartError("cannot ask NATS whether the node name '" + config.node + "' is free");
    case Transport::RequestResult::NoResponders:
    case Transport::RequestResult::Timeout: break;
    }
    const bool subscribed =
        self.m_transport->serve(sync,
                                [&self](const std::uint8_t*, std::size_t) {
                                    return EnvelopeWriter(self.head(EnvelopeKind::Sync)).bytes();
                                }) &&
        self.m_transport->subscribe(self.subject("all"),
                                    [&self](const std::uint8_t* data, std::size_t size) { self.onAll(data, size); }) &&
        self.m_transport->subscribe(self.nodeSubject(config.node, "link"),
                                    [&self](const std::uint8_t* data, std::size_t size) { self.onLink(data, size); });
    if (!subscribed) throw StartError("NATS refused this node's subscriptions (check the user's permissions)");

    self.publishHeartbeat(kFlagSnapshotRequest);
    self.m_timer = std::thread([&self] { self.timerLoop(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(config.joinWaitMs));
    {
        const std::lock_guard<std::mutex> lock(self.m_mutex);
        if (!self.m_refusals.empty()) throw StartError(self.m_refusals.front());
    }
    std::size_t others = 0;
    {
        const std::lock_guard<std::mutex> lock(self.m_mutex);
        others = self.m_membership.aliveCount();
    }
    port.log(LogLevel::Info, "joined cluster '" + config.clusterName + "' as node '" + config.node + "' with " +
                                 std::to_string(others) + (others == 1 ? " other node" : " other nodes"));
    return cluster;
}

NatsCluster::~NatsCluster() {
    stopReceiving();
    {
        const std::lock_guard<std::mutex> lock(m_timerMutex);
        m_stopping = true;
        m_timerWake.notify_all();
    }
    if (m_timer.joinable()) m_timer.join();
    m_transport.reset();  // waits for its callbacks, which use the members below
}

std::string NatsCluster::subject(const std::string& tail) const {
    return "parley." + m_config.clusterName + "." + tail;
}

std::string NatsCluster::nodeSubject(const std::string& node, const char* tail) const {
    return subject("node." + node + "." + tail);
}

EnvelopeHead NatsCluster::head(EnvelopeKind kind, std::uint16_t flags) const {
    EnvelopeHead h;
    h.kind = kind;
    h.schemaVersion = static_cast<std::uint16_t>(db::kSchemaVersion);
    h.flags = flags;
    h.instance = m_instance;
    h.sentAtMs = wallMs();
    h.node = m_config.node;
    return h;
}

std::uint64_t NatsCluster::wallMs() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

bool NatsCluster::publish(const std::string& to, const std::vector<std::uint8_t>& envelope) {
    if (!m_transport || !m_transport->publish(to, envelope.data(), envelope.size())) return false;
    m_counters.envelopesOut.fetch_add(1, std::memory_order_relaxed);
    return true;
}

bool NatsCluster::broadcast(RecordType type, std::uint32_t user, std::uint64_t generation, std::string_view bytes) {
    EnvelopeWriter writer(head(EnvelopeKind::Broadcast));
    if (!writer.add(type, user, generation, bytes)) return false;
    return publish(subject("all"), writer.bytes());
}

void NatsCluster::publishHeartbeat(std::uint16_t flags) {
    publish(subject("all"), EnvelopeWriter(head(EnvelopeKind::Sync, flags)).bytes());
}

void NatsCluster::publishSnapshotLocked() {
    std::vector<std::vector<std::uint8_t>> envelopes;
    EnvelopeWriter writer(head(EnvelopeKind::Broadcast));
    for (const auto& [user, generation] : m_homes.onlineAt(m_config.node)) {
        const auto frame = m_localPresence.find(user);
        if (frame == m_localPresence.end()) continue;
        if (!writer.add(RecordType::Frame, user, generation, frame->second)) {
            envelopes.push_back(writer.bytes());
            writer = EnvelopeWriter(head(EnvelopeKind::Broadcast));
            writer.add(RecordType::Frame, user, generation, frame->second);
        }
    }
    envelopes.push_back(writer.bytes());
    addFlags(envelopes.front(), kFlagSnapshotBegin);
    addFlags(envelopes.back(), kFlagSnapshotEnd);
    for (const auto& envelope : envelopes) publish(subject("all"), envelope);
}

// --- the engine's calls -------------------------------------------------------------

bool NatsCluster::onlineElsewhere(proto::UserId user) const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    const auto home = m_homes.homeOf(user);
    return home && home->node != m_config.node;
}

bool NatsCluster::loggedIn(const proto::Presence& presence, std::uint64_t generation) {
    const proto::UserId user = presence.contact.userId;
    const std::string frame = encodePresence(presence);
    std::optional<Home> newer;
    bool cameOnline = false;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        cameOnline = m_homes.online(user, m_config.node, generation);
        m_localPresence[user] = frame;
        const auto home = m_homes.homeOf(user);
        if (home && home->generation > generation) newer = home;  // a login elsewhere came first
        broadcast(RecordType::Frame, user, generation, frame);
    }
    if (newer) m_port.supersede(user, newer->generation, newer->node);
    return cameOnline;
}

bool NatsCluster::loggedOut(const proto::Presence& presence, std::uint64_t generation) {
    const proto::UserId user = presence.contact.userId;
    const std::lock_guard<std::mutex> lock(m_mutex);
    const bool wentOffline = m_homes.offline(user, m_config.node, generation);
    if (!m_homes.homeOf(user) || m_homes.homeOf(user)->node != m_config.node) m_localPresence.erase(user);
    broadcast(RecordType::Frame, user, generation, encodePresence(presence));
    return wentOffline;
}

void NatsCluster::accountAdded(const proto::Presence& presence) {
    broadcast(RecordType::Frame, presence.contact.userId, 0, encodePresence(presence));
}

void NatsCluster::stored(proto::UserId recipient) {
    if (broadcast(RecordType::Notice, recipient, 0, {})) m_counters.noticesOut.fetch_add(1, std::memory_order_relaxed);
    // Also on the link of the recipient's node, ahead of any CHAT this node forwards there
    // later: one subject, so that node hears "fetch first" before it (forwardChat's order).
    toHome(recipient, RecordType::Notice, {});
}

bool NatsCluster::toHome(proto::UserId user, RecordType type, std::string_view bytes) {
    std::optional<Home> home;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        home = m_homes.homeOf(user);
    }
    if (!home || home->node == m_config.node) return false;
    EnvelopeWriter writer(head(EnvelopeKind::Link));
    if (!writer.add(type, user, home->generation, bytes)) return false;
    return publish(nodeSubject(home->node, "link"), writer.bytes());
}

bool NatsCluster::sendFrame(proto::UserId to, std::string_view frame) {
    if (!toHome(to, RecordType::Frame, frame)) return false;
    m_counters.framesForwarded.fetch_add(1, std::memory_order_relaxed);
    return true;
}

bool NatsCluster::forwardChat(proto::UserId to, std::string_view frame) {
    if (!m_transport || !m_transport->connected()) return false;
    std::optional<Home> home;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        home = m_homes.homeOf(to);
    }
    if (!home || home->node == m_config.node) return false;
    // Kept before it goes out: the answer may come back before publish() returns.
    if (!m_forwarded.add(to, home->node, std::string(frame), wallMs())) return false;
    EnvelopeWriter writer(head(EnvelopeKind::Link));
    if (!writer.add(RecordType::Frame, to, home->generation, frame) ||
        !publish(nodeSubject(home->node, "link"), writer.bytes())) {
        m_forwarded.dropLast(to);
        return false;
    }
    m_counters.chatsForwarded.fetch_add(1, std::memory_order_relaxed);
    return true;
}

bool NatsCluster::kick(proto::UserId user, const std::string& text) { return toHome(user, RecordType::Kick, text); }

void NatsCluster::broadcastRoom(std::string_view frame) {
    if (frame.size() < proto::kHeaderSize) return;
    const proto::Header header = proto::decodeHeader(reinterpret_cast<const std::uint8_t*>(frame.data()));
    broadcast(RecordType::Frame, header.source, 0, frame);
}

std::vector<server::ClusterMemberView> NatsCluster::members() const {
    const std::uint64_t now = wallMs();
    const std::lock_guard<std::mutex> lock(m_mutex);
    const auto counts = m_homes.onlineByNode();
    const auto usersOn = [&counts](const std::string& node) {
        const auto found = counts.find(node);
        return found == counts.end() ? std::size_t{0} : found->second;
    };
    std::vector<server::ClusterMemberView> views;
    server::ClusterMemberView self;
    self.node = m_config.node;
    self.self = true;
    self.alive = true;
    self.usersOnline = usersOn(m_config.node);
    views.push_back(self);
    for (const Member& member : m_membership.members()) {
        server::ClusterMemberView view;
        view.node = member.node;
        view.alive = member.alive;
        view.usersOnline = member.alive ? usersOn(member.node) : 0;
        view.clockOffsetMs = member.clockOffsetMs;
        view.lastHeardAgoMs = now > member.lastHeardMs ? now - member.lastHeardMs : 0;
        views.push_back(view);
    }
    return views;
}

void NatsCluster::stopReceiving() {
    const std::lock_guard<std::mutex> delivering(m_deliveryMutex);
    m_receiving = false;
}

// --- what arrives -------------------------------------------------------------------

bool NatsCluster::accept(const std::uint8_t* data, std::size_t size, DecodedEnvelope& out, Actions& actions) {
    m_counters.envelopesIn.fetch_add(1, std::memory_order_relaxed);
    const EnvelopeError error = decodeEnvelope(data, size, out);
    if (error != EnvelopeError::None) {
        m_counters.foreign.fetch_add(1, std::memory_order_relaxed);
        if (error == EnvelopeError::Incompatible)
            m_port.logPeerCaused("incompatible cluster messages", LogLevel::Error,
                                 "ignored a message of another cluster protocol version (this node speaks " +
                                     std::to_string(kClusterVersion) + "): every node of a cluster runs one version");
        else
            m_port.logPeerCaused(
                "foreign cluster messages", LogLevel::Warn,
                std::string("ignored a NATS message that is not a Parley cluster message (") + toString(error) + ")");
        return false;
    }
    const std::string& node = out.head.node;
    switch (m_membership.heard(out.head, wallMs())) {
    case Membership::Heard::Self: return false;
    case Membership::Heard::SameName: {
        const std::string text = "another parley-server also runs as node '" + node + "' of cluster '" +
                                 m_config.clusterName + "': every node needs a name of its own (--node)";
        m_refusals.push_back(text);
        if (m_reported.insert("same-name").second) actions.logs.emplace_back(LogLevel::Error, text);
        m_counters.foreign.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    case Membership::Heard::SchemaMismatch:
    case Membership::Heard::ClockSkew: {
        const bool schema = out.head.schemaVersion != static_cast<std::uint16_t>(db::kSchemaVersion);
        const std::string text =
            "node '" + node + "' is not a member: " +
            (schema ? "its database schema is version " + std::to_string(out.head.schemaVersion) + ", ours " +
                          std::to_string(db::kSchemaVersion) + " (every node runs one version)"
                    : std::string("its clock is more than ") +
                          std::to_string(m_config.membership.maxClockOffsetMs / 1000) + " s off ours");
        m_refusals.push_back(text);
        if (m_reported.insert(node).second) actions.logs.emplace_back(LogLevel::Error, text);
        m_counters.foreign.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    case Membership::Heard::Restarted:
        actions.logs.emplace_back(LogLevel::Info, "node '" + node + "' restarted");
        nodeGone(node, actions);
        actions.requestSnapshots = true;
        break;
    case Membership::Heard::Joined:
        actions.logs.emplace_back(LogLevel::Info, "node '" + node + "' joined the cluster");
        actions.requestSnapshots = true;
        break;
    case Membership::Heard::Alive: break;
    }
    return true;
}

void NatsCluster::onAll(const std::uint8_t* data, std::size_t size) {
    const std::lock_guard<std::mutex> delivering(m_deliveryMutex);
    if (!m_receiving) return;
    Actions actions;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        DecodedEnvelope envelope;
        if (accept(data, size, envelope, actions)) {
            const std::string& node = envelope.head.node;
            const std::uint16_t flags = envelope.head.flags;
            if (envelope.head.kind == EnvelopeKind::Broadcast && (flags & kFlagSnapshotBegin) != 0)
                m_snapshots[node].clear();
            for (const RecordView& record : envelope.records) {
                if (record.type == RecordType::Notice) {
                    actions.notices.push_back(record.user);
                } else if (record.type == RecordType::Frame) {
                    const std::uint8_t type = frameType(record);
                    if (type == static_cast<std::uint8_t>(proto::MessageType::Presence))
                        presenceRecord(node, record, actions);
                    else if (type == static_cast<std::uint8_t>(proto::MessageType::Room))
                        actions.rooms.emplace_back(viewOf(record));
                }
            }
            if (envelope.head.kind == EnvelopeKind::Broadcast && (flags & kFlagSnapshotEnd) != 0)
                snapshotEnded(node, actions);
            if (envelope.head.kind == EnvelopeKind::Sync && (flags & kFlagSnapshotRequest) != 0)
                publishSnapshotLocked();
        }
    }
    run(actions);
}

void NatsCluster::onLink(const std::uint8_t* data, std::size_t size) {
    const std::lock_guard<std::mutex> delivering(m_deliveryMutex);
    if (!m_receiving) return;
    Actions actions;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        DecodedEnvelope envelope;
        if (accept(data, size, envelope, actions)) {
            for (const RecordView& record : envelope.records) {
                if (record.type == RecordType::Frame && frameType(record) == kChat) {
                    actions.chats.emplace_back(viewOf(record));
                } else if (record.type == RecordType::Frame) {
                    m_forwarded.answered(viewOf(record));  // an answer for a CHAT we forwarded, maybe
                    actions.frames.emplace_back(record.user, std::string(viewOf(record)));
                } else if (record.type == RecordType::Notice) {
                    actions.notices.push_back(record.user);
                } else if (record.type == RecordType::Kick)
                    actions.kicks.emplace_back(record.user, std::string(viewOf(record)));
            }
        }
    }
    run(actions);
}

void NatsCluster::presenceRecord(const std::string& node, const RecordView& record, Actions& actions) {
    const std::optional<proto::Presence> presence = presenceIn(record);
    if (!presence || presence->contact.userId != record.user) {
        m_counters.foreign.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    const proto::UserId user = record.user;
    if (record.generation == 0) {  // a new account, no login
        actions.accounts.push_back(*presence);
        return;
    }
    if (presence->contact.state == proto::PresenceState::Offline) {
        if (m_homes.offline(user, node, record.generation)) actions.presence.push_back(*presence);
        return;
    }
    const auto snapshot = m_snapshots.find(node);
    if (snapshot != m_snapshots.end()) snapshot->second.insert(user);
    if (m_homes.online(user, node, record.generation)) actions.presence.push_back(*presence);
    const auto home = m_homes.homeOf(user);
    if (home && home->node == node && home->generation == record.generation)
        actions.supersede.push_back({user, record.generation, node});  // a session here of an older login ends
}

void NatsCluster::snapshotEnded(const std::string& node, Actions& actions) {
    const auto listed = m_snapshots.find(node);
    if (listed == m_snapshots.end()) return;
    // Whoever the snapshot did not list logged out while we could not hear it.
    for (const auto& [user, generation] : m_homes.onlineAt(node)) {
        if (listed->second.count(user) != 0) continue;
        if (m_homes.offline(user, node, generation))
            actions.presence.push_back(proto::Presence{{user, proto::PresenceState::Offline, {}, {}}});
    }
    m_snapshots.erase(listed);
}

void NatsCluster::nodeGone(const std::string& node, Actions& actions) {
    m_snapshots.erase(node);
    for (const proto::UserId user : m_homes.nodeLeft(node))
        actions.presence.push_back(proto::Presence{{user, proto::PresenceState::Offline, {}, {}}});
}

void NatsCluster::run(Actions& actions) {
    for (const auto& [level, line] : actions.logs) m_port.log(level, line);
    for (const proto::Presence& account : actions.accounts) m_port.accountAdded(account);
    for (const proto::Presence& change : actions.presence) m_port.presenceChanged(change);
    for (const auto& s : actions.supersede) m_port.supersede(s.user, s.generation, s.node);
    for (const proto::UserId user : actions.notices) m_port.notice(user);
    for (std::string& room : actions.rooms) m_port.roomArrived(std::move(room));
    for (std::string& chat : actions.chats) m_port.deliverChat(std::move(chat));
    for (auto& [user, frame] : actions.frames) m_port.deliverFrame(user, std::move(frame));
    for (const std::string& chat : actions.takenBack) m_port.storeForwarded(chat);
    m_counters.chatsTakenBack.fetch_add(actions.takenBack.size(), std::memory_order_relaxed);
    for (const auto& [user, text] : actions.kicks) m_port.kickLocal(user, text);
    if (actions.requestSnapshots) publishHeartbeat(kFlagSnapshotRequest);
}

// --- the timer thread ---------------------------------------------------------------

void NatsCluster::timerLoop() {
    std::unique_lock<std::mutex> timerLock(m_timerMutex);
    while (!m_stopping) {
        m_timerWake.wait_for(timerLock, std::chrono::milliseconds(m_config.heartbeatMs),
                             [this] { return m_stopping || m_resync; });
        if (m_stopping) break;
        const bool resync = std::exchange(m_resync, false);
        timerLock.unlock();

        publishHeartbeat(resync ? kFlagSnapshotRequest : 0);
        {
            const std::lock_guard<std::mutex> delivering(m_deliveryMutex);
            if (m_receiving) {
                Actions actions;
                {
                    const std::lock_guard<std::mutex> lock(m_mutex);
                    for (const std::string& node : m_membership.poll(wallMs())) {
                        const std::size_t before = actions.presence.size();
                        nodeGone(node, actions);
                        actions.logs.emplace_back(LogLevel::Warn, "node '" + node + "' is silent: its " +
                                                                      std::to_string(actions.presence.size() - before) +
                                                                      " users are offline here until it is back");
                    }
                    if (resync) publishSnapshotLocked();
                    // Forwarded CHATs with no answer: stored here after all (all of them
                    // after the link dropped: their answers may be lost).
                    std::set<std::string> aliveNodes;
                    for (const Member& member : m_membership.members())
                        if (member.alive) aliveNodes.insert(member.node);
                    const auto alive = [&aliveNodes](const std::string& node) { return aliveNodes.count(node) != 0; };
                    actions.takenBack =
                        resync ? m_forwarded.takeAll() : m_forwarded.takeUnanswered(wallMs(), kForwardTimeoutMs, alive);
                }
                run(actions);
                // Notices published while the link was down are lost: every session here fetches.
                if (resync) m_port.refetchAll();
            }
        }
        timerLock.lock();
    }
}

}  // namespace parley::cluster
