#include "db/StorePool.h"

#include "db/SqlConnection.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace parley::db {

struct StorePool::Worker {
    std::thread thread;
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Job> queue;             // guarded by mutex
    bool stopping = false;             // guarded by mutex
    std::atomic<std::size_t> load{0};  // queued + running, for picking the least busy
};

namespace {

// splitmix64's finaliser: spreads sequential keys (user ids) evenly over the workers.
std::uint64_t mix(std::uint64_t key) {
    key ^= key >> 30;
    key *= 0xbf58476d1ce4e5b9ULL;
    key ^= key >> 27;
    key *= 0x94d049bb133111ebULL;
    key ^= key >> 31;
    return key;
}

}  // namespace

StorePool::StorePool(std::string connectionString, std::size_t workerCount, OpenOptions options, std::size_t maxPending)
    : m_connectionString(std::move(connectionString)),
      m_options(options),
      m_workerCount(workerCount == 0 ? 1 : workerCount),
      m_maxPending(maxPending) {}

StorePool::~StorePool() { stop(); }

Result StorePool::start() {
    if (m_started) return Result{Status::Error, "the store pool was started before"};
    m_started = true;
    SqlConnection::prepareProcess();
    for (std::size_t i = 0; i < m_workerCount; ++i) m_workers.push_back(std::make_unique<Worker>());

    // The first worker migrates alone, so that workers never race on creating tables.
    OpenOptions first = m_options;
    first.connectNow = true;
    // Shared with the thread: it may still be inside set_value() when get() returns here.
    auto opened = std::make_shared<std::promise<Result>>();
    std::future<Result> openedResult = opened->get_future();
    Worker& w0 = *m_workers[0];
    w0.thread = std::thread([this, &w0, first, opened] { run(w0, first, opened.get()); });
    Result r = openedResult.get();
    if (!r.ok()) {
        w0.thread.join();
        m_workers.clear();
        return r;
    }
    OpenOptions others = m_options;
    others.connectNow = false;
    others.migrate = false;
    for (std::size_t i = 1; i < m_workerCount; ++i) {
        Worker& w = *m_workers[i];
        w.thread = std::thread([this, &w, others] { run(w, others, nullptr); });
    }
    m_running.store(true);
    return {};
}

void StorePool::run(Worker& worker, OpenOptions options, std::promise<Result>* opened) {
    // The Store, and with it the thread's named connection, lives and dies here.
    ValueResult<std::unique_ptr<Store>> store = openStore(m_connectionString, options);
    if (opened) opened->set_value(store.result());
    if (!store.ok()) return;
    for (;;) {
        Job job;
        {
            std::unique_lock<std::mutex> lock(worker.mutex);
            worker.wake.wait(lock, [&] { return worker.stopping || !worker.queue.empty(); });
            if (worker.queue.empty()) break;  // stopping, and everything queued has run
            job = std::move(worker.queue.front());
            worker.queue.pop_front();
        }
        try {
            job(*store.value);
        } catch (...) {
            m_failedJobs.fetch_add(1);
        }
        worker.load.fetch_sub(1);
        m_pending.fetch_sub(1);
    }
}

bool StorePool::reserve() {
    if (m_maxPending == 0) {
        m_pending.fetch_add(1);
        return true;
    }
    std::size_t pending = m_pending.load();
    do {
        if (pending >= m_maxPending) return false;
    } while (!m_pending.compare_exchange_weak(pending, pending + 1));
    return true;
}

bool StorePool::enqueue(Worker& worker, Job job) {
    if (!reserve()) return false;
    {
        std::lock_guard<std::mutex> lock(worker.mutex);
        if (worker.stopping) {
            m_pending.fetch_sub(1);
            return false;
        }
        worker.load.fetch_add(1);
        worker.queue.push_back(std::move(job));
    }
    worker.wake.notify_one();
    return true;
}

bool StorePool::submit(Job job) {
    if (!m_running.load() || !job) return false;
    Worker* best = m_workers[0].get();
    for (const auto& w : m_workers) {
        if (w->load.load() < best->load.load()) best = w.get();
    }
    return enqueue(*best, std::move(job));
}

bool StorePool::submit(std::uint64_t key, Job job) {
    if (!m_running.load() || !job) return false;
    return enqueue(*m_workers[mix(key) % m_workers.size()], std::move(job));
}

void StorePool::stop() {
    m_running.store(false);
    // One worker at a time, each joined before the next is told to stop: its connection
    // closes while no other is open only for the last one, and SQLite checkpoints the WAL
    // into the database file (and deletes it) only when the last connection closes. Closed
    // together, each may see the other still open and both leave the WAL behind: nothing
    // is lost, but a copy of the .db file alone (a backup) would miss the latest commits.
    for (const auto& w : m_workers) {
        {
            std::lock_guard<std::mutex> lock(w->mutex);
            w->stopping = true;
        }
        w->wake.notify_all();
        if (w->thread.joinable()) w->thread.join();
    }
}

}  // namespace parley::db
