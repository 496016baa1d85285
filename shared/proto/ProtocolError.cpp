#include "shared/proto/ProtocolError.h"

namespace parley::proto {

const char* toString(ProtocolError error) {
    switch (error) {
    case ProtocolError::None: return "None";
    case ProtocolError::BadMagic: return "BadMagic";
    case ProtocolError::UnsupportedVersion: return "UnsupportedVersion";
    case ProtocolError::ReservedNotZero: return "ReservedNotZero";
    case ProtocolError::PayloadTooLarge: return "PayloadTooLarge";
    case ProtocolError::Truncated: return "Truncated";
    case ProtocolError::TrailingBytes: return "TrailingBytes";
    case ProtocolError::InvalidUtf8: return "InvalidUtf8";
    case ProtocolError::InvalidValue: return "InvalidValue";
    case ProtocolError::UnknownType: return "UnknownType";
    }
    return "UNKNOWN";
}

ErrorCode toErrorCode(ProtocolError error) {
    switch (error) {
    case ProtocolError::BadMagic: return ErrorCode::BadMagic;
    case ProtocolError::UnsupportedVersion: return ErrorCode::UnsupportedVersion;
    case ProtocolError::PayloadTooLarge: return ErrorCode::PayloadTooLarge;
    case ProtocolError::UnknownType: return ErrorCode::UnsupportedType;
    // The wire has no separate code for a bad reserved field: the frame is malformed.
    case ProtocolError::ReservedNotZero:
    case ProtocolError::Truncated:
    case ProtocolError::TrailingBytes:
    case ProtocolError::InvalidUtf8:
    case ProtocolError::InvalidValue:
    case ProtocolError::None:  // not an error; callers only ask for real ones
        break;
    }
    return ErrorCode::MalformedPayload;
}

bool isFatal(ProtocolError error) {
    // A malformed payload still has a known length, but a peer whose encoder
    // is broken is not worth talking to: only an unknown type is survivable.
    return error != ProtocolError::None && error != ProtocolError::UnknownType;
}

}  // namespace parley::proto
