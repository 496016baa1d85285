#pragma once
// The threads behind JobFileIo: one per lane, so that hashing a large file (Bulk) never
// delays the chunk reads and writes of running transfers (Stream). Jobs of a lane run in
// order; completions go back to the host through the `post` function it gives.
//
// Threading: run() from the host thread; deliver() from the worker threads; the destructor
// from the host thread: it drops jobs not started, waits for the running ones and joins.
// A job that throws is a bug: the exception text is logged to stderr and the job dropped.

#include "shared/transfer/JobFileIo.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace parley::fileio {

class FileWorkers final : public transfer::JobRunner {
public:
    /// Runs `fn` on the host thread (e.g. CliClient::post, a Reactor's post).
    using Post = std::function<void(std::function<void()> fn)>;

    explicit FileWorkers(Post post);
    ~FileWorkers() override;
    FileWorkers(const FileWorkers&) = delete;
    FileWorkers& operator=(const FileWorkers&) = delete;

    void run(Lane lane, std::function<void()> job) override;
    void deliver(std::function<void()> completion) override;

private:
    struct Worker {
        std::deque<std::function<void()>> jobs;
        std::condition_variable wake;
        std::thread thread;
    };

    void loop(Worker& worker);

    Post m_post;
    std::mutex m_mutex;
    bool m_stopping = false;
    Worker m_stream;
    Worker m_bulk;
};

}  // namespace parley::fileio
