#pragma once
// operator<< for db/ enums, so that Boost.Test can print them in failed checks.

#include "db/ConnectionString.h"
#include "db/Result.h"
#include "db/StoreTypes.h"

#include <ostream>

namespace parley::db {

inline std::ostream& operator<<(std::ostream& out, Status status) { return out << toString(status); }
inline std::ostream& operator<<(std::ostream& out, EnqueueOutcome outcome) {
    return out << (outcome == EnqueueOutcome::Stored ? "Stored" : "AlreadyStored");
}
inline std::ostream& operator<<(std::ostream& out, TransferState state) {
    return out << "TransferState(" << static_cast<int>(state) << ")";
}
inline std::ostream& operator<<(std::ostream& out, Dialect dialect) { return out << toString(dialect); }

}  // namespace parley::db
