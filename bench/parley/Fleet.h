#pragma once
// The client side of a run: one Reactor loop per thread (LoopPool), the
// endpoints spread over them, a paced start (at most `concurrency` connecting
// and logging in at once), keepalives, and a clean stop.
//
// Threading: construct, add(), startAll(), waitQuiet() and stop() from the
// main thread; the EndpointListener callbacks run on the loops and are
// forwarded to the traffic listener set with setTraffic().

#include "bench/parley/Endpoint.h"
#include "bench/parley/Options.h"
#include "platform/LoopPool.h"

#include <atomic>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace parley::bench {

class Fleet final : public EndpointListener {
public:
    using Factory = std::function<std::unique_ptr<Endpoint>(net::Reactor& loop, std::uint32_t index)>;

    Fleet(const Options& options, Shared& shared);
    ~Fleet() override;
    Fleet(const Fleet&) = delete;
    Fleet& operator=(const Fleet&) = delete;

    std::size_t loopCount() const { return m_pool.size(); }
    net::Reactor& loop(std::size_t index) { return m_pool.at(index); }

    /// Creates an endpoint on loop `loopIndex` (before startAll()).
    Endpoint& add(std::size_t loopIndex, std::uint32_t index, const Factory& factory);
    /// Creates the endpoints of users first .. first + count - 1, round robin over the loops.
    void addUsers(std::size_t first, std::size_t count, const Factory& factory);
    std::vector<std::unique_ptr<Endpoint>>& endpoints() { return m_endpoints; }

    /// Starts every endpoint, at most `concurrency` in setup at once; waits until
    /// all are ready or one failed or the timeout passed. True if all are ready.
    bool startAll(std::size_t concurrency, double timeoutSeconds);

    /// Waits until no byte arrived for `quietMs` (e.g. the login storm of
    /// presence updates is over), at most `maxSeconds`.
    void waitQuiet(double quietMs, double maxSeconds);

    /// Chat/ack/ready events after setup go here (may be null).
    void setTraffic(EndpointListener* traffic) { m_traffic.store(traffic); }

    /// Runs `fn(loopIndex)` on every loop and waits for all.
    void onEachLoop(const std::function<void(std::size_t)>& fn);

    /// Closes everything (no failures reported from here on).
    void stop();

    std::size_t readyCount() const { return m_ready.load(); }
    std::size_t failedCount() const { return m_failed.load(); }
    double setupSeconds() const { return m_setupSeconds; }

    // EndpointListener
    void onReady(Endpoint& endpoint) override;
    void onFailed(Endpoint& endpoint, const std::string& why) override;
    void onChat(Endpoint& receiver, const PayloadFields& payload) override;
    void onAcked(Endpoint& sender, std::uint64_t count) override;

private:
    void startNext(std::size_t loopIndex);

    const Options& m_options;
    Shared& m_shared;
    net::LoopPool m_pool;
    std::vector<std::unique_ptr<Endpoint>> m_endpoints;
    std::vector<std::vector<Endpoint*>> m_byLoop;
    std::vector<std::deque<Endpoint*>> m_toStart;  // loop thread of each index
    std::vector<net::TimerId> m_keepaliveTimers;
    std::atomic<EndpointListener*> m_traffic{nullptr};
    std::atomic<std::size_t> m_ready{0};
    std::atomic<std::size_t> m_failed{0};
    double m_setupSeconds = 0;
    bool m_stopped = false;
};

}  // namespace parley::bench
