#include "shared/transfer/SinkFile.h"

#include "shared/files/FileName.h"
#include "shared/files/PrivateFiles.h"
#include "shared/text/ByteCount.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

namespace parley::transfer {

namespace fs = std::filesystem;
using files::pathFromUtf8;
using files::utf8FromPath;

namespace {

constexpr std::size_t kVerifyPiece = 256 * 1024;

bool entryExists(const fs::path& path) {
    std::error_code ec;
    return fs::exists(fs::symlink_status(path, ec));
}

std::string readWholeFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

OpenedSink failure(IoError error, std::string text) {
    OpenedSink opened;
    opened.error = error;
    opened.text = std::move(text);
    return opened;
}

std::string systemText(const std::string& what) {
    return what + (errno != 0 ? std::string(": ") + std::strerror(errno) : std::string());
}

// A file system that reports no capacity at all (procfs, sysfs, FUSE file systems without
// statfs) does not know its free space: creating and writing the file tells what is wrong.
bool knownTooFull(const fs::space_info& space, std::uint64_t need) {
    return space.capacity != 0 && space.available < need;
}

}  // namespace

bool hasUsableLeaf(const std::string& offered) {
    std::string leaf;
    std::string current;
    for (char c : offered + "/") {
        if (c == '/' || c == '\\') {
            if (!current.empty()) {
                leaf = current;
            }
            current.clear();
        } else {
            current += c;
        }
    }
    return leaf.find_first_not_of(" .") != std::string::npos;
}

SinkFile::SinkFile(ResumeRecord record, const Sha256Factory& makeSha256)
    : m_record(std::move(record)),
      m_part(partPathOf(m_record)),
      m_sidecar(resumePathOf(m_record)),
      m_whole(makeSha256()),
      m_block(makeSha256()) {}

OpenedSink SinkFile::open(const SinkRequest& request, const Sha256Factory& makeSha256) {
    std::error_code ec;
    if (!fs::is_directory(request.directory, ec)) {
        if (request.resume) {
            // The folder of an unfinished download is gone: so is its resume state.
            fs::remove(resumePathOf(*request.resume), ec);
        }
        return failure(IoError::NotFound, "no such directory: " + utf8FromPath(request.directory));
    }
    if (request.resume && entryExists(request.directory / pathFromUtf8(files::partName(request.resume->name)))) {
        return resume(request, makeSha256);
    }
    return create(request, makeSha256);
}

OpenedSink SinkFile::create(const SinkRequest& request, const Sha256Factory& makeSha256) {
    const proto::FileOffer& offer = request.offer;
    if (!hasUsableLeaf(offer.fileName)) {
        return failure(IoError::InvalidName, "the offered name has no usable file name");
    }
    std::error_code ec;
    const fs::space_info space = fs::space(request.directory, ec);
    if (!ec && knownTooFull(space, offer.size)) {
        return failure(IoError::NoSpace,
                       text::formatBytes(space.available) + " free, the file needs " + text::formatBytes(offer.size));
    }
    const files::UniqueNameResult unique = files::uniqueNameIn(request.directory, offer.fileName);
    if (!unique.ok()) {
        return failure(unique.error == files::NameError::NoFreeName ? IoError::InvalidName : IoError::WriteFailed,
                       std::string(files::toString(unique.error)));
    }
    ResumeRecord record;
    record.peer = request.peer;
    record.transferId = offer.transferId;
    record.size = offer.size;
    record.sha256 = offer.sha256;
    record.blockSize = offer.blockSize;
    record.name = unique.name;
    record.offeredName = offer.fileName;
    record.directory = request.directory;
    record.stateDirectory = request.stateDirectory;
    if (!request.stateDirectory.empty()) {
        if (const std::error_code made = files::createPrivateDirectories(request.stateDirectory)) {
            return failure(IoError::WriteFailed, "cannot create the state folder " +
                                                     utf8FromPath(request.stateDirectory) + ": " + made.message());
        }
    }
    std::shared_ptr<SinkFile> sink(new SinkFile(std::move(record), makeSha256));
    {
        std::ofstream create(sink->m_part, std::ios::binary | std::ios::trunc);
        if (!create.is_open()) {
            return failure(IoError::WriteFailed, systemText("cannot create " + utf8FromPath(sink->m_part)));
        }
    }
    sink->m_file.open(sink->m_part, std::ios::binary | std::ios::in | std::ios::out);
    if (!sink->m_file.is_open() || !sink->writeSidecar({})) {
        return failure(IoError::WriteFailed, systemText("cannot write in " + utf8FromPath(request.directory)));
    }
    OpenedSink opened;
    opened.file = sink;
    opened.partPath = utf8FromPath(sink->m_part);
    opened.record = sink->m_record;
    return opened;
}

OpenedSink SinkFile::resume(const SinkRequest& request, const Sha256Factory& makeSha256) {
    ResumeRecord record = *request.resume;
    record.directory = request.directory;
    if (record.stateDirectory.empty()) {
        record.stateDirectory = request.stateDirectory;
    }
    std::shared_ptr<SinkFile> sink(new SinkFile(std::move(record), makeSha256));
    std::vector<BlockHash> blocks;
    if (auto parsed = parseResume(readWholeFile(sink->m_sidecar))) {
        blocks = std::move(parsed->blocks);
    }
    std::error_code ec;
    const std::uintmax_t have = fs::file_size(sink->m_part, ec);
    const fs::space_info space = fs::space(request.directory, ec);
    const std::uint64_t size = sink->m_record.size;
    if (!ec && have < size && knownTooFull(space, size - have)) {
        return failure(IoError::NoSpace, text::formatBytes(space.available) +
                                             " free, completing the .part file needs " +
                                             text::formatBytes(size - have));
    }
    sink->m_file.open(sink->m_part, std::ios::binary | std::ios::in | std::ios::out);
    if (!sink->m_file.is_open()) {
        return failure(IoError::WriteFailed, systemText("cannot open " + utf8FromPath(sink->m_part)));
    }
    sink->m_position = sink->verifyExisting(blocks);
    OpenedSink opened;
    opened.offset = sink->m_position;
    opened.partPath = utf8FromPath(sink->m_part);
    opened.record = sink->m_record;
    opened.file = sink;
    return opened;
}

std::uint64_t SinkFile::verifyExisting(const std::vector<BlockHash>& blocks) {
    // Each recorded block is read again and must still hash the same; the whole-file digest
    // takes exactly the blocks that pass, up to the first that does not.
    std::vector<BlockHash> verified;
    std::vector<char> piece(kVerifyPiece);
    std::uint64_t offset = 0;
    for (const BlockHash& expected : blocks) {
        if (expected.offset != offset || offset >= m_record.size) {
            break;
        }
        const std::uint64_t length = std::min<std::uint64_t>(m_record.blockSize, m_record.size - offset);
        std::unique_ptr<Sha256Engine> before = m_whole->clone();
        m_block->reset();
        m_file.clear();
        m_file.seekg(static_cast<std::streamoff>(offset));
        bool ok = true;
        for (std::uint64_t done = 0; ok && done < length;) {
            const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(piece.size(), length - done));
            m_file.read(piece.data(), static_cast<std::streamsize>(n));
            ok = static_cast<std::size_t>(m_file.gcount()) == n;
            m_block->update(reinterpret_cast<const std::uint8_t*>(piece.data()), n);
            m_whole->update(reinterpret_cast<const std::uint8_t*>(piece.data()), n);
            done += n;
        }
        if (!ok || m_block->finish() != expected.sha256) {
            m_whole = std::move(before);
            break;
        }
        verified.push_back(expected);
        offset += length;
    }
    m_block->reset();
    m_file.clear();
    // What did not verify is forgotten, so that a later resume does not trust it either.
    if (verified.size() != blocks.size()) {
        writeSidecar(verified);
    }
    return offset;
}

