#pragma once
// Boost.Test prints the operands of a failed comparison.

#include "shared/transfer/FileIo.h"
#include "shared/transfer/TransferManager.h"

#include <ostream>

namespace parley::transfer {
inline std::ostream& operator<<(std::ostream& os, IoError v) { return os << toString(v); }
inline std::ostream& operator<<(std::ostream& os, OutcomeKind v) { return os << toString(v); }
inline std::ostream& operator<<(std::ostream& os, TransferState v) { return os << toString(v); }
inline std::ostream& operator<<(std::ostream& os, TransferError v) { return os << toString(v); }
}  // namespace parley::transfer

namespace parley::proto {
inline std::ostream& operator<<(std::ostream& os, FileRejectReason v) { return os << toString(v); }
inline std::ostream& operator<<(std::ostream& os, FileCancelReason v) { return os << toString(v); }
inline std::ostream& operator<<(std::ostream& os, FileResultStatus v) { return os << toString(v); }
}  // namespace parley::proto

namespace std {
inline std::ostream& operator<<(std::ostream& os, const parley::proto::Sha256& v) {
    return os << parley::transfer::toHex(v);
}
}  // namespace std
