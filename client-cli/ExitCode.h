#pragma once
// The process exit codes of parley-cli (documented in --help).

#include <string>
#include <utility>

namespace parley::client {

enum class ExitCode : int {
    Ok = 0,
    Usage = 1,        ///< bad arguments
    Connect = 2,      ///< cannot connect, or the connection was lost for good
    Auth = 3,         ///< login refused: bad credentials, throttled, invalid name/password
    Refused = 4,      ///< the server refused the request: name taken, unknown recipient, error, kicked
    Timeout = 5,      ///< no answer within --timeout
    FileRefused = 6,  ///< sendfile/recvfile: the transfer was refused (declined, offline, too large, ...)
    FileFailed = 7,   ///< sendfile/recvfile: cancelled, hash mismatch, write or read error
    Untrusted = 8,    ///< the server's TLS certificate is not trusted: unknown, or not the pinned one
};

/// What a run ended with: the exit code and, for failures, the reason (for stderr).
struct Outcome {
    Outcome() = default;
    Outcome(ExitCode exitCode, std::string why, std::string fingerprint = {})
        : code(exitCode), error(std::move(why)), unknownFingerprint(std::move(fingerprint)) {}

    ExitCode code = ExitCode::Ok;
    std::string error;
    /// Untrusted because merely unknown: the certificate's fingerprint, which the user may
    /// confirm (main() asks at a terminal, pins it and runs again).
    std::string unknownFingerprint;
};

}  // namespace parley::client
