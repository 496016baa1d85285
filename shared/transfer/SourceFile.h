#pragma once
// The synchronous work behind FileIo's reading jobs: whole-file hashing and positional
// reads with block hashes. Portable C++17 (std::fstream with 64-bit offsets: files over
// 4 GiB work). Runs on whatever thread the job runner uses; not thread-safe itself.

#include "shared/transfer/FileIo.h"
#include "shared/transfer/Sha256Engine.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>

namespace parley::transfer {

/// Size and SHA-256 of a whole file, read in 1 MiB pieces (constant memory).
HashResult hashWholeFile(const std::filesystem::path& path, const Sha256Factory& makeSha256);

/// One source file of an outgoing transfer (see FileSource for the block-hash rule).
class SourceFile {
public:
    SourceFile(std::filesystem::path path, std::uint64_t size, std::uint32_t blockSize,
               const Sha256Factory& makeSha256);
    SourceFile(const SourceFile&) = delete;
    SourceFile& operator=(const SourceFile&) = delete;

    ReadResult read(std::uint64_t offset, std::uint32_t length);

private:
    bool readAt(std::uint64_t offset, std::uint8_t* data, std::size_t size, ReadResult& result);

    const std::filesystem::path m_path;
    const std::uint64_t m_size;
    const std::uint32_t m_blockSize;
    std::ifstream m_file;
    std::unique_ptr<Sha256Engine> m_block;
    std::uint64_t m_hashedTo = 0;  ///< the block hash covers [block start, m_hashedTo)
};

}  // namespace parley::transfer
