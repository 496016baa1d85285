// The pairs and rate shapes: P pairs, sender 2i -> receiver 2i+1, both on the
// same client loop so that the pair's bookkeeping needs no locks.
//
// Window phases keep at most W messages unacknowledged per sender and saturate
// for --seconds; the rate phase sends R msg/s in total, paced per loop (open
// loop: what is due is sent, whatever came back). The pacer runs from a 1 ms
// timer and also from every receive event of the loop, so at 20k msg/s sends
// are spread at the granularity of the traffic (tens of µs) instead of
// leaving in bursts of one millisecond's worth (20 messages), which would
// measure the generator's burst rather than the server.
// Every phase ends with a drain and per-pair checks: lost (sent, never
// received), duplicated, reordered (arrived after a higher seq of its pair).

#include "bench/parley/Fleet.h"
#include "bench/parley/ProcStats.h"
#include "bench/parley/Shapes.h"
#include "bench/parley/Stats.h"
#include "bench/parley/Targets.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace parley::bench {
namespace {

using namespace std::chrono_literals;

/// What the window counts as an acknowledgement.
enum class AckMode {
    Transport,      ///< the endpoint's protocol ack (Parley Delivered, MQTT PUBACK, NATS acks)
    ReceiverCount,  ///< no protocol ack (MQTT QoS 0, plain NATS): the receiver's count, in-process
};

/// Loop-thread-only counters, published to the main thread with single-writer atomics.
void bump(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) {
    counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

/// Largest backlog a sender may build in the rate phase before ticks skip it.
constexpr std::uint64_t kRateBacklogCap = 10'000;

struct Pair {
    Endpoint* sender = nullptr;
    Endpoint* receiver = nullptr;
    std::uint64_t sent = 0;
    std::uint64_t acked = 0;
    std::uint64_t received = 0;  ///< distinct seqs
    std::uint64_t duplicates = 0;
    std::uint64_t reordered = 0;
    std::uint64_t stale = 0;  ///< from another phase
    std::uint64_t highest = 0;
    std::vector<std::uint64_t> seen;  ///< bit per seq

    void reset() {
        sent = acked = received = duplicates = reordered = stale = highest = 0;
        seen.assign(64, 0);
    }
};

struct LoopTraffic {
    std::vector<Pair*> pairs;
    Histogram latency;
    std::atomic<std::uint64_t> sent{0};
    std::atomic<std::uint64_t> received{0};
    std::atomic<std::uint64_t> acked{0};
    // loop thread only
    std::uint32_t window = 0;  ///< 0 = not sending by window
    bool sending = false;
    double rate = 0;  ///< msg/s of this loop in the rate phase
    std::uint64_t rateStartNs = 0;
    std::uint64_t rateSent = 0;
    std::uint64_t skipped = 0;
    std::size_t nextPair = 0;
    net::TimerId ticker = net::kInvalidTimerId;
    std::function<void()> spinner;  ///< --spin: re-posts itself while sending, so the loop never sleeps
};

struct PhaseTotals {
    std::uint64_t sent = 0, received = 0, acked = 0;
};

struct Checks {
    std::uint64_t lost = 0, duplicates = 0, reordered = 0, unacked = 0, stale = 0, skipped = 0;
};

class PairsDriver final : public EndpointListener {
public:
    PairsDriver(const Options& options, Fleet& fleet, Shared& shared, AckMode ackMode)
        : m_options(options),
          m_fleet(fleet),
          m_shared(shared),
          m_ackMode(ackMode),
          m_serverCpu(options.serverPid, options.clkTck),
          m_clientCpu("self", options.clkTck) {
        for (std::size_t i = 0; i < fleet.loopCount(); ++i) m_loops.push_back(std::make_unique<LoopTraffic>());
    }

    void addPair(Endpoint& sender, Endpoint& receiver) {
        m_pairs.push_back(std::make_unique<Pair>());
        Pair& pair = *m_pairs.back();
        pair.sender = &sender;
        pair.receiver = &receiver;
        sender.tag = receiver.tag = m_pairs.size() - 1;
        m_loops[sender.loopIndex]->pairs.push_back(&pair);
    }

    /// One saturating phase with window `window`; returns 0 or 1 (checks failed).
    int windowPhase(std::uint32_t window) {
        beginPhase([window](LoopTraffic& traffic) { traffic.window = window; });
        const auto [interval, delivered, serverCpu, clientCpu] = measure(m_options.seconds);
        const Checks checks = endPhase();
        ResultLine line("pairs");
        line.add("window", std::uint64_t{window});
        return report(line, interval, delivered, serverCpu, clientCpu, checks);
    }

    /// One fixed-rate phase at `rate` msg/s in total.
    int ratePhase(double rate) {
        const double perPair = rate / static_cast<double>(m_pairs.size());
        beginPhase([this, perPair](LoopTraffic& traffic) {
            traffic.window = 0;
            traffic.rate = perPair * static_cast<double>(traffic.pairs.size());
            traffic.rateStartNs = nowNs();
            traffic.rateSent = 0;
            traffic.skipped = 0;
            traffic.nextPair = 0;
            if (traffic.pairs.empty()) return;
            LoopTraffic* self = &traffic;
            traffic.ticker = traffic.pairs.front()->sender->loop().runEvery(1ms, [this, self] { tick(*self); });
        });
        const auto [interval, delivered, serverCpu, clientCpu] = measure(m_options.rateSeconds);
        const Checks checks = endPhase();
        ResultLine line("rate");
        line.add("rate", rate, 0);
        line.add("achieved_per_s", static_cast<double>(delivered) / interval, 0);
        return report(line, interval, delivered, serverCpu, clientCpu, checks);
    }

    // EndpointListener (loop threads)
    void onReady(Endpoint&) override {}
    void onFailed(Endpoint&, const std::string&) override {}

    void onChat(Endpoint& receiver, const PayloadFields& payload) override {
        Pair& pair = *m_pairs[receiver.tag];
        LoopTraffic& traffic = *m_loops[receiver.loopIndex];
        if (payload.phase != m_phase.load(std::memory_order_relaxed) || payload.seq == 0) {
            ++pair.stale;
            return;
        }
        const std::uint64_t word = payload.seq / 64;
        if (word >= pair.seen.size()) pair.seen.resize(std::max<std::size_t>(word + 1, pair.seen.size() * 2), 0);
        const std::uint64_t bit = std::uint64_t{1} << (payload.seq % 64);
        if ((pair.seen[word] & bit) != 0) {
            ++pair.duplicates;
            return;
        }
        pair.seen[word] |= bit;
        ++pair.received;
        if (payload.seq < pair.highest) ++pair.reordered;
        else pair.highest = payload.seq;
        if (m_measuring.load(std::memory_order_relaxed)) traffic.latency.record(payload.arrivedNs - payload.sentNs);
        bump(traffic.received);
        if (m_ackMode == AckMode::ReceiverCount) {
            ++pair.acked;
            bump(traffic.acked);
            refill(pair, traffic, payload.arrivedNs);
        }
        if (traffic.rate > 0) tick(traffic);
    }

    void onAcked(Endpoint& sender, std::uint64_t count) override {
        if (m_ackMode != AckMode::Transport) return;
        Pair& pair = *m_pairs[sender.tag];
        LoopTraffic& traffic = *m_loops[sender.loopIndex];
        pair.acked += count;
        bump(traffic.acked, count);
        refill(pair, traffic, sender.readNs());
        if (traffic.rate > 0) tick(traffic);
    }

private:
    struct Measurement {
        double seconds;
        std::uint64_t delivered;
        double serverCpu;  ///< seconds, -1 = unknown
        double clientCpu;
    };

    /// `now`: the clock of the event that triggered the send (a read, a tick),
    /// read once for every message it releases; they leave in one write at the
    /// end of this loop iteration anyway.
    void sendOne(Pair& pair, LoopTraffic& traffic, std::uint64_t now) {
        PayloadFields fields;
        fields.phase = m_phase.load(std::memory_order_relaxed);
        fields.from = pair.sender->address();
        fields.seq = ++pair.sent;
        fields.sentNs = now;
        pair.sender->sendChat(pair.receiver->address(), fields);
        bump(traffic.sent);
    }

    void refill(Pair& pair, LoopTraffic& traffic, std::uint64_t now) {
        if (!traffic.sending || traffic.window == 0) return;
        while (pair.sent - pair.acked < traffic.window) sendOne(pair, traffic, now);
    }

    void tick(LoopTraffic& traffic) {
        if (!traffic.sending) return;
        const std::uint64_t now = nowNs();
        const double elapsed = static_cast<double>(now - traffic.rateStartNs) / 1e9;
        const auto due = static_cast<std::uint64_t>(traffic.rate * elapsed);
        const std::size_t count = traffic.pairs.size();
        while (traffic.rateSent < due) {
            Pair& pair = *traffic.pairs[traffic.nextPair++ % count];
            ++traffic.rateSent;
            if (pair.sent - pair.acked >= kRateBacklogCap) {
                ++traffic.skipped;
                continue;
            }
            sendOne(pair, traffic, now);
        }
    }

    template <class Setup>
    void beginPhase(Setup setup) {
        m_phase.fetch_add(1);
        m_errorsAtStart = m_shared.errors.load();
        m_storedAtStart = m_shared.stored.load();
        m_fleet.onEachLoop([this, &setup](std::size_t i) {
            LoopTraffic& traffic = *m_loops[i];
            traffic.latency.reset();
            traffic.sent.store(0);
            traffic.received.store(0);
            traffic.acked.store(0);
            for (Pair* pair : traffic.pairs) pair->reset();
            traffic.sending = true;
            traffic.rate = 0;
            setup(traffic);
            const std::uint64_t now = nowNs();
            for (Pair* pair : traffic.pairs) refill(*pair, traffic, now);
            if (m_options.spin && !traffic.pairs.empty()) {
                LoopTraffic* self = &traffic;
                net::Reactor* loop = &traffic.pairs.front()->sender->loop();
                traffic.spinner = [self, loop] {
                    if (self->sending) loop->post(self->spinner);
                };
                loop->post(traffic.spinner);
            }
        });
        std::this_thread::sleep_for(std::chrono::duration<double>(m_options.warmup));
    }

    PhaseTotals totals() const {
        PhaseTotals sum;
        for (const auto& traffic : m_loops) {
            sum.sent += traffic->sent.load();
            sum.received += traffic->received.load();
            sum.acked += traffic->acked.load();
        }
        return sum;
    }

    Measurement measure(double seconds) {
        m_serverCpu.start();
        m_clientCpu.start();
        const double busyBefore = machineBusySeconds(m_options.clkTck);
        const std::uint64_t before = totals().received;
        const auto begin = std::chrono::steady_clock::now();
        m_measuring.store(true);
        if (m_options.countSyscalls && m_serverCpu.enabled()) {
            m_serverSyscalls = static_cast<double>(countSyscalls(m_options.serverPid, seconds));
            const auto rest = std::chrono::duration<double>(seconds) - (std::chrono::steady_clock::now() - begin);
            if (rest.count() > 0) std::this_thread::sleep_for(rest);
        } else {
            m_serverSyscalls = -1;
            std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
        }
        const std::uint64_t after = totals().received;
        const auto end = std::chrono::steady_clock::now();
        m_measuring.store(false);
        const double serverCpu = m_serverCpu.enabled() ? m_serverCpu.elapsed() : -1;
        const double clientCpu = m_clientCpu.elapsed();
        const double busyAfter = machineBusySeconds(m_options.clkTck);
        // What neither the server nor this generator used: other processes sharing the cores.
        m_otherCpu = busyBefore >= 0 && busyAfter >= 0 && serverCpu >= 0 && clientCpu >= 0
                         ? std::max(0.0, busyAfter - busyBefore - serverCpu - clientCpu)
                         : -1.0;
        return {std::chrono::duration<double>(end - begin).count(), after - before, serverCpu, clientCpu};
    }

    Checks endPhase() {
        m_fleet.onEachLoop([this](std::size_t i) {
            LoopTraffic& traffic = *m_loops[i];
            traffic.sending = false;
            traffic.rate = 0;
            if (traffic.ticker != net::kInvalidTimerId) traffic.pairs.front()->sender->loop().cancel(traffic.ticker);
            traffic.ticker = net::kInvalidTimerId;
        });
        // Drain: everything sent must arrive (and be acknowledged).
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(m_options.drain);
        for (;;) {
            const PhaseTotals sum = totals();
            if (sum.received >= sum.sent && sum.acked >= sum.sent) break;
            if (std::chrono::steady_clock::now() > deadline) {
                note("drain timed out: sent " + std::to_string(sum.sent) + ", received " +
                     std::to_string(sum.received) + ", acknowledged " + std::to_string(sum.acked));
                break;
            }
            std::this_thread::sleep_for(2ms);
        }
        Checks checks;
        m_latency.reset();
        m_fleet.onEachLoop([this, &checks](std::size_t i) {
            LoopTraffic& traffic = *m_loops[i];
            for (const Pair* pair : traffic.pairs) {
                checks.lost += pair->sent - pair->received;
                checks.duplicates += pair->duplicates;
                checks.reordered += pair->reordered;
                checks.unacked += pair->sent - std::min(pair->acked, pair->sent);
                checks.stale += pair->stale;
            }
            checks.skipped += traffic.skipped;
            m_latency.merge(traffic.latency);
        });
        return checks;
    }

    int report(ResultLine& line, double seconds, std::uint64_t delivered, double serverCpu, double clientCpu,
               const Checks& checks) {
        const std::uint64_t errors = m_shared.errors.load() - m_errorsAtStart;
        const bool ok = checks.lost == 0 && checks.duplicates == 0 && checks.reordered == 0 && checks.unacked == 0 &&
                        checks.stale == 0 && errors == 0;
        line.add("label", m_options.label).add("target", toString(m_options.target));
        line.add("pairs", std::uint64_t{m_pairs.size()}).add("threads", std::uint64_t{m_options.threads});
        line.add("seconds", seconds, 2).add("delivered", delivered);
        line.add("msgs_per_s", static_cast<double>(delivered) / seconds, 0);
        if (serverCpu >= 0) {
            line.add("server_cpu_pct", 100.0 * serverCpu / seconds, 1);
            line.add("server_cpu_us_per_msg", delivered ? 1e6 * serverCpu / static_cast<double>(delivered) : 0.0, 3);
        }
        if (m_serverSyscalls >= 0 && delivered)
            line.add("server_syscalls_per_msg", m_serverSyscalls / static_cast<double>(delivered), 3);  // all kinds
        if (clientCpu >= 0) {
            line.add("client_cpu_pct", 100.0 * clientCpu / seconds, 1);
            line.add("client_cpu_us_per_msg", delivered ? 1e6 * clientCpu / static_cast<double>(delivered) : 0.0, 3);
        }
        if (m_otherCpu >= 0) line.add("other_cpu_pct", 100.0 * m_otherCpu / seconds, 1);
        line.add("samples", m_latency.count());
        line.add("p50_us", m_latency.percentileUs(0.50), 1);
        line.add("p99_us", m_latency.percentileUs(0.99), 1);
        line.add("p999_us", m_latency.percentileUs(0.999), 1);
        line.add("max_us", m_latency.maxUs(), 1);
        line.add("lost", checks.lost).add("duplicated", checks.duplicates).add("reordered", checks.reordered);
        line.add("unacked", checks.unacked).add("stale", checks.stale).add("errors", errors);
        line.add("stored", m_shared.stored.load() - m_storedAtStart);
        if (checks.skipped) line.add("skipped", checks.skipped);
        line.add("status", ok ? "ok" : "FAIL");
        line.print();
        if (errors) note("first error: " + m_shared.firstError());
        return ok ? 0 : 1;
    }

    const Options& m_options;
    Fleet& m_fleet;
    Shared& m_shared;
    const AckMode m_ackMode;
    std::vector<std::unique_ptr<Pair>> m_pairs;
    std::vector<std::unique_ptr<LoopTraffic>> m_loops;
    std::atomic<std::uint32_t> m_phase{0};
    std::atomic<bool> m_measuring{false};
    Histogram m_latency;
    CpuMeter m_serverCpu;
    CpuMeter m_clientCpu;
    std::uint64_t m_errorsAtStart = 0;
    std::uint64_t m_storedAtStart = 0;
    double m_otherCpu = -1;        ///< CPU seconds used by other processes in the last measurement
    double m_serverSyscalls = -1;  ///< system calls of the server in the last measurement (-1 = not counted)
};

AckMode ackModeFor(const Options& options) {
    switch (options.target) {
    case Target::Parley: return AckMode::Transport;
    case Target::Mqtt: return options.qos > 0 ? AckMode::Transport : AckMode::ReceiverCount;
    case Target::Nats: return options.natsAcks ? AckMode::Transport : AckMode::ReceiverCount;
    }
    return AckMode::Transport;
}

}  // namespace

int runPairs(const Options& options) {
    Shared shared(options);
    if (!prepareShared(options, shared)) return 2;
    Fleet fleet(options, shared);
    PairsDriver driver(options, fleet, shared, ackModeFor(options));
    const auto factory = endpointFactory(options, shared);
    for (std::size_t i = 0; i < options.pairs; ++i) {
        const std::size_t loop = i % fleet.loopCount();
        Endpoint& sender = fleet.add(loop, static_cast<std::uint32_t>(options.first + 2 * i), factory);
        Endpoint& receiver = fleet.add(loop, static_cast<std::uint32_t>(options.first + 2 * i + 1), factory);
        driver.addPair(sender, receiver);
    }
    note(std::string(toString(options.target)) + " (" + options.label + "): connecting " +
         std::to_string(2 * options.pairs) + " users");
    if (!fleet.startAll(options.concurrency, options.setupTimeout)) {
        ResultLine("pairs").add("label", options.label).add("status", "setup_failed").print();
        return 2;
    }
    fleet.waitQuiet(options.quietMs, 60);
    note("setup took " + std::to_string(fleet.setupSeconds()) + " s");
    fleet.setTraffic(&driver);
    int status = 0;
    for (const std::uint32_t window : options.windows) status |= driver.windowPhase(window);
    for (const std::uint32_t rate : options.rates) status |= driver.ratePhase(rate);
    fleet.setTraffic(nullptr);
    fleet.stop();
    return status;
}

}  // namespace parley::bench
