#pragma once

#include <chrono>
#include <cstddef>

namespace parley::net {

/// Per-connection settings a TcpServer or TcpClient applies to each connection it creates.
struct ConnectionOptions {
    /// Output bytes queued at which HighWaterMarkCallback fires.
    std::size_t highWaterMark = std::size_t{4} << 20U;
    /// Output bytes queued at or below which LowWaterMarkCallback fires after a high-water event.
    std::size_t lowWaterMark = std::size_t{1} << 20U;
    /// How long close() waits for the peer to take queued output before force-closing.
    std::chrono::milliseconds closeTimeout{5000};
    bool tcpNoDelay = true;
};

} // namespace parley::net
