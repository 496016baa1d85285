// The restart shape (Parley only): --users accounts (registered before, e.g. with
// --shape register) log in, with login tokens (--tokens 1) or passwords; then
// --restart-cmd kills the server with SIGKILL and starts it again. Every user
// reconnects (100..300 ms apart per retry, like a client's backoff) and logs in again:
// with a token (a SHA-256 and a lookup at the server) or with the password (PBKDF2 at
// the server's cost). Reported: the seconds from the kill until all are logged in and
// have their contact list (a client's "ready"), bounded by --setup-timeout (then how
// many made it).

#include "bench/parley/Fleet.h"
#include "bench/parley/Shapes.h"
#include "bench/parley/Stats.h"
#include "bench/parley/Targets.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

namespace parley::bench {
namespace {

using namespace std::chrono_literals;

class RestartDriver final : public EndpointListener {
public:
    void onReady(Endpoint& /*endpoint*/) override { m_ready.fetch_add(1, std::memory_order_relaxed); }
    void onFailed(Endpoint& /*endpoint*/, const std::string& /*why*/) override {
        m_failures.fetch_add(1, std::memory_order_relaxed);
    }
    void onChat(Endpoint& /*receiver*/, const PayloadFields& /*payload*/) override {}
    void onAcked(Endpoint& /*sender*/, std::uint64_t /*count*/) override {}

    std::atomic<std::uint64_t> m_ready{0};
    std::atomic<std::uint64_t> m_failures{0};
};

}  // namespace

int runRestart(const Options& options) {
    if (options.restartCommand.empty()) {
        note("restart: --restart-cmd is required");
        return 2;
    }
    Shared shared(options);
    if (!prepareShared(options, shared)) return 2;
    Fleet fleet(options, shared);
    const auto factory = endpointFactory(options, shared);
    fleet.addUsers(options.first, options.users, factory);
    if (!fleet.startAll(options.users, options.setupTimeout)) {
        ResultLine("restart").add("label", options.label).add("status", "setup_failed").print();
        note("first error: " + shared.firstError());
        return 2;
    }
    note("restart: " + std::to_string(options.users) + " users logged in (" + std::to_string(fleet.setupSeconds()) +
         " s); killing and restarting the server");
    RestartDriver driver;
    fleet.setTraffic(&driver);

    const auto begin = std::chrono::steady_clock::now();
    const int rc = std::system(options.restartCommand.c_str());
    const double restartSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    const auto deadline = begin + std::chrono::duration<double>(options.setupTimeout);
    while (driver.m_ready.load() < options.users && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    const std::uint64_t back = driver.m_ready.load();

    ResultLine line("restart");
    line.add("label", options.label).add("tokens", options.tokens ? "yes" : "no");
    line.add("users", std::uint64_t{options.users}).add("back", back);
    line.add("restart_cmd_s", restartSeconds, 2).add("seconds", seconds, 2);
    line.add("logins_per_s", static_cast<double>(back) / seconds, 1);
    const bool ok = rc == 0 && back == options.users && driver.m_failures.load() == 0;
    line.add("errors", shared.errors.load()).add("status", ok ? "ok" : back < options.users ? "timeout" : "FAIL");
    line.print();
    if (!ok && shared.errors.load() != 0) note("first error: " + shared.firstError());
    shared.stopping.store(true);
    fleet.stop();
    return ok ? 0 : 1;
}

}  // namespace parley::bench
