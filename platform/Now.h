#pragma once
// The two clock readings the programs need, in milliseconds: the one place that turns
// std::chrono into them (the engine's Clock, the store's row stamps and parley-cli all
// read these; tests swap in their own through server::Clock).

#include <chrono>
#include <cstdint>

namespace parley::net {

/// Monotonic milliseconds (steady_clock, arbitrary origin): durations, timeouts, rates.
inline std::uint64_t steadyNowMs() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
}

/// Milliseconds since the Unix epoch (system_clock): stamps that people and other machines read.
inline std::uint64_t wallNowMs() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

}  // namespace parley::net
