#pragma once
// This node's part of a cluster over NATS: the engine's RemoteUsers (docs/cluster-design.md;
// what crosses nodes in this first cut is in engine/RemoteUsers.h).
//
//   parley.P.all              every node: heartbeats (1 s), presence with each login's
//                             generation, new accounts, notices ("fetch user X"), the room,
//                             presence snapshots
//   parley.P.node.N.link      node N: frames for its users (ACK, ERROR, TYPING)
//   parley.P.node.N.sync      node N answers: its name is taken
//
// Who is where: a HomeDirectory fed by presence, ordered by the generations of
// Store::claimHome. A node's presence, its snapshots included, leaves it in the order its
// state changed (one lock around the change and the publish), and one publisher's messages
// reach a subscription in order, so a snapshot replaces that node's users correctly.
// A node is dead after 3 s without a heartbeat: its users are offline here. After a
// reconnection to NATS (or dropped messages) every session here fetches once and the
// node asks everyone for a snapshot: what a notice or a presence change lost is recovered.
//
// Threads: the engine calls from loops and store workers; NATS delivers on its own threads
// (one per subscription); a timer thread sends heartbeats and declares the silent dead.

#include "server-gui/cluster/ForwardedChats.h"
#include "server-gui/cluster/HomeDirectory.h"
#include "server-gui/cluster/Membership.h"
#include "server-gui/cluster/NatsTransport.h"
#include "server-gui/cluster/Transport.h"
#include "server-gui/engine/RemoteUsers.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace parley::server {
class ClusterPort;
}

namespace parley::cluster {

struct ClusterConfig {
    std::string clusterName = "parley";  ///< [a-z0-9-]{1,32}: the subjects' prefix parley.<name>
    std::string node;                    ///< this node's name: [a-z0-9-]{1,64}
    NatsSettings nats;
    std::uint64_t heartbeatMs = 1'000;
    /// At start: how long to listen for the members (and for reasons not to join).
    std::uint64_t joinWaitMs = 1'200;
    MembershipLimits membership;
};

/// Whether `name` may name a cluster: 1..32 bytes of [a-z0-9-].
bool validClusterName(const std::string& name);

/// What a node counts of its cluster traffic.
struct ClusterCounters {
    std::atomic<std::uint64_t> envelopesOut{0};
    std::atomic<std::uint64_t> envelopesIn{0};
    std::atomic<std::uint64_t> noticesOut{0};
    std::atomic<std::uint64_t> framesForwarded{0};  ///< ACK/ERROR/TYPING to another node
    std::atomic<std::uint64_t> chatsForwarded{0};   ///< CHATs to the recipient's node
    std::atomic<std::uint64_t> chatsTakenBack{0};   ///< forwarded, unanswered, stored here after all
    std::atomic<std::uint64_t> foreign{0};          ///< NATS messages that are not ours, or of a non-member
};

/// Forwarded CHATs kept at most (beyond: stored here); their answer is expected within
/// kForwardTimeoutMs, else they are stored here after all.
constexpr std::size_t kMaxForwardedChats = 200'000;
constexpr std::uint64_t kForwardTimeoutMs = 5'000;

class NatsCluster final : public server::RemoteUsers {
    struct Passkey {
        explicit Passkey() = default;
    };

public:
    /// Joins: connects to NATS (or takes `transport`, for tests), checks that the name is
    /// free and that no member is incompatible, subscribes and learns the members and who
    /// is online where. Throws server::StartError with a text for the operator.
    static std::unique_ptr<NatsCluster> join(const ClusterConfig& config, server::ClusterPort& port,
                                             std::unique_ptr<Transport> transport = nullptr);
    ~NatsCluster() override;

    bool clustered() const override { return true; }
    const std::string& nodeName() const override { return m_config.node; }
    bool onlineElsewhere(proto::UserId user) const override;
    bool loggedIn(const proto::Presence& presence, std::uint64_t generation) override;
    bool loggedOut(const proto::Presence& presence, std::uint64_t generation) override;
    void accountAdded(const proto::Presence& presence) override;
    void stored(proto::UserId recipient) override;
    bool sendFrame(proto::UserId to, std::string_view frame) override;
    bool forwardChat(proto::UserId to, std::string_view frame) override;
    void broadcastRoom(std::string_view frame) override;
    bool kick(proto::UserId user, const std::string& text) override;
    std::vector<server::ClusterMemberView> members() const override;
    void stopReceiving() override;

    const ClusterCounters& counters() const { return m_counters; }

    /// Through join() only (the passkey is private).
    NatsCluster(Passkey, const ClusterConfig& config, server::ClusterPort& port);

private:
    /// What a received envelope asks of the engine, done after the lock is released.
    struct Actions;

    std::string subject(const std::string& tail) const;
    std::string nodeSubject(const std::string& node, const char* tail) const;
    EnvelopeHead head(EnvelopeKind kind, std::uint16_t flags = 0) const;
    bool publish(const std::string& subject, const std::vector<std::uint8_t>& envelope);
    /// One record on the link of the node where `user` is logged in; false if nowhere else.
    bool toHome(proto::UserId user, RecordType type, std::string_view bytes);
    /// One record on parley.P.all (m_mutex held when it must keep its place among presence).
    bool broadcast(RecordType type, std::uint32_t user, std::uint64_t generation, std::string_view bytes);
    void publishHeartbeat(std::uint16_t flags);
    /// This node's users, as presence records (m_mutex held).
    void publishSnapshotLocked();

    void onAll(const std::uint8_t* data, std::size_t size);
    void onLink(const std::uint8_t* data, std::size_t size);
    /// Decodes and checks the sender; false (counted, logged) if it is not a member's.
    bool accept(const std::uint8_t* data, std::size_t size, DecodedEnvelope& out, Actions& actions);
    void presenceRecord(const std::string& node, const RecordView& record, Actions& actions);
    void snapshotEnded(const std::string& node, Actions& actions);
    void nodeGone(const std::string& node, Actions& actions);
    void run(Actions& actions);

    void timerLoop();
    static std::uint64_t wallMs();

    ClusterConfig m_config;
    server::ClusterPort& m_port;
    const std::uint64_t m_instance;
    std::unique_ptr<Transport> m_transport;

    mutable std::mutex m_mutex;  ///< the state below, and the order of what goes on parley.P.all
    Membership m_membership;
    HomeDirectory m_homes;
    /// Our own logins' PRESENCE frames, for snapshots.
    std::unordered_map<proto::UserId, std::string> m_localPresence;
    /// Snapshots being received, per node: the users it listed so far.
    std::map<std::string, std::set<proto::UserId>> m_snapshots;
    /// Reasons not to run that arrived (another node with our name, an incompatible one).
    std::vector<std::string> m_refusals;
    std::set<std::string> m_reported;  ///< nodes whose incompatibility was logged once
    /// Held while what arrived is handed to the engine (onAll, onLink, the timer's work), so
    /// that stopReceiving() returns only once no hand-over runs: the loops may go then.
    std::mutex m_deliveryMutex;
    bool m_receiving = true;  ///< under m_deliveryMutex

    std::mutex m_timerMutex;
    std::condition_variable m_timerWake;
    bool m_stopping = false;
    bool m_resync = false;  ///< reconnected or dropped: refetch and ask for snapshots
    std::thread m_timer;

    ClusterCounters m_counters;
    /// Forwarded CHATs not answered yet (kept for the store in case they never are).
    ForwardedChats m_forwarded{kMaxForwardedChats};
};

}  // namespace parley::cluster
