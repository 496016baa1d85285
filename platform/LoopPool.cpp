#include "platform/LoopPool.h"

#include <algorithm>
#include <cassert>
#include <thread>
#include <utility>

#if defined(__linux__)
#include <sched.h>
#endif

namespace parley::net {

LoopPool::LoopPool(std::size_t threads, BackendKind backend, Logger logger)
    : m_size(threads != 0 ? threads : usableCores()), m_backend(backend), m_logger(std::move(logger)) {}

std::size_t LoopPool::usableCores() {
#if defined(__linux__)
    // A fixed-size set covers 1,024 CPUs; on a larger machine the call fails and the
    // count of online CPUs below is the answer.
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) {
        return static_cast<std::size_t>(CPU_COUNT(&set));
    }
#endif
    return std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

LoopPool::~LoopPool() { stop(); }

void LoopPool::start() {
    assert(m_threads.empty() && "a LoopPool starts once");
    for (std::size_t i = 0; i < m_size; ++i) {
        m_threads.push_back(std::make_unique<LoopThread>(m_backend, m_logger));
        m_loops.push_back(&m_threads.back()->start());
    }
}

void LoopPool::stop() {
    // Quit them all before joining any, so the loops wind down in parallel.
    for (Reactor* loop : m_loops) {
        loop->quit();
    }
    for (const auto& thread : m_threads) {
        thread->stop();
    }
}

Reactor& LoopPool::next() {
    assert(started());
    return *m_loops[m_next.fetch_add(1, std::memory_order_relaxed) % m_loops.size()];
}

}  // namespace parley::net
