#pragma once
// The commands for scripts: register, send, recv, who (and
// sendfile, recvfile: FileCommands.h). Each is a small CliClient that
// does one thing and ends the run with an exit code (see ExitCode.h and --help).

#include "client-cli/CliClient.h"
#include "client-cli/CliOptions.h"

#include <memory>

namespace parley::client {

/// The client for options.command (Register, Send, Recv, Who, SendFile, RecvFile); nullptr for the
/// others (Interactive, Help, Version). Call run() on it from the main thread.
std::unique_ptr<CliClient> makeOneShotCommand(const CliOptions& options);

}  // namespace parley::client
