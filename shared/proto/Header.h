#pragma once
// The fixed-size message header that starts every Parley frame.
//
//   offset size field          notes
//   ------ ---- -------------  -----------------------------------------------
//        0    2 magic          0x50 0x4C ("PL")
//        2    1 version        kProtocolVersion (1)
//        3    1 type           MessageType
//        4    2 flags          bit set; unknown bits are ignored by receivers
//        6    2 reserved       must be zero
//        8    4 source         user id of the sender; stamped by the server
//       12    4 destination    user id the message is routed to (0 = server/room)
//       16    8 messageId      client-generated, increasing per sender
//       24    4 payloadLength  bytes that follow the header, <= kMaxPayload
//   ------ ----
//       28 bytes, every integer big-endian (network byte order).
//
// The header is encoded field by field (see Wire.h): a C++ struct is never
// copied onto the wire, so padding and host endianness do not matter.

#include <cstddef>
#include <cstdint>

namespace parley::proto {

using UserId = std::uint32_t;
using MessageId = std::uint64_t;

/// The server's own id, and the destination of the shared room.
constexpr UserId kServerId = 0;

constexpr std::uint16_t kMagic = 0x504C;  // "PL"
constexpr std::uint8_t kProtocolVersion = 1;
constexpr std::size_t kHeaderSize = 28;
/// Largest payload a peer may send: 1 MiB. A frame announcing more is rejected
/// before any of its payload is buffered.
constexpr std::uint32_t kMaxPayload = 1024 * 1024;

/// Header flag bits.
namespace flags {
/// Set on a message the client sends again after a reconnect (informational;
/// receivers deduplicate by (source, messageId) regardless).
constexpr std::uint16_t kResent = 0x0001;
}  // namespace flags

enum class MessageType : std::uint8_t;

struct Header {
    std::uint16_t magic = kMagic;
    std::uint8_t version = kProtocolVersion;
    std::uint8_t type = 0;  ///< raw MessageType; may be a type this peer does not know
    std::uint16_t flags = 0;
    std::uint16_t reserved = 0;
    UserId source = 0;
    UserId destination = 0;
    MessageId messageId = 0;
    std::uint32_t payloadLength = 0;

    MessageType messageType() const { return static_cast<MessageType>(type); }
};

inline bool operator==(const Header& a, const Header& b) {
    return a.magic == b.magic && a.version == b.version && a.type == b.type && a.flags == b.flags &&
           a.reserved == b.reserved && a.source == b.source && a.destination == b.destination &&
           a.messageId == b.messageId && a.payloadLength == b.payloadLength;
}
inline bool operator!=(const Header& a, const Header& b) { return !(a == b); }

}  // namespace parley::proto
