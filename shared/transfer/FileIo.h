#pragma once
// The file-I/O interface the transfer state machine (TransferManager) uses: it never
// touches the disk itself, it asks for jobs and gets completions back.
//
// Contract for every implementation:
// * Methods are called on the host thread and return at once; the work happens
//   elsewhere (a worker thread: platform/fileio/ThreadedFileIo.h).
// * Each completion runs later on the host thread, never from inside the call that
//   started the job, and never after the FileIo is destroyed.
// * Jobs of one FileSource / FileSink run in the order they were asked for.
// * Errors come back in the result (IoError + text); nothing throws.
// * A handle (FileSource, FileSink) may be destroyed with jobs in flight: they still
//   finish (a write is completed or not at all), their completions are still delivered
//   (the caller ignores what it no longer wants), and the file is closed afterwards.

#include "shared/transfer/ResumeRecord.h"
#include "shared/transfer/TransferTypes.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace parley::transfer {

enum class IoError : std::uint8_t {
    None = 0,
    NotFound,  ///< the source file or the directory does not exist
    ReadFailed,
    WriteFailed,
    NoSpace,      ///< not enough free space for the file
    InvalidName,  ///< the offered name leaves no usable file name
};
const char* toString(IoError error);
/// What the other side of a transfer is told about a failure here: the kind, in words,
/// never the local text (which names this computer's folders and files).
const char* describeForPeer(IoError error);

struct HashResult {
    IoError error = IoError::None;
    std::string text;
    std::uint64_t size = 0;
    Sha256 sha256{};
};

struct ReadResult {
    IoError error = IoError::None;
    std::string text;
    std::vector<std::uint8_t> data;
    /// Set when this read ends a block (or the file): SHA-256 of that block, computed
    /// from the bytes actually read for it.
    std::optional<Sha256> blockHash;
};

struct WriteResult {
    IoError error = IoError::None;
    std::string text;
    /// Set when this write ends a block (or the file): SHA-256 of the block as written.
    std::optional<Sha256> blockHash;
};

struct FinishResult {
    IoError error = IoError::None;
    std::string text;
    bool verified = false;  ///< size and whole-file SHA-256 equal the offer's
    std::string path;       ///< UTF-8: the final file, or where mismatching data was kept
};

/// Reads one file for an outgoing transfer. Block hashes follow the reads: a read that is
/// not the continuation of the previous one restarts the block it falls in (the part of the
/// block before it is read again for the hash).
class FileSource {
public:
    virtual ~FileSource() = default;
    virtual void read(std::uint64_t offset, std::uint32_t length, std::function<void(ReadResult)> done) = 0;
};

/// Writes the .part file of an incoming transfer. Keeps the whole-file SHA-256 of what was
/// written, with a snapshot at each block start, so that a write that goes back to the start
/// of a block not yet recorded (a restart, protocol 9.8 rule 8) rolls the digest back to it.
class FileSink {
public:
    virtual ~FileSink() = default;
    /// Writes must be contiguous, or restart at the start of a block not yet recorded.
    virtual void write(std::uint64_t offset, std::vector<std::uint8_t> data, std::function<void(WriteResult)> done) = 0;
    /// The block at `offset` was verified: appends its hash to the sidecar (for resume).
    virtual void recordBlock(const BlockHash& block) = 0;
    /// Compares size and whole-file hash with the offer. Verified: the .part becomes the
    /// final file under a name not taken (uniqueName); otherwise it is renamed aside
    /// ("<name>.mismatch.part"). The sidecar is deleted either way.
    virtual void finish(std::function<void(FinishResult)> done) = 0;
    /// Stops: deletes the .part and the sidecar if `deletePart`, else keeps both for resume.
    virtual void close(bool deletePart) = 0;
};

/// What a receiver asks for when it accepts (or resumes) an offer.
struct SinkRequest {
    std::filesystem::path directory;
    UserId peer = 0;
    proto::FileOffer offer;
    /// Resume from this record's .part (re-verified block by block against the recorded
    /// hashes); if its .part is gone, the transfer starts over as a new file.
    std::optional<ResumeRecord> resume;
    /// The receiver's state folder: the resume state of a new sink is kept there (made
    /// 0700 if missing), never beside the .part. Empty: no resume state is kept.
    std::filesystem::path stateDirectory;
};

struct SinkResult {
    IoError error = IoError::None;  ///< NotFound (no such directory), InvalidName, NoSpace, WriteFailed
    std::string text;
    std::shared_ptr<FileSink> sink;
    std::uint64_t offset = 0;  ///< where to accept from: end of the last verified block
    std::string partPath;      ///< UTF-8
    ResumeRecord record;       ///< what the sidecar says (to resume this sink later)
};

class FileIo {
public:
    virtual ~FileIo() = default;

    /// SHA-256 and size of a whole file (a long job: runs apart from chunk reads and writes).
    virtual void hashFile(const std::filesystem::path& path, std::function<void(HashResult)> done) = 0;

    /// A reader for `path`, of `size` bytes in blocks of `blockSize`. Opens lazily: errors
    /// come with the first read.
    virtual std::unique_ptr<FileSource> openSource(const std::filesystem::path& path, std::uint64_t size,
                                                   std::uint32_t blockSize) = 0;

    /// Pre-flight and creation of the .part (new), or re-verification of an existing one
    /// (resume); see SinkRequest.
    virtual void openSink(SinkRequest request, std::function<void(SinkResult)> done) = 0;

    /// Deletes the .part file and the sidecar `record` describes (a cancelled transfer that
    /// was interrupted: no sink is open for it). Fire and forget.
    virtual void removePart(const ResumeRecord& record) = 0;

    /// The resume records in the state folder `stateDirectory` (unreadable ones, and files
    /// whose name is not their transfer's resumeFileName(), skipped). Never a download folder.
    virtual void findResumable(const std::filesystem::path& stateDirectory,
                               std::function<void(std::vector<ResumeRecord>)> done) = 0;
};

}  // namespace parley::transfer
