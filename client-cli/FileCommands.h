#pragma once
// The one-shot file commands: sendfile NAME PATH and recvfile [--dir DIR] [--wait S]. Each
// ends with ExitCode::Ok only when the receiver verified the whole file (see --help).

#include "client-cli/CliClient.h"
#include "client-cli/CliOptions.h"

#include <memory>

namespace parley::client {

/// The client for Command::SendFile or Command::RecvFile; nullptr for the others.
std::unique_ptr<CliClient> makeFileCommand(const CliOptions& options);

}  // namespace parley::client