bool SinkFile::writeSidecar(const std::vector<BlockHash>& blocks) {
    if (m_sidecar.empty()) {
        return true;  // no state folder: nothing kept for a later process
    }
    // Written aside and renamed over the old one: a crash leaves one or the other.
    fs::path temporary = m_sidecar;
    temporary += ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        files::restrictToOwner(temporary);  // resume state is the receiver's alone
        out << formatResumeHeader(m_record);
        for (const BlockHash& block : blocks) {
            out << formatBlockHashLine(block);
        }
        out.close();
        if (!out) {
            return false;
        }
    }
    std::error_code ec;
    fs::rename(temporary, m_sidecar, ec);
    return !ec;
}

WriteResult SinkFile::write(std::uint64_t offset, const std::vector<std::uint8_t>& data) {
    WriteResult result;
    if (m_closed || !m_pendingError.empty()) {
        result.error = IoError::WriteFailed;
        result.text = m_closed ? "the file is closed" : m_pendingError;
        return result;
    }
    const std::uint32_t blockSize = m_record.blockSize;
    if (offset != m_position) {
        const auto snapshot = m_snapshots.find(offset);
        if (offset > m_position || snapshot == m_snapshots.end()) {
            result.error = IoError::WriteFailed;
            result.text = "write at " + std::to_string(offset) + " is out of order";
            return result;
        }
        // A restart at a block not yet recorded: what was written from there on no longer
        // counts, so the whole-file digest goes back to that block's start.
        m_whole = snapshot->second->clone();
        m_snapshots.erase(snapshot, m_snapshots.end());
        m_block->reset();
        m_position = offset;
    }
    if (offset > m_record.size || data.size() > m_record.size - offset) {
        result.error = IoError::WriteFailed;
        result.text = "write beyond the offered size";
        return result;
    }
    if (offset % blockSize == 0) {
        m_snapshots[offset] = m_whole->clone();
    }
    m_file.clear();
    m_file.seekp(static_cast<std::streamoff>(offset));
    m_file.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    if (!m_file) {
        result.error = IoError::WriteFailed;
        result.text = systemText("cannot write " + utf8FromPath(m_part));
        m_file.clear();
        return result;
    }
    m_block->update(data.data(), data.size());
    m_whole->update(data.data(), data.size());
    m_position += data.size();
    if (m_position % blockSize == 0 || m_position == m_record.size) {
        result.blockHash = m_block->finish();
    }
    return result;
}

