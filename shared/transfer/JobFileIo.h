#pragma once
// FileIo on top of a job runner: each request becomes a job that runs SourceFile /
// SinkFile code wherever the runner runs jobs, and its completion is handed back to the
// host through the runner. The host supplies the threads (platform/fileio/FileWorkers.h)
// and the SHA-256 (platform/fileio/Sha256.h); tests supply a runner that runs jobs on
// demand.
//
// Threading: every FileIo method, and the destructor, on the host thread. Jobs of one
// lane run one at a time, in order; SourceFile/SinkFile state is touched by jobs only.

#include "shared/transfer/FileIo.h"
#include "shared/transfer/Sha256Engine.h"

#include <functional>
#include <memory>

namespace parley::transfer {

/// Where jobs run and how completions come back.
class JobRunner {
public:
    enum class Lane : std::uint8_t {
        Stream,  ///< chunk reads and writes, block records, finish: short jobs, in order
        Bulk,    ///< whole-file hashing, .part re-verification, directory scans: long jobs
    };
    virtual ~JobRunner() = default;
    /// Host thread. Queues `job`; jobs of one lane run in order, one at a time.
    virtual void run(Lane lane, std::function<void()> job) = 0;
    /// Job thread. Runs `completion` on the host thread, soon.
    virtual void deliver(std::function<void()> completion) = 0;
};

class JobFileIo final : public FileIo {
public:
    /// `runner` must outlive this object and every job it queued.
    JobFileIo(JobRunner& runner, Sha256Factory makeSha256);
    /// Completions not yet delivered are dropped from now on.
    ~JobFileIo() override;
    JobFileIo(const JobFileIo&) = delete;
    JobFileIo& operator=(const JobFileIo&) = delete;

    void hashFile(const std::filesystem::path& path, std::function<void(HashResult)> done) override;
    std::unique_ptr<FileSource> openSource(const std::filesystem::path& path, std::uint64_t size,
                                           std::uint32_t blockSize) override;
    void openSink(SinkRequest request, std::function<void(SinkResult)> done) override;
    void removePart(const ResumeRecord& record) override;
    void findResumable(const std::filesystem::path& stateDirectory,
                       std::function<void(std::vector<ResumeRecord>)> done) override;

    /// Queues `work` on `lane` and hands its result to `done` on the host thread, unless
    /// this JobFileIo is gone by then. (Used by the source and sink handles too.)
    template <class Result>
    void submit(JobRunner::Lane lane, std::function<Result()> work, std::function<void(Result)> done);

    JobRunner& runner() { return m_runner; }

private:
    JobRunner& m_runner;
    Sha256Factory m_makeSha256;
    /// Host thread only: cleared by the destructor, checked before each completion.
    std::shared_ptr<bool> m_alive;
};

template <class Result>
void JobFileIo::submit(JobRunner::Lane lane, std::function<Result()> work, std::function<void(Result)> done) {
    m_runner.run(lane, [runner = &m_runner, alive = m_alive, work = std::move(work), done = std::move(done)]() mutable {
        auto result = std::make_shared<Result>(work());
        runner->deliver([alive, result, done = std::move(done)] {
            if (*alive) {
                done(std::move(*result));
            }
        });
    });
}

}  // namespace parley::transfer
