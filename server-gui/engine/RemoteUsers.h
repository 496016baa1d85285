#pragma once
// The engine's one view of users who are not on this node (docs/cluster-design.md §1): a
// cluster implements it (server-gui/cluster/NatsCluster), a single server has
// LocalOnlyRemoteUsers, which says "nobody is elsewhere" to every question. The engine asks
// only where today's code finds no local session, so a single server's paths are unchanged.
//
// What crosses nodes, and how:
//   - a CHAT for a user logged in on another node goes to that node (forwardChat) when no
//     store job for the user is pending here; that node routes it as it routes a local
//     message (live to the session, or its store when the user is catching up), and the
//     DELIVERED (or STORED) comes back as a frame. This node keeps each forwarded CHAT until
//     then; one not answered in time, or whose node died or whose link dropped, is stored
//     here after all (ClusterPort::storeForwarded: a duplicate at worst, which clients drop
//     by (sender, id));
//   - anything else for a user with no session here (a CHAT while a store job is pending, a
//     read receipt, a user online nowhere) takes the store path on this node, exactly as
//     for an offline user (STORED after the commit); after the commit stored() tells every
//     node, and the node where the recipient is logged in fetches it;
//   - ACK Delivered/Stored, ERROR and TYPING frames for a user logged in elsewhere go to
//     that user's node (sendFrame, best effort like TYPING today: the message itself is
//     already safe);
//   - presence, new accounts and the room go to every node.
//
// Threading: every method from any thread (I/O loops, store workers); none blocks on the
// network (a copy into the transport's buffer at most).

#include "shared/proto/Header.h"
#include "shared/proto/Messages.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::server {

/// Another node as this one sees it (the operator's Cluster view, the headless stats).
struct ClusterMemberView {
    std::string node;
    bool self = false;
    bool alive = false;
    bool compatible = true;       ///< same cluster and schema version, clock within bounds
    std::size_t usersOnline = 0;  ///< as its presence announced
    std::int64_t clockOffsetMs = 0;
    std::uint64_t lastHeardAgoMs = 0;
};

class RemoteUsers {
public:
    virtual ~RemoteUsers() = default;

    /// false: a single server (every other method is then a no-op or "not elsewhere").
    virtual bool clustered() const = 0;
    /// This node's name in the cluster (what claimHome writes); empty when not clustered.
    virtual const std::string& nodeName() const = 0;
    /// Whether `user` is logged in on another node (CONTACTS asks it for every user).
    virtual bool onlineElsewhere(proto::UserId user) const = 0;

    /// `presence.contact` (Online) logged in here with the login's `generation` (its
    /// claim). Returns whether the cluster sees the user come online (this node's
    /// sessions get PRESENCE then; not when the user was online on another node).
    virtual bool loggedIn(const proto::Presence& presence, std::uint64_t generation) = 0;
    /// The session of `generation` here ended. Returns whether the user is now offline
    /// everywhere (this node's sessions get PRESENCE Offline then; not when a newer login
    /// elsewhere took over).
    virtual bool loggedOut(const proto::Presence& presence, std::uint64_t generation) = 0;
    /// A new account registered here: every node learns it (contacts, destinations).
    virtual void accountAdded(const proto::Presence& presence) = 0;

    /// A store job committed something `recipient` must fetch (a CHAT, a read receipt)
    /// and the recipient has no session here: the node where it is logged in fetches.
    virtual void stored(proto::UserId recipient) = 0;
    /// A stamped CHAT frame for `to`, who has no session here and nothing pending in this
    /// node's store: sent to the node where `to` is logged in. False (nothing sent: store
    /// it here) when `to` is online nowhere else, its node is silent or the link is down.
    virtual bool forwardChat(proto::UserId to, std::string_view frame) = 0;
    /// An encoded frame (ACK, ERROR, TYPING) for `to`, who has no session here. False if
    /// `to` is online nowhere (the frame is dropped, as for an offline user today).
    virtual bool sendFrame(proto::UserId to, std::string_view frame) = 0;
    /// A stamped ROOM frame (destination: the server) for every other node's sessions.
    virtual void broadcastRoom(std::string_view frame) = 0;
    /// The operator ends `user`'s session on the node where it is (KICKED Operator with
    /// `text`): a kick, a disabled account, revoked sessions. False if online nowhere else.
    virtual bool kick(proto::UserId user, const std::string& text) = 0;

    /// The members, this node first; empty when not clustered.
    virtual std::vector<ClusterMemberView> members() const = 0;
    /// Stop delivering what arrives from other nodes (Server::stop, before the loops
    /// stop); what this node sends still goes out until the object is destroyed.
    virtual void stopReceiving() = 0;
};

/// A single server: nobody is elsewhere.
class LocalOnlyRemoteUsers final : public RemoteUsers {
public:
    bool clustered() const override { return false; }
    const std::string& nodeName() const override { return m_noName; }
    bool onlineElsewhere(proto::UserId) const override { return false; }
    bool loggedIn(const proto::Presence&, std::uint64_t) override { return true; }
    bool loggedOut(const proto::Presence&, std::uint64_t) override { return true; }
    void accountAdded(const proto::Presence&) override {}
    void stored(proto::UserId) override {}
    bool forwardChat(proto::UserId, std::string_view) override { return false; }
    bool sendFrame(proto::UserId, std::string_view) override { return false; }
    void broadcastRoom(std::string_view) override {}
    bool kick(proto::UserId, const std::string&) override { return false; }
    std::vector<ClusterMemberView> members() const override { return {}; }
    void stopReceiving() override {}

private:
    const std::string m_noName;
};

}  // namespace parley::server
