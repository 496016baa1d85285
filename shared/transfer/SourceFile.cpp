#include "shared/transfer/SourceFile.h"

#include "shared/files/FileName.h"

#include <algorithm>
#include <vector>

namespace parley::transfer {

namespace {

constexpr std::size_t kHashPiece = 1024 * 1024;

}  // namespace

HashResult hashWholeFile(const std::filesystem::path& path, const Sha256Factory& makeSha256) {
    HashResult result;
    std::ifstream file(path, std::ios::binary);
    std::error_code ec;
    if (!file.is_open() || std::filesystem::is_directory(path, ec)) {
        result.error = IoError::NotFound;
        result.text = "cannot open " + files::utf8FromPath(path);
        return result;
    }
    std::unique_ptr<Sha256Engine> sha = makeSha256();
    std::vector<char> buffer(kHashPiece);
    while (file) {
        file.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = static_cast<std::size_t>(file.gcount());
        sha->update(reinterpret_cast<const std::uint8_t*>(buffer.data()), got);
        result.size += got;
    }
    if (file.bad()) {
        result.error = IoError::ReadFailed;
        result.text = "read error in " + files::utf8FromPath(path);
        return result;
    }
    result.sha256 = sha->finish();
    return result;
}

SourceFile::SourceFile(std::filesystem::path path, std::uint64_t size, std::uint32_t blockSize,
                       const Sha256Factory& makeSha256)
    : m_path(std::move(path)), m_size(size), m_blockSize(blockSize), m_block(makeSha256()) {}

ReadResult SourceFile::read(std::uint64_t offset, std::uint32_t length) {
    ReadResult result;
    if (offset > m_size || length > m_size - offset) {
        result.error = IoError::ReadFailed;
        result.text = "read beyond the end of the offered size";
        return result;
    }
    const std::uint64_t blockStart = offset - offset % m_blockSize;
    if (offset != m_hashedTo) {
        // A restart inside a block: the hash must cover the block from its start, so the
        // part before `offset` is read again (a piece at a time).
        m_block->reset();
        std::vector<std::uint8_t> piece;
        for (std::uint64_t at = blockStart; at < offset;) {
            const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(kHashPiece, offset - at));
            piece.resize(n);
            if (!readAt(at, piece.data(), n, result)) {
                return result;
            }
            m_block->update(piece.data(), n);
            at += n;
        }
    }
    result.data.resize(length);
    if (!readAt(offset, result.data.data(), length, result)) {
        result.data.clear();
        m_hashedTo = m_size + 1;  // nothing valid: the next read starts its block over
        return result;
    }
    m_block->update(result.data.data(), length);
    m_hashedTo = offset + length;
    if (m_hashedTo % m_blockSize == 0 || m_hashedTo == m_size) {
        result.blockHash = m_block->finish();
    }
    return result;
}

bool SourceFile::readAt(std::uint64_t offset, std::uint8_t* data, std::size_t size, ReadResult& result) {
    if (!m_file.is_open()) {
        m_file.open(m_path, std::ios::binary);
        if (!m_file.is_open()) {
            result.error = IoError::NotFound;
            result.text = "cannot open " + files::utf8FromPath(m_path);
            return false;
        }
    }
    m_file.clear();
    m_file.seekg(static_cast<std::streamoff>(offset));
    m_file.read(reinterpret_cast<char*>(data), static_cast<std::streamsize>(size));
    if (static_cast<std::size_t>(m_file.gcount()) != size) {
        result.error = IoError::ReadFailed;
        result.text = files::utf8FromPath(m_path) + " is shorter than when it was offered";
        return false;
    }
    return true;
}

}  // namespace parley::transfer
