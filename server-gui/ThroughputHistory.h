#pragma once
// The last ten minutes of throughput, one sample a second, worked out from the
// engine's cumulative counters (StatsSnapshot): messages/s, chat bytes/s, file
// bytes/s and open connections. What ThroughputGraph draws. Plain C++.
//
// Threading: one thread (the GUI thread feeds it from the controller's timer).

#include "server-gui/engine/ServerStats.h"

#include <cstddef>
#include <deque>

namespace parley::server {

struct ThroughputSample {
    double messagesPerSecond = 0.0;  ///< CHAT routed or stored, and ROOM
    double chatBytesPerSecond = 0.0;
    double fileBytesPerSecond = 0.0;  ///< FILE_CHUNK data relayed
    double connections = 0.0;
};

class ThroughputHistory {
public:
    static constexpr std::size_t kSamples = 600;  ///< ten minutes at one a second

    /// Adds the sample between the previous snapshot and `now`, `elapsedMs` apart.
    /// The first call only sets the baseline.
    void add(const StatsSnapshot& now, double elapsedMs);
    void clear();

    const std::deque<ThroughputSample>& samples() const { return m_samples; }
    /// The newest sample (zeros when there is none).
    ThroughputSample latest() const { return m_samples.empty() ? ThroughputSample{} : m_samples.back(); }

private:
    std::deque<ThroughputSample> m_samples;
    StatsSnapshot m_previous;
    bool m_havePrevious = false;
};

}  // namespace parley::server
