#pragma once
// Counters the operator sees (window, headless log line, bench). Updated on
// any thread with relaxed atomics; read as a snapshot.

#include <atomic>
#include <cstdint>

namespace parley::server {

struct StatsSnapshot {
    std::uint64_t connectionsOpen = 0;
    std::uint64_t connectionsTotal = 0;
    std::uint64_t usersOnline = 0;
    std::uint64_t framesIn = 0;
    std::uint64_t framesOut = 0;
    std::uint64_t bytesIn = 0;
    std::uint64_t bytesOut = 0;
    std::uint64_t messagesRouted = 0;     ///< CHAT forwarded live
    std::uint64_t messagesStored = 0;     ///< CHAT committed for an offline recipient
    std::uint64_t messagesFromStore = 0;  ///< stored CHAT delivered at a later login
    std::uint64_t roomMessages = 0;
    std::uint64_t loginsOk = 0;
    std::uint64_t loginsFailed = 0;
    std::uint64_t registrations = 0;
    std::uint64_t hashQueueFull = 0;  ///< LOGIN/REGISTER answered Throttled: hashing queue full
    std::uint64_t protocolErrors = 0;
    std::uint64_t fileBytesRelayed = 0;  ///< FILE_CHUNK data passed on to receivers
    std::uint64_t transfersActive = 0;   ///< file transfers in progress (offered or accepted)
    std::uint64_t fileBytesQueued = 0;   ///< FILE_CHUNK frame bytes waiting in sessions' chunk queues
    std::uint64_t chatBytesIn = 0;       ///< CHAT and ROOM frame bytes received (the graph's chat bytes/s)
};

class ServerStats {
public:
    using Counter = std::atomic<std::uint64_t>;

    static void add(Counter& counter, std::uint64_t n = 1) { counter.fetch_add(n, std::memory_order_relaxed); }
    static void sub(Counter& counter, std::uint64_t n = 1) { counter.fetch_sub(n, std::memory_order_relaxed); }

    StatsSnapshot snapshot() const {
        const auto get = [](const Counter& c) { return c.load(std::memory_order_relaxed); };
        StatsSnapshot s;
        s.connectionsOpen = get(connectionsOpen);
        s.connectionsTotal = get(connectionsTotal);
        s.framesIn = get(framesIn);
        s.framesOut = get(framesOut);
        s.bytesIn = get(bytesIn);
        s.bytesOut = get(bytesOut);
        s.messagesRouted = get(messagesRouted);
        s.messagesStored = get(messagesStored);
        s.messagesFromStore = get(messagesFromStore);
        s.roomMessages = get(roomMessages);
        s.loginsOk = get(loginsOk);
        s.loginsFailed = get(loginsFailed);
        s.registrations = get(registrations);
        s.hashQueueFull = get(hashQueueFull);
        s.protocolErrors = get(protocolErrors);
        s.fileBytesRelayed = get(fileBytesRelayed);
        s.transfersActive = get(transfersActive);
        s.fileBytesQueued = get(fileBytesQueued);
        s.chatBytesIn = get(chatBytesIn);
        return s;
    }

    Counter connectionsOpen{0};
    Counter connectionsTotal{0};
    Counter framesIn{0};
    Counter framesOut{0};
    Counter bytesIn{0};
    Counter bytesOut{0};
    Counter messagesRouted{0};
    Counter messagesStored{0};
    Counter messagesFromStore{0};
    Counter roomMessages{0};
    Counter loginsOk{0};
    Counter loginsFailed{0};
    Counter registrations{0};
    Counter hashQueueFull{0};
    Counter protocolErrors{0};
    Counter fileBytesRelayed{0};
    Counter transfersActive{0};  ///< a gauge, kept by FileRelay
    Counter fileBytesQueued{0};  ///< a gauge, kept by the sessions' chunk queues
    Counter chatBytesIn{0};
};

}  // namespace parley::server
