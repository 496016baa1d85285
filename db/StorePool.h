#pragma once
// A small fixed pool of database worker threads, each owning its own Store (and so its
// own named database connection, created and removed in that thread). The server's I/O
// threads submit jobs here, so that SQL and password hashing never block a loop.
//
// Ordering: jobs submitted with the same key run on the same worker, in submission
// order (the engine keys offline-message jobs by recipient). Jobs without a key go to
// the least busy worker. Nothing else is ordered.
// Threading: construct, start(), stop() and destroy from one owner thread; submit() and
// the counters from any thread, including from inside a job.
// Errors: start() returns the first connection's Result; jobs see Store results. A job
// that throws is counted (failedJobs()) and the worker carries on.

#include "db/Result.h"
#include "db/Store.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <vector>

namespace parley::db {

class StorePool {
public:
    /// The job gets the worker's Store, valid for the duration of the call only.
    using Job = std::function<void(Store&)>;

    /// Does not start anything. workerCount 0 is taken as 1. `maxPending` bounds the
    /// jobs queued and running (0 = no bound): submit() refuses a job beyond it.
    StorePool(std::string connectionString, std::size_t workerCount, OpenOptions options = {},
              std::size_t maxPending = 0);
    /// Calls stop().
    ~StorePool();
    StorePool(const StorePool&) = delete;
    StorePool& operator=(const StorePool&) = delete;

    /// Starts the workers. The first one connects and migrates before start() returns
    /// (options.connectNow is ignored for it); the others connect on their first job.
    /// On failure (Unavailable, Error) no thread is left running. Once per pool.
    Result start();

    /// Queues a job for the least busy worker. false (job dropped) when not running
    /// or maxPending jobs are pending.
    bool submit(Job job);
    /// Queues a job behind every earlier job with the same key. false as above.
    bool submit(std::uint64_t key, Job job);

    /// Stops accepting jobs, runs every job already queued, joins the workers (which
    /// close their connections). Idempotent; not from inside a job.
    void stop();

    std::size_t workerCount() const { return m_workerCount; }
    /// Jobs submitted and not finished yet.
    std::size_t pendingJobs() const { return m_pending.load(); }
    /// Jobs that ended with an exception.
    std::uint64_t failedJobs() const { return m_failedJobs.load(); }

private:
    struct Worker;
    void run(Worker& worker, OpenOptions options, std::promise<Result>* opened);
    bool enqueue(Worker& worker, Job job);
    /// Counts one more pending job unless that would pass maxPending.
    bool reserve();

    std::string m_connectionString;
    OpenOptions m_options;
    std::size_t m_workerCount;
    std::size_t m_maxPending;
    std::vector<std::unique_ptr<Worker>> m_workers;
    bool m_started = false;
    std::atomic<bool> m_running{false};
    std::atomic<std::size_t> m_pending{0};
    std::atomic<std::uint64_t> m_failedJobs{0};
};

}  // namespace parley::db
