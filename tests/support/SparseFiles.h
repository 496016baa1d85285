#pragma once
// For the cases that write a file far beyond 4 GiB (a hole, then a few bytes):
// whether this folder can take one. A file system that keeps holes (ext4, xfs,
// tmpfs, wine's host file systems, NTFS with the sparse flag) takes a few KiB
// for it; one that writes the zeros (NTFS without the flag) needs the whole
// size free. The case asks with BOOST_REQUIRE: one that cannot run fails,
// it is never skipped (a skip would pass in CI).
// Header-only (tests/shared run under wine too).

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
// windows.h still defines the 16-bit era's `far` and `near` as empty macros.
#undef far
#undef near
#else
#include <sys/stat.h>
#endif

namespace parley::test {

/// Bytes the file system has allocated to `path` (not its size); -1 if unknown.
inline std::int64_t allocatedBytes(const std::filesystem::path& path) {
#ifdef _WIN32
    DWORD high = 0;
    const DWORD low = GetCompressedFileSizeW(path.wstring().c_str(), &high);
    if (low == INVALID_FILE_SIZE && GetLastError() != NO_ERROR) return -1;
    return static_cast<std::int64_t>((static_cast<std::uint64_t>(high) << 32) | low);
#else
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return -1;
    return static_cast<std::int64_t>(info.st_blocks) * 512;
#endif
}

/// Empty if a file with a hole up to `farOffset` can be written in `folder`;
/// otherwise why not (for the failure message).
inline std::string whyNoFarFile(const std::filesystem::path& folder, std::uint64_t farOffset) {
    namespace fs = std::filesystem;
    constexpr std::uint64_t kProbeHole = std::uint64_t{64} << 20;
    const fs::path probe = folder / ".parley-sparse-probe";
    {
        std::ofstream out(probe, std::ios::binary);
        out.seekp(static_cast<std::streamoff>(kProbeHole));
        out << 'x';
    }
    const std::int64_t allocated = allocatedBytes(probe);
    std::error_code ec;
    fs::remove(probe, ec);
    if (allocated >= 0 && static_cast<std::uint64_t>(allocated) < kProbeHole / 4) return {};  // keeps holes
    const auto info = fs::space(folder, ec);
    const std::uint64_t needed = farOffset + (std::uint64_t{1} << 30);
    if (!ec && info.available > needed) return {};
    return "the file system of " + folder.string() + " does not keep holes in files (a 64 MiB hole took " +
           std::to_string(allocated) + " bytes) and has less than " + std::to_string(needed >> 30) +
           " GiB free for the zeros";
}

}  // namespace parley::test
