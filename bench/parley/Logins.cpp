// The register and logins shapes (Parley only).
//
// register: --users accounts from --first, over --concurrency connections, one
// REGISTER at a time each (the server hashes on its store workers).
// logins: --login-users accounts (registered first, at the server's configured
// hash cost) each log in, LOGOUT, reconnect and log in again, for --seconds;
// a login is TCP connect + LOGIN + LOGIN_RESULT Ok.

#include "bench/parley/Fleet.h"
#include "bench/parley/ParleyRegistrar.h"
#include "bench/parley/ProcStats.h"
#include "bench/parley/Shapes.h"
#include "bench/parley/Stats.h"
#include "bench/parley/Targets.h"

#include <atomic>
#include <chrono>
#include <thread>

namespace parley::bench {
namespace {

using namespace std::chrono_literals;

/// Registers [first, first + count); prints a `register` result line.
bool registerUsers(const Options& options, std::size_t first, std::size_t count) {
    Shared shared(options);
    if (!prepareShared(options, shared)) return false;
    shared.nextToRegister.store(first);
    shared.registerEnd = first + count;
    Fleet fleet(options, shared);
    const std::size_t connections = std::min(options.concurrency, std::max<std::size_t>(count, 1));
    for (std::size_t i = 0; i < connections; ++i)
        fleet.add(i % fleet.loopCount(), static_cast<std::uint32_t>(i),
                  [&shared](net::Reactor& loop, std::uint32_t index) {
                      return std::make_unique<ParleyRegistrar>(shared, loop, index);
                  });
    const bool ok = fleet.startAll(connections, options.setupTimeout);
    ResultLine line("register");
    line.add("label", options.label).add("users", std::uint64_t{count});
    line.add("created", shared.registered.load()).add("existing", shared.alreadyThere.load());
    line.add("seconds", fleet.setupSeconds(), 2);
    line.add("per_s", static_cast<double>(count) / fleet.setupSeconds(), 1);
    line.add("status", ok ? "ok" : "FAIL");
    line.print();
    if (!ok) note("register failed: " + shared.firstError());
    fleet.stop();
    return ok;
}

class LoginsDriver final : public EndpointListener {
public:
    void onReady(Endpoint& endpoint) override {
        if (m_counting.load(std::memory_order_relaxed)) m_logins.fetch_add(1, std::memory_order_relaxed);
        if (!m_stopping.load(std::memory_order_relaxed)) endpoint.relogin();
    }
    void onFailed(Endpoint&, const std::string&) override { m_failures.fetch_add(1); }
    void onChat(Endpoint&, const PayloadFields&) override {}
    void onAcked(Endpoint&, std::uint64_t) override {}

    std::atomic<bool> m_counting{false};
    std::atomic<bool> m_stopping{false};
    std::atomic<std::uint64_t> m_logins{0};
    std::atomic<std::uint64_t> m_failures{0};
};

}  // namespace

int runRegister(const Options& options) { return registerUsers(options, options.first, options.users) ? 0 : 2; }

int runLogins(const Options& options) {
    if (!registerUsers(options, options.first, options.loginUsers)) return 2;
    Shared shared(options);
    if (!prepareShared(options, shared)) return 2;
    Fleet fleet(options, shared);
    const auto factory = endpointFactory(options, shared);
    fleet.addUsers(options.first, options.loginUsers, factory);
    LoginsDriver driver;
    fleet.setTraffic(&driver);
    if (!fleet.startAll(options.loginUsers, options.setupTimeout)) {
        ResultLine("logins").add("label", options.label).add("status", "setup_failed").print();
        return 2;
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(options.warmup));
    CpuMeter serverCpu(options.serverPid, options.clkTck);
    serverCpu.start();
    const auto begin = std::chrono::steady_clock::now();
    driver.m_counting.store(true);
    std::this_thread::sleep_for(std::chrono::duration<double>(options.seconds));
    driver.m_counting.store(false);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    const double cpu = serverCpu.enabled() ? serverCpu.elapsed() : -1;
    driver.m_stopping.store(true);
    const std::uint64_t logins = driver.m_logins.load();
    ResultLine line("logins");
    line.add("label", options.label).add("hash_iterations", std::uint64_t{options.hashIterations});
    line.add("accounts", std::uint64_t{options.loginUsers}).add("seconds", seconds, 2);
    line.add("logins", logins).add("logins_per_s", static_cast<double>(logins) / seconds, 1);
    if (cpu >= 0) {
        line.add("server_cpu_pct", 100.0 * cpu / seconds, 1);
        if (logins) line.add("server_cpu_ms_per_login", 1e3 * cpu / static_cast<double>(logins), 2);
    }
    const bool ok = driver.m_failures.load() == 0 && shared.errors.load() == 0;
    line.add("errors", shared.errors.load()).add("status", ok ? "ok" : "FAIL");
    line.print();
    if (!ok) note("first error: " + shared.firstError());
    fleet.stop();
    return ok ? 0 : 1;
}

}  // namespace parley::bench
