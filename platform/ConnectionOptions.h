#pragma once

#include <chrono>
#include <cstddef>

namespace parley::net {

/// What a connection may queue for its peer, and what happens at each mark.
struct OutputBounds {
    /// Output bytes queued at which HighWaterMarkCallback fires.
    std::size_t highWaterMark = std::size_t{4} << 20U;
    /// Output bytes queued at or below which LowWaterMarkCallback fires after a high-water event.
    std::size_t lowWaterMark = std::size_t{1} << 20U;
    /// Above highWaterMark the connection stops reading until its output is back at
    /// lowWaterMark, so that what the peer asks for (a PING's PONG) cannot grow it.
    bool pauseReadingAboveHighWater = false;
    /// A connection whose output stays above highWaterMark this long is closed as a slow
    /// consumer (logged; lastError: timed out). 0 = never.
    std::chrono::milliseconds slowConsumerTimeout{0};
    /// Output bytes above which the connection is closed at once (logged; lastError: no
    /// buffer space): send() refuses what would pass it and the close follows at the end
    /// of the loop iteration. 0 = no limit.
    std::size_t outputLimit = 0;
};

/// Per-connection settings a TcpServer or TcpClient applies to each connection it creates.
struct ConnectionOptions {
    OutputBounds output;
    /// How long close() waits for the peer to take queued output before force-closing.
    std::chrono::milliseconds closeTimeout{5000};
    bool tcpNoDelay = true;
};

}  // namespace parley::net
