#pragma once
// The FileIo a desktop client uses: JobFileIo (shared/transfer) on FileWorkers' two threads,
// with OpenSSL SHA-256. Memory is constant per transfer: the jobs handle one chunk (256 KiB)
// or one 1 MiB hashing piece at a time.
//
// Threading: construct, use and destroy on the host thread; completions arrive through
// `post` on the host thread. Destroy it before whatever `post` runs on stops (or after:
// completions posted afterwards are dropped by JobFileIo).

#include "platform/fileio/FileWorkers.h"
#include "shared/transfer/JobFileIo.h"

namespace parley::fileio {

class ThreadedFileIo {
public:
    explicit ThreadedFileIo(FileWorkers::Post post);
    ThreadedFileIo(const ThreadedFileIo&) = delete;
    ThreadedFileIo& operator=(const ThreadedFileIo&) = delete;

    transfer::FileIo& io() { return m_io; }

private:
    FileWorkers m_workers;  // declared first: outlives m_io and its queued jobs
    transfer::JobFileIo m_io;
};

}  // namespace parley::fileio
