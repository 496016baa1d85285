#pragma once
// What one session moved, for the operator's online table. Plain integers,
// written and read on the session's loop only (Server::snapshotSessions()
// copies them there).

#include <cstdint>

namespace parley::server {

struct SessionTraffic {
    std::uint64_t messagesIn = 0;   ///< CHAT and ROOM frames this connection sent
    std::uint64_t messagesOut = 0;  ///< CHAT frames delivered to it, live or from the store
    std::uint64_t bytesIn = 0;      ///< whole frames read, headers included
    std::uint64_t bytesOut = 0;     ///< whole frames written
};

}  // namespace parley::server
