#pragma once
// Why a frame or payload was refused. Every malformed-input class has its own
// value, so tests (and logs) can tell them apart.

#include "shared/proto/Messages.h"

#include <cstdint>

namespace parley::proto {

enum class ProtocolError : std::uint8_t {
    None = 0,
    BadMagic,            ///< header does not start with "PL"
    UnsupportedVersion,  ///< header version is not kProtocolVersion
    ReservedNotZero,     ///< header reserved field is not zero
    PayloadTooLarge,     ///< payloadLength over the limit; nothing of it is buffered
    Truncated,           ///< payload ends inside a field
    TrailingBytes,       ///< payload longer than its fields
    InvalidUtf8,         ///< a str field is not valid UTF-8
    InvalidValue,        ///< an enum/bool field holds a value this version does not define
    UnknownType,         ///< the header type is unknown: answer ERROR UnsupportedType, stay connected
};

const char* toString(ProtocolError error);

/// The ERROR code a peer sends back for this protocol error.
ErrorCode toErrorCode(ProtocolError error);

/// True if the connection must be closed after reporting the error: framing
/// errors lose the frame boundary, so nothing after them can be trusted, and a
/// malformed payload (Truncated, TrailingBytes, InvalidUtf8, InvalidValue)
/// means the peer's encoder is broken. An UnknownType is not fatal (its
/// length is known and it was skipped). None is not fatal.
bool isFatal(ProtocolError error);

}  // namespace parley::proto
