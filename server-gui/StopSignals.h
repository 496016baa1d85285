#pragma once
// SIGINT/SIGTERM (and SIGHUP, where it exists) for parley-server, headless or
// windowed: the handlers only set flags, which the main loop (headless) or a
// timer on the GUI thread (window) polls. Plain C++.

namespace parley::server {

/// Installs the handlers: SIGINT and SIGTERM ask to stop, SIGHUP to reopen the log.
void installStopSignals();
/// A stop was asked for (stays true).
bool stopRequested();
/// A reopen was asked for since the last call.
bool takeReopenRequest();

}  // namespace parley::server
