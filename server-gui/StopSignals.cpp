#include "server-gui/StopSignals.h"

#include <csignal>

namespace parley::server {
namespace {

// A signal handler can only reach a global; these flags are the only global
// mutable state in the program, set by the handlers and read by the main loop.
volatile std::sig_atomic_t g_stopRequested = 0;
volatile std::sig_atomic_t g_reopenRequested = 0;

extern "C" void requestStop(int) { g_stopRequested = 1; }
extern "C" void requestReopen(int) { g_reopenRequested = 1; }

}  // namespace

void installStopSignals() {
    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
#ifdef SIGHUP  // POSIX only; Windows services have no SIGHUP
    std::signal(SIGHUP, requestReopen);
#endif
}

bool stopRequested() { return g_stopRequested != 0; }

bool takeReopenRequest() {
    if (g_reopenRequested == 0) return false;
    g_reopenRequested = 0;
    return true;
}

}  // namespace parley::server
