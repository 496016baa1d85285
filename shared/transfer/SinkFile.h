#pragma once
// The synchronous work behind FileIo's writing jobs: pre-flight and creation of the .part
// file, re-verification for resume, positional writes with block and whole-file hashes,
// the sidecar, and the final rename. Portable C++17 (std::fstream, std::filesystem; 64-bit
// offsets). Runs on the job runner's thread; not thread-safe itself.
//
// Memory: one running whole-file digest plus one snapshot per block written but not yet
// recorded (a few hundred bytes each; at most window / blockSize of them).

#include "shared/transfer/FileIo.h"
#include "shared/transfer/Sha256Engine.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace parley::transfer {

class SinkFile;

struct OpenedSink {
    IoError error = IoError::None;
    std::string text;
    std::shared_ptr<SinkFile> file;
    std::uint64_t offset = 0;
    std::string partPath;
    ResumeRecord record;
};

class SinkFile {
public:
    /// Pre-flight + create (new) or re-verify (resume); see SinkRequest.
    static OpenedSink open(const SinkRequest& request, const Sha256Factory& makeSha256);

    SinkFile(const SinkFile&) = delete;
    SinkFile& operator=(const SinkFile&) = delete;

    WriteResult write(std::uint64_t offset, const std::vector<std::uint8_t>& data);
    /// Errors are kept and reported by the next write() or finish().
    void recordBlock(const BlockHash& block);
    FinishResult finish();
    void close(bool deletePart);

private:
    SinkFile(ResumeRecord record, const Sha256Factory& makeSha256);
    static OpenedSink create(const SinkRequest& request, const Sha256Factory& makeSha256);
    static OpenedSink resume(const SinkRequest& request, const Sha256Factory& makeSha256);
    std::uint64_t verifyExisting(const std::vector<BlockHash>& blocks);
    bool writeSidecar(const std::vector<BlockHash>& blocks);
    std::filesystem::path finalPath() const;

    ResumeRecord m_record;
    std::filesystem::path m_part;
    std::filesystem::path m_sidecar;
    std::fstream m_file;
    std::unique_ptr<Sha256Engine> m_whole;
    std::unique_ptr<Sha256Engine> m_block;
    /// Whole-file digest at the start of each block not yet recorded.
    std::map<std::uint64_t, std::unique_ptr<Sha256Engine>> m_snapshots;
    std::uint64_t m_position = 0;
    std::string m_pendingError;
    bool m_closed = false;
};

/// True if the offered name has a last path component that is more than spaces and dots
/// (sanitizeFileName would otherwise fall back to "file" for "", "..", "a/..", ...).
bool hasUsableLeaf(const std::string& offered);

/// Deletes the .part file and resume state of `record` (errors ignored: nothing to report to).
void removePartOf(const ResumeRecord& record);

/// Every readable resume state in the state folder `stateDirectory` that is named after
/// its transfer (resumeFileName) and names the folder of its .part.
std::vector<ResumeRecord> scanResumable(const std::filesystem::path& stateDirectory);

}  // namespace parley::transfer
