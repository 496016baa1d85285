#include "server-gui/engine/ConnectionBounds.h"

#include <algorithm>

namespace parley::server {

namespace {

net::OutputBounds bounds(std::uint32_t high, std::uint32_t low, std::uint32_t limit, std::uint32_t slowMs) {
    net::OutputBounds out;
    out.highWaterMark = high;
    out.lowWaterMark = std::min(low, high);
    out.outputLimit = limit;
    out.slowConsumerTimeout = std::chrono::milliseconds(slowMs);
    out.pauseReadingAboveHighWater = true;
    return out;
}

}  // namespace

net::ConnectionOptions preLoginConnectionOptions(const Limits& limits) {
    net::ConnectionOptions options;
    options.output = bounds(limits.preLoginOutputHighWater, limits.preLoginOutputLowWater, limits.preLoginOutputLimit,
                            limits.slowConsumerMs);
    return options;
}

net::OutputBounds loggedInOutputBounds(const Limits& limits) {
    return bounds(limits.outputHighWater, limits.outputLowWater, limits.outputLimit, limits.slowConsumerMs);
}

}  // namespace parley::server
