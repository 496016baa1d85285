#pragma once
// Files and folders Parley creates for itself (logs, resume state, data and
// state folders) are for its own user only: files 0600, folders 0700. The
// database file gets the same from db/ (with Qt's QFile, db/ links no shared/).
//
// Where a file system has no such permissions (FAT; on Windows, which has ACLs
// and only a read-only bit here) the calls change nothing and report no error
// that a caller must act on: each returns the error for a log line at most.
// Plain C++ (std::filesystem); any thread.

#include <filesystem>
#include <system_error>

namespace parley::files {

/// Makes `file` readable and writable by its owner only (0600).
std::error_code restrictToOwner(const std::filesystem::path& file);

/// Creates `folder` and its missing parents; every folder it creates is 0700,
/// folders that exist already are left as they are. An error if it cannot be
/// created (not if only the permissions could not be set).
std::error_code createPrivateDirectories(const std::filesystem::path& folder);

}  // namespace parley::files
