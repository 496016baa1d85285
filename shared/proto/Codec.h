#pragma once
// Encoding and decoding of headers and payloads. Sans-IO: bytes in, bytes out.
//
// Every integer is written byte by byte in network byte order (see Wire.h);
// every read is bounds-checked first; strings are validated as UTF-8.

#include "shared/proto/Messages.h"
#include "shared/proto/ProtocolError.h"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace parley::proto {

/// Writes the kHeaderSize bytes of `header` to `out`.
void encodeHeader(const Header& header, std::uint8_t* out);

/// Reads kHeaderSize bytes. Does not validate; see validateHeader().
Header decodeHeader(const std::uint8_t* in);

/// Checks magic, version, reserved and the payload limit (not the type).
ProtocolError validateHeader(const Header& header, std::uint32_t maxPayload = kMaxPayload);

/// Appends header + payload of `body` to `out`. The header's type and
/// payloadLength are taken from `body`; its other fields are written as given.
/// Strings longer than 65535 bytes or payloads over kMaxPayload are a caller
/// bug: checked with assert, and truncated in release builds.
void encode(std::vector<std::uint8_t>& out, Header header, const Body& body);

/// Convenience: a fresh buffer holding one encoded message.
std::vector<std::uint8_t> encode(const Header& header, const Body& body);

/// The payload of `body` alone (no header).
std::vector<std::uint8_t> encodePayload(const Body& body);

/// Decodes the payload of a frame whose header was already validated.
/// Returns None and fills `out`, or the reason the payload was refused
/// (UnknownType for a type this version does not define). The whole of
/// `size` must be consumed (else TrailingBytes). If `out` already holds the
/// alternative being decoded, its strings and vectors are reused (no new
/// allocation for a steady stream of one type); after an error `out` holds an
/// unspecified but valid value.
ProtocolError decodePayload(const Header& header, const std::uint8_t* payload, std::size_t size, Body& out);

/// Overwrites the source field of an encoded frame in place. The server uses
/// it to stamp the sender's id on a frame it relays without re-encoding it.
void patchSource(std::uint8_t* frame, UserId source);

/// The same for the destination field.
void patchDestination(std::uint8_t* frame, UserId destination);

/// Overwrites timestampMs (the first payload field) of an encoded CHAT or ROOM
/// frame in place: the server stamps it on relay. The caller guarantees the
/// frame is a whole CHAT or ROOM frame (its payload holds at least 8 bytes).
void patchTimestamp(std::uint8_t* frame, std::uint64_t timestampMs);

/// The server's stamps on a CHAT or ROOM frame it relays, in place: `source` (whatever the
/// sender claimed) and its clock's timestampMs. The one stamper: every relayed copy gets both.
void stampRelayed(std::uint8_t* frame, UserId source, std::uint64_t timestampMs);

/// A CHAT (or ROOM: the same layout) payload read where it lies: `text` points into it.
struct ChatView {
    std::uint64_t timestampMs = 0;
    std::string_view text;
};

/// Checks a CHAT payload in place exactly as decodePayload would (the same errors in the
/// same order; the fuzz target holds the two to it) and fills `out` on None: the relay's
/// hot path needs no decoded copy.
ProtocolError viewChat(const std::uint8_t* payload, std::size_t size, ChatView& out);

}  // namespace parley::proto
