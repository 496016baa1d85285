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
    /// Set by the receiving endpoint (not on the wire): the steady clock when the
    /// read that carried it completed, taken once per read for all its messages.
    std::uint64_t arrivedNs = 0;
};

/// Writes exactly kPayloadSize bytes.
void writePayload(char* out, const PayloadFields& fields);

/// Rewrites only seq and sentNs of a payload written by writePayload() with the
/// same phase and sender: the per-message part of a prebuilt frame.
void patchPayload(char* out, std::uint64_t seq, std::uint64_t sentNs);

/// A peer protocol's whole publish frame around a payload, built once and reused
/// while destination, phase and sender stay the same (the sender of a pair sends
/// every message of a phase to one peer): per message only the payload's seq and
/// send time, and what the protocol numbers per message, are rewritten.
struct PrebuiltFrame {
    char bytes[128];
    std::size_t size = 0;
    std::size_t payloadAt = 0;  ///< offset of the payload in bytes
    std::uint32_t to = 0;
    std::uint32_t phase = 0;
    std::uint32_t from = 0;

    bool fits(std::uint32_t destination, const PayloadFields& fields) const {
        return size != 0 && destination == to && fields.phase == phase && fields.from == from;
    }
    void remember(std::uint32_t destination, const PayloadFields& fields) {
        to = destination;
        phase = fields.phase;
        from = fields.from;
    }
    void patch(const PayloadFields& fields) { patchPayload(bytes + payloadAt, fields.seq, fields.sentNs); }
};

/// False if `data` is not a benchmark payload.
bool readPayload(const char* data, std::size_t size, PayloadFields& fields);

/// Nanoseconds of the steady clock.
inline std::uint64_t nowNs() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
}

inline std::uint64_t nowMs() { return nowNs() / 1'000'000; }

}  // namespace parley::bench