void SinkFile::recordBlock(const BlockHash& block) {
    m_snapshots.erase(m_snapshots.begin(), m_snapshots.upper_bound(block.offset));
    if (m_sidecar.empty()) {
        return;
    }
    std::ofstream out(m_sidecar, std::ios::binary | std::ios::app);
    out << formatBlockHashLine(block);
    out.close();
    if (!out && m_pendingError.empty()) {
        m_pendingError = systemText("cannot append to " + utf8FromPath(m_sidecar));
    }
}

fs::path SinkFile::finalPath() const {
    // Like uniqueNameIn(), except that our own .part does not make the name taken.
    const auto exists = [this](const std::string& name) {
        return entryExists(m_record.directory / pathFromUtf8(name)) ||
               (name != m_record.name && entryExists(m_record.directory / pathFromUtf8(files::partName(name))));
    };
    const files::UniqueNameResult unique = files::uniqueName(exists, m_record.name);
    return unique.ok() ? m_record.directory / pathFromUtf8(unique.name) : fs::path();
}

FinishResult SinkFile::finish() {
    FinishResult result;
    m_file.flush();
    const bool flushed = static_cast<bool>(m_file);
    m_file.close();
    m_closed = true;
    if (!flushed || !m_pendingError.empty()) {
        result.error = IoError::WriteFailed;
        result.text = m_pendingError.empty() ? systemText("cannot write " + utf8FromPath(m_part)) : m_pendingError;
        return result;
    }
    std::error_code ec;
    if (fs::file_size(m_part, ec) > m_record.size && !ec) {
        fs::resize_file(m_part, m_record.size, ec);  // stale bytes from before a restart
    }
    result.verified = m_position == m_record.size && m_whole->clone()->finish() == m_record.sha256;
    fs::path target;
    if (result.verified) {
        target = finalPath();
    } else {
        const files::UniqueNameResult aside = files::uniqueNameIn(m_record.directory, m_record.name + ".mismatch");
        if (aside.ok()) {
            target = m_record.directory / pathFromUtf8(files::partName(aside.name));
        }
    }
    if (target.empty()) {
        result.error = IoError::WriteFailed;
        result.text = "no free name for " + m_record.name;
        result.path = utf8FromPath(m_part);
        return result;
    }
    fs::rename(m_part, target, ec);
    if (ec) {
        result.error = IoError::WriteFailed;
        result.text = "cannot rename " + utf8FromPath(m_part) + ": " + ec.message();
        result.path = utf8FromPath(m_part);
        return result;
    }
    fs::remove(m_sidecar, ec);
    result.path = utf8FromPath(target);
    return result;
}

void SinkFile::close(bool deletePart) {
    if (m_file.is_open()) {
        m_file.close();
    }
    m_closed = true;
    if (deletePart) {
        std::error_code ec;
        fs::remove(m_part, ec);
        fs::remove(m_sidecar, ec);
    }
}

void removePartOf(const ResumeRecord& record) {
    std::error_code ec;
    fs::remove(partPathOf(record), ec);
    fs::remove(resumePathOf(record), ec);
}

std::vector<ResumeRecord> scanResumable(const fs::path& stateDirectory) {
    std::vector<ResumeRecord> records;
    std::error_code ec;
    for (fs::directory_iterator it(stateDirectory, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string leaf = utf8FromPath(it->path().filename());
        auto parsed = parseResume(readWholeFile(it->path()));
        // Only state that names its own transfer, and the folder its .part is in.
        if (!parsed || parsed->record.directory.empty() ||
            leaf != resumeFileName(parsed->record.peer, parsed->record.transferId)) {
            continue;
        }
        parsed->record.stateDirectory = stateDirectory;
        records.push_back(std::move(parsed->record));
    }
    return records;
}

}  // namespace parley::transfer
