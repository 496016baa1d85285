#include "db/Result.h"

namespace parley::db {

const char* toString(Status status) {
    switch (status) {
    case Status::Ok: return "Ok";
    case Status::NotFound: return "NotFound";
    case Status::Conflict: return "Conflict";
    case Status::Unavailable: return "Unavailable";
    case Status::Error: return "Error";
    }
    return "Unknown";
}

}  // namespace parley::db
