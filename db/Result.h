#pragma once
// How every db/ call reports its outcome: a Status plus the driver's error text.
// No exception escapes db/; callers branch on `status`.

#include <string>
#include <utility>

namespace parley::db {

enum class Status {
    Ok,
    NotFound,     ///< the addressed row does not exist
    Conflict,     ///< a unique key is taken (e.g. the username); nothing was written
    Unavailable,  ///< the database cannot be reached or used right now (connection refused
                  ///< or lost, login failed, file cannot be opened, locked past the busy
                  ///< timeout). Retry later: the store reconnects on its next call.
    Error         ///< anything else: invalid argument, schema problem, other driver error
};

/// "Ok", "NotFound", ... (never null).
const char* toString(Status status);

/// The outcome of a call without a value. `error` is empty when Ok; otherwise it holds
/// what went wrong, with the driver's text where there is one (never a password).
struct Result {
    Status status = Status::Ok;
    std::string error;

    bool ok() const { return status == Status::Ok; }
};

/// The outcome of a call that yields a value; `value` is meaningful only when ok().
/// Converts implicitly from a T (success) and from a failed Result.
template <typename T>
struct ValueResult {
    Status status = Status::Ok;
    std::string error;
    T value{};

    ValueResult() = default;
    ValueResult(T v) : value(std::move(v)) {}  // NOLINT: implicit by design
    ValueResult(Result failure)                // NOLINT: implicit by design
        : status(failure.status), error(std::move(failure.error)) {}

    bool ok() const { return status == Status::Ok; }
    Result result() const { return Result{status, error}; }
};

}  // namespace parley::db
