#pragma once
// What arrives from the other nodes of a cluster, handed to this node's engine
// (docs/cluster-design.md §1): the other direction of RemoteUsers. The cluster's receiving
// threads call it; it touches no session directly, only the thread-safe tables
// (DeliveryTable, UserDirectory) and posts to the sessions' loops, as store workers do.
//
// Threading: any thread, until RemoteUsers::stopReceiving() returned (Server::stop calls it
// before the loops stop).

#include "server-gui/engine/ServerObserver.h"
#include "shared/proto/Header.h"
#include "shared/proto/Messages.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace parley::server {

struct ServerCore;

class ClusterPort {
public:
    explicit ClusterPort(ServerCore& core) : m_core(core) {}

    /// A frame for `to` (ACK, ERROR, TYPING) from another node: to its session here, if any.
    /// False if `to` has none (nothing happens).
    bool deliverFrame(proto::UserId to, std::string frame);
    /// A stamped CHAT from a user on another node (RemoteUsers::forwardChat there) for a
    /// user here: routed as a local message is, live to the session or to the store (a
    /// session catching up, a user gone meanwhile); DELIVERED or STORED go back as frames.
    /// False for a frame that is not a CHAT (dropped).
    bool deliverChat(std::string frame);
    /// A CHAT this node forwarded and got no DELIVERED or STORED for in time (its node
    /// died, the link dropped): stored here after all, STORED to the sender as usual.
    void storeForwarded(std::string_view frame);
    /// Another node committed something for `user`: its session here fetches the backlog
    /// and the read receipts.
    void notice(proto::UserId user);
    /// Every session here fetches once (the cluster lost touch and may have missed notices).
    void refetchAll();
    /// A presence change the cluster decided (not a login or logout here) for this node's
    /// sessions. An account this node did not know is learnt first; names may be empty
    /// (then this node's directory names the user).
    void presenceChanged(const proto::Presence& presence);
    /// A new account registered on another node.
    void accountAdded(const proto::Presence& presence);
    /// `user` logged in on `node` with `generation`: a session here of an older login is
    /// ended with KICKED LoggedInElsewhere (a takeover across nodes).
    void supersede(proto::UserId user, std::uint64_t generation, const std::string& node);
    /// The operator of another node ends `user`'s session here (KICKED Operator).
    void kickLocal(proto::UserId user, const std::string& text);
    /// A stamped ROOM frame sent on another node: to every session here but its sender's.
    void roomArrived(std::string frame);

    /// Whether `user` has a session here.
    bool hasSession(proto::UserId user) const;
    /// The sessions here (users online on this node).
    std::size_t sessions() const;

    void log(LogLevel level, const std::string& line) const;
    /// A line that another node or a foreign publisher can cause over and over (limited).
    void logPeerCaused(const char* cause, LogLevel level, const std::string& line);

private:
    ServerCore& m_core;
};

}  // namespace parley::server
