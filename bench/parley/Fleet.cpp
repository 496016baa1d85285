#include "bench/parley/Fleet.h"

#include "bench/parley/Stats.h"

#include <chrono>
#include <thread>

namespace parley::bench {

using namespace std::chrono_literals;

Fleet::Fleet(const Options& options, Shared& shared)
    : m_options(options),
      m_shared(shared),
      m_pool(options.threads),
      m_byLoop(options.threads),
      m_toStart(options.threads) {
    m_pool.start();
}

Fleet::~Fleet() { stop(); }

Endpoint& Fleet::add(std::size_t loopIndex, std::uint32_t index, const Factory& factory) {
    m_endpoints.push_back(factory(m_pool.at(loopIndex), index));
    Endpoint& endpoint = *m_endpoints.back();
    endpoint.loopIndex = loopIndex;
    endpoint.setListener(this);
    m_byLoop[loopIndex].push_back(&endpoint);
    return endpoint;
}

void Fleet::addUsers(std::size_t first, std::size_t count, const Factory& factory) {
    for (std::size_t i = 0; i < count; ++i) add(i % loopCount(), static_cast<std::uint32_t>(first + i), factory);
}

bool Fleet::startAll(std::size_t concurrency, double timeoutSeconds) {
    const auto begin = std::chrono::steady_clock::now();
    const std::size_t total = m_endpoints.size();
    const std::size_t perLoop = std::max<std::size_t>(1, concurrency / m_pool.size());
    for (std::size_t i = 0; i < m_pool.size(); ++i) {
        m_pool.at(i).runInLoopAndWait([this, i, perLoop] {
            m_toStart[i].assign(m_byLoop[i].begin(), m_byLoop[i].end());
            for (std::size_t k = 0; k < perLoop; ++k) startNext(i);
        });
        m_keepaliveTimers.push_back(m_pool.at(i).runEvery(5s, [this, i] {
            const std::uint64_t now = nowMs();
            for (Endpoint* endpoint : m_byLoop[i]) endpoint->keepalive(now);
        }));
    }
    auto lastReport = begin;
    std::size_t lastReady = 0;
    while (m_ready.load() < total && m_failed.load() == 0) {
        std::this_thread::sleep_for(2ms);
        const auto now = std::chrono::steady_clock::now();
        if (now - begin > std::chrono::duration<double>(timeoutSeconds)) break;
        if (now - lastReport > 5s) {
            const std::size_t ready = m_ready.load();
            note("setup: " + std::to_string(ready) + "/" + std::to_string(total) + " ready (" +
                 std::to_string((ready - lastReady) / 5) + "/s)");
            lastReady = ready;
            lastReport = now;
        }
    }
    m_setupSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    if (m_failed.load() != 0) {
        note("setup failed: " + m_shared.firstError());
        return false;
    }
    if (m_ready.load() < total) {
        note("setup timed out: " + std::to_string(m_ready.load()) + "/" + std::to_string(total) + " ready");
        return false;
    }
    return true;
}

void Fleet::startNext(std::size_t loopIndex) {
    auto& queue = m_toStart[loopIndex];
    if (queue.empty()) return;
    Endpoint* next = queue.front();
    queue.pop_front();
    next->start();
}

void Fleet::waitQuiet(double quietMs, double maxSeconds) {
    const auto begin = std::chrono::steady_clock::now();
    std::uint64_t last = m_shared.bytesIn.load();
    auto lastChange = begin;
    for (;;) {
        std::this_thread::sleep_for(20ms);
        const auto now = std::chrono::steady_clock::now();
        const std::uint64_t bytes = m_shared.bytesIn.load();
        if (bytes != last) {
            last = bytes;
            lastChange = now;
        } else if (now - lastChange >= std::chrono::duration<double, std::milli>(quietMs)) {
            return;
        }
        if (now - begin > std::chrono::duration<double>(maxSeconds)) {
            note("still receiving after " + std::to_string(maxSeconds) + " s; going on");
            return;
        }
    }
}

void Fleet::onEachLoop(const std::function<void(std::size_t)>& fn) {
    for (std::size_t i = 0; i < m_pool.size(); ++i) m_pool.at(i).runInLoopAndWait([&fn, i] { fn(i); });
}

void Fleet::stop() {
    if (m_stopped) return;
    m_stopped = true;
    m_shared.stopping.store(true);
    m_pool.stop();  // closes every connection on its loop
    m_endpoints.clear();
}

void Fleet::onReady(Endpoint& endpoint) {
    m_ready.fetch_add(1);
    startNext(endpoint.loopIndex);
    if (EndpointListener* traffic = m_traffic.load(std::memory_order_relaxed)) traffic->onReady(endpoint);
}

void Fleet::onFailed(Endpoint& endpoint, const std::string& why) {
    m_failed.fetch_add(1);
    startNext(endpoint.loopIndex);
    if (EndpointListener* traffic = m_traffic.load(std::memory_order_relaxed)) traffic->onFailed(endpoint, why);
}

void Fleet::onChat(Endpoint& receiver, const PayloadFields& payload) {
    if (EndpointListener* traffic = m_traffic.load(std::memory_order_relaxed)) traffic->onChat(receiver, payload);
}

void Fleet::onAcked(Endpoint& sender, std::uint64_t count) {
    if (EndpointListener* traffic = m_traffic.load(std::memory_order_relaxed)) traffic->onAcked(sender, count);
}

}  // namespace parley::bench
