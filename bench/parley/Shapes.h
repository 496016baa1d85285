#pragma once
// The load shapes. Each returns the process exit status: 0 when every check
// passed, 1 when a message was lost, duplicated or reordered (or an error
// frame arrived), 2 when setup failed.

#include "bench/parley/Options.h"

namespace parley::bench {

int runRegister(const Options& options);
int runPairs(const Options& options);
int runIdle(const Options& options);
int runLogins(const Options& options);
/// Restart.cpp: logged-in users, the server killed and restarted, time until all are back.
int runRestart(const Options& options);
int runFileRelay(const Options& options);
int runTcpCopy(const Options& options);

}  // namespace parley::bench
