#pragma once
// For tests of files Parley makes for its own user only (0600 / 0700): whether
// the file system under test keeps POSIX permission bits at all. On Windows,
// std::filesystem maps only the read-only attribute (a writable file reads as
// 0666 whatever was set), and there the product leaves the modes alone.
// Header-only standard C++ (tests/shared run under wine too).

#include <filesystem>
#include <fstream>
#include <system_error>

namespace parley::test {

/// The permission bits of `path` (0600, 0755, ...).
inline unsigned modeOf(const std::filesystem::path& path) {
    return static_cast<unsigned>(std::filesystem::status(path).permissions() & std::filesystem::perms::all);
}

/// True if a file made 0600 in `folder` reads back as 0600.
inline bool keepsPosixModes(const std::filesystem::path& folder) {
    namespace fs = std::filesystem;
    const fs::path probe = folder / ".parley-mode-probe";
    { std::ofstream(probe) << "x"; }
    std::error_code ignored;
    fs::permissions(probe, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ignored);
    const bool kept = modeOf(probe) == 0600u;
    fs::remove(probe, ignored);
    return kept;
}

}  // namespace parley::test
