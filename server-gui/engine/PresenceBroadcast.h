#pragma once
// A presence change to every session of this node (PresenceFanout on each I/O loop):
// logins and logouts here, and those a cluster hears of (ClusterPort).

#include "shared/proto/Messages.h"

namespace parley::server {

struct ServerCore;

/// Sends PRESENCE `presence` to every online session but its subject's: one post per I/O
/// loop, where SessionLoop gathers the changes of a few milliseconds into one write per
/// session (a login storm is N logins times N users). `known`: a state change of an
/// account the receivers know (not a new one).
void fanOutPresence(ServerCore& core, const proto::Presence& presence, bool known);

}  // namespace parley::server
