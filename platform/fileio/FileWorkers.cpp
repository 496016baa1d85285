#include "platform/fileio/FileWorkers.h"

#include <exception>
#include <iostream>

namespace parley::fileio {

FileWorkers::FileWorkers(Post post) : m_post(std::move(post)) {
    m_stream.thread = std::thread([this] { loop(m_stream); });
    m_bulk.thread = std::thread([this] { loop(m_bulk); });
}

FileWorkers::~FileWorkers() {
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_stream.wake.notify_all();
    m_bulk.wake.notify_all();
    m_stream.thread.join();
    m_bulk.thread.join();
}

void FileWorkers::run(Lane lane, std::function<void()> job) {
    Worker& worker = lane == Lane::Stream ? m_stream : m_bulk;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (m_stopping) {
            return;
        }
        worker.jobs.push_back(std::move(job));
    }
    worker.wake.notify_one();
}

void FileWorkers::deliver(std::function<void()> completion) { m_post(std::move(completion)); }

void FileWorkers::loop(Worker& worker) {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            worker.wake.wait(lock, [&] { return m_stopping || !worker.jobs.empty(); });
            if (m_stopping) {
                // Jobs not started are dropped; the files they hold close as they go.
                worker.jobs.clear();
                return;
            }
            job = std::move(worker.jobs.front());
            worker.jobs.pop_front();
        }
        try {
            job();
        } catch (const std::exception& error) {
            std::cerr << "parley: file job failed: " << error.what() << '\n';
        }
    }
}

}  // namespace parley::fileio
