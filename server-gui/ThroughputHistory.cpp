#include "server-gui/ThroughputHistory.h"

namespace parley::server {
namespace {

double rate(std::uint64_t now, std::uint64_t before, double elapsedMs) {
    return now >= before && elapsedMs > 0 ? static_cast<double>(now - before) * 1000.0 / elapsedMs : 0.0;
}

std::uint64_t messages(const StatsSnapshot& s) { return s.messagesRouted + s.messagesStored + s.roomMessages; }

}  // namespace

void ThroughputHistory::add(const StatsSnapshot& now, double elapsedMs) {
    if (m_havePrevious) {
        ThroughputSample sample;
        sample.messagesPerSecond = rate(messages(now), messages(m_previous), elapsedMs);
        sample.chatBytesPerSecond = rate(now.chatBytesIn, m_previous.chatBytesIn, elapsedMs);
        sample.fileBytesPerSecond = rate(now.fileBytesRelayed, m_previous.fileBytesRelayed, elapsedMs);
        sample.connections = static_cast<double>(now.connectionsOpen);
        m_samples.push_back(sample);
        if (m_samples.size() > kSamples) m_samples.pop_front();
    }
    m_previous = now;
    m_havePrevious = true;
}

void ThroughputHistory::clear() {
    m_samples.clear();
    m_havePrevious = false;
}

}  // namespace parley::server
