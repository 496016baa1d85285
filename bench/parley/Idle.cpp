// The idle shape: N logged-in (subscribed) connections that then say nothing;
// the server's memory per connection is (VmRSS with N connected - VmRSS
// before) / N, read from /proc/<server-pid>/status. "Before" is read first
// thing, so the script must start a fresh server for this shape.

#include "bench/parley/Fleet.h"
#include "bench/parley/ProcStats.h"
#include "bench/parley/Shapes.h"
#include "bench/parley/Stats.h"
#include "bench/parley/Targets.h"

#include <chrono>
#include <thread>

namespace parley::bench {

int runIdle(const Options& options) {
    Shared shared(options);
    if (!prepareShared(options, shared)) return 2;
    const bool measured = !options.serverPid.empty();
    const long rssBefore = measured ? residentKiB(options.serverPid) : -1;
    CpuMeter serverCpu(options.serverPid, options.clkTck);
    serverCpu.start();

    Fleet fleet(options, shared);
    const auto factory = endpointFactory(options, shared);
    fleet.addUsers(options.first, options.connections, factory);
    note(std::string(toString(options.target)) + " (" + options.label + "): connecting " +
         std::to_string(options.connections) + " idle users");
    const bool ok = fleet.startAll(options.concurrency, options.setupTimeout);
    const double setup = fleet.setupSeconds();
    ResultLine line("idle");
    line.add("label", options.label).add("target", toString(options.target));
    line.add("connections", std::uint64_t{options.connections}).add("ready", std::uint64_t{fleet.readyCount()});
    if (!ok) {
        line.add("status", "setup_failed").print();
        return 2;
    }
    fleet.waitQuiet(options.quietMs, 600);
    const long rssAfter = measured ? residentKiB(options.serverPid) : -1;
    const double cpu = serverCpu.enabled() ? serverCpu.elapsed() : -1;
    std::this_thread::sleep_for(std::chrono::duration<double>(options.hold));
    const long rssHeld = measured ? residentKiB(options.serverPid) : -1;

    line.add("setup_s", setup, 2);
    line.add("logins_per_s", static_cast<double>(options.connections) / setup, 0);
    if (cpu >= 0) line.add("server_cpu_s", cpu, 2);
    if (rssBefore >= 0 && rssAfter >= 0 && rssHeld >= 0) {
        const long after = std::max(rssAfter, rssHeld);
        line.add("rss_before_kib", static_cast<std::uint64_t>(rssBefore));
        line.add("rss_after_kib", static_cast<std::uint64_t>(rssAfter));
        line.add("rss_held_kib", static_cast<std::uint64_t>(rssHeld));
        line.add("kib_per_conn", static_cast<double>(after - rssBefore) / static_cast<double>(options.connections), 2);
    }
    const std::uint64_t errors = shared.errors.load();
    line.add("errors", errors);
    // Still all there after the hold?
    const bool allUp = fleet.failedCount() == 0;
    line.add("status", errors == 0 && allUp ? "ok" : "FAIL");
    line.print();
    if (errors) note("first error: " + shared.firstError());
    fleet.stop();
    return errors == 0 && allUp ? 0 : 1;
}

}  // namespace parley::bench
