#pragma once

#include "platform/Backend.h"
#include "platform/Logger.h"
#include "platform/LoopThread.h"
#include "platform/Reactor.h"

#include <atomic>
#include <cstddef>
#include <memory>
#include <vector>

namespace parley::net {

/// N loops on N threads (muduo EventLoopThreadPool); connections are spread over them.
///
/// Threading: start() and stop() from one controlling thread (not a pool thread);
/// next(), at() and size() from any thread once started. The Reactors live until the pool
/// is destroyed, so objects still holding them can post safely (posts are dropped).
class LoopPool {
public:
    /// `threads` 0 means usableCores().
    explicit LoopPool(std::size_t threads = 0, BackendKind backend = defaultBackend(), Logger logger = Logger());
    /// Calls stop().
    ~LoopPool();

    LoopPool(const LoopPool&) = delete;
    LoopPool& operator=(const LoopPool&) = delete;

    /// Starts every thread; throws std::system_error if a Reactor cannot be created.
    void start();

    /// Quits every loop, then joins them. A busy loop finishes its current iteration and
    /// closes its connections (their close callbacks run on it) before its thread ends.
    /// Idempotent; the pool cannot be started again.
    void stop();

    /// The CPUs this process may run on: its affinity mask on Linux (taskset, cgroup
    /// cpusets, containers), std::thread::hardware_concurrency() elsewhere; at least 1.
    static std::size_t usableCores();

    bool started() const { return !m_loops.empty(); }
    /// Round-robin.
    Reactor& next();
    Reactor& at(std::size_t index) const { return *m_loops.at(index); }
    std::size_t size() const { return m_size; }

private:
    std::size_t m_size;
    BackendKind m_backend;
    Logger m_logger;
    std::vector<std::unique_ptr<LoopThread>> m_threads;
    std::vector<Reactor*> m_loops;
    std::atomic<std::size_t> m_next{0};
};

}  // namespace parley::net
