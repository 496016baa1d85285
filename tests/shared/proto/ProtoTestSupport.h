#pragma once
// Helpers shared by the shared/proto suites. Plain C++: no Boost, no OS calls.

#include "shared/proto/Codec.h"
#include "shared/proto/Framer.h"

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace parley::proto::test {

using Bytes = std::vector<std::uint8_t>;

/// "504C 01 | ..." -> bytes. Spaces and '|' are ignored; anything else but hex digits
/// (or an odd digit count) throws std::invalid_argument.
Bytes hexBytes(std::string_view hex);

/// Bytes as upper-case hex pairs separated by spaces, for readable diagnostics.
std::string toHex(const std::uint8_t* data, std::size_t size);
std::string toHex(const Bytes& bytes);

/// A message and its encoding, written out by hand from docs/protocol.md.
struct GoldenCase {
    std::string name;
    Message message;  ///< header.type and header.payloadLength set as on the wire
    Bytes frame;      ///< header + payload
};

/// Every message type at least once; a few types twice (edge values).
const std::vector<GoldenCase>& goldenCases();
/// The golden case called `name`; throws std::out_of_range if there is none.
const GoldenCase& goldenCase(std::string_view name);

/// Messages of every type with varied and edge values (empty and maximal
/// strings, empty and long lists, u64 values past 2^32 and 2^63).
std::vector<Message> sampleMessages();
/// The samples whose frame is at most `maxFrame` bytes.
std::vector<Message> smallSampleMessages(std::size_t maxFrame);

Bytes encodeFrame(const Message& message);

/// Parses `frame` (which must hold exactly one whole frame, else
/// std::logic_error) and decodes its payload into `out`.
ProtocolError decodeFrame(const Bytes& frame, Message& out);

/// A copy of `frame` with its payloadLength field set to `length`.
Bytes withPayloadLength(Bytes frame, std::uint32_t length);

/// A copy of a frame cut to `payloadBytes` of payload, its header saying so.
Bytes withPayloadCut(const Bytes& frame, std::size_t payloadBytes);

}  // namespace parley::proto::test

namespace parley::proto {
// For Boost.Test diagnostics.
std::ostream& operator<<(std::ostream& os, ProtocolError error);
std::ostream& operator<<(std::ostream& os, FrameStatus status);
std::ostream& operator<<(std::ostream& os, MessageType type);
std::ostream& operator<<(std::ostream& os, ErrorCode code);
}  // namespace parley::proto
