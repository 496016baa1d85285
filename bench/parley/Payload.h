#pragma once
// The 64-byte benchmark message body, the same for every server: printable
// ASCII (valid UTF-8 for Parley's CHAT text), fixed offsets, hex fields.
//
//   offset  size  field
//        0     1  '#'
//        1     2  phase   (hex) which measurement phase sent it
//        3     8  from    (hex) the sender's address (Parley user id, else index)
//       11    16  seq     (hex) per pair and phase, from 1, increasing
//       27    16  sentNs  (hex) steady clock at send; sender and receiver share
//                         the process, so the clocks agree
//       43    21  '.' filler

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace parley::bench {

constexpr std::size_t kPayloadSize = 64;

struct PayloadFields {
    std::uint32_t phase = 0;
    std::uint32_t from = 0;
    std::uint64_t seq = 0;
    std::uint64_t sentNs = 0;
};

/// Writes exactly kPayloadSize bytes.
void writePayload(char* out, const PayloadFields& fields);

/// False if `data` is not a benchmark payload.
bool readPayload(const char* data, std::size_t size, PayloadFields& fields);

/// Nanoseconds of the steady clock.
inline std::uint64_t nowNs() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now().time_since_epoch())
                                          .count());
}

inline std::uint64_t nowMs() { return nowNs() / 1'000'000; }

}  // namespace parley::bench
