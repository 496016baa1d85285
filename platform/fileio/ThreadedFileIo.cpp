#include "platform/fileio/ThreadedFileIo.h"

#include "platform/fileio/Sha256.h"

namespace parley::fileio {

ThreadedFileIo::ThreadedFileIo(FileWorkers::Post post)
    : m_workers(std::move(post)), m_io(m_workers, Sha256::factory()) {}

}  // namespace parley::fileio
