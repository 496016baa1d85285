#pragma once
// The process exit codes of parley-cli (documented in --help).

#include <string>

namespace parley::client {

enum class ExitCode : int {
    Ok = 0,
    Usage = 1,    ///< bad arguments
    Connect = 2,  ///< cannot connect, or the connection was lost for good
    Auth = 3,     ///< login refused: bad credentials, throttled, invalid name/password
    Refused = 4,  ///< the server refused the request: name taken, unknown recipient, error, kicked
    Timeout = 5,  ///< no answer within --timeout
    FileRefused = 6,  ///< sendfile/recvfile: the transfer was refused (declined, offline, too large, ...)
    FileFailed = 7,   ///< sendfile/recvfile: cancelled, hash mismatch, write or read error
};

/// What a run ended with: the exit code and, for failures, the reason (for stderr).
struct Outcome {
    ExitCode code = ExitCode::Ok;
    std::string error;
};

}  // namespace parley::client
