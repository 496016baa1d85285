#pragma once
// Where parley-server keeps what it writes (the SQLite file today; the TLS
// certificate and logs as they arrive), and the lock that keeps a second
// server off the same SQLite file.
//
// The folder is --data DIR when given, else the per-user data location
// (QStandardPaths::GenericDataLocation + "/parley-server", i.e.
// ~/.local/share/parley-server on Linux, %LOCALAPPDATA%\parley-server on
// Windows); the service passes --data /var/lib/parley. Never the working
// directory. Parley creates it readable by its own user only (0700).

#include <QLockFile>

#include <memory>
#include <string>

namespace parley::server {

struct ServerOptions;

/// The data folder for `options` (not created).
std::string dataFolderFor(const ServerOptions& options);

/// Creates `folder` (and its parents) if missing, mode 0700 for the folder
/// Parley made. Returns an empty string or why it failed.
std::string prepareDataFolder(const std::string& folder);

/// Fills in what depends on the data folder: without --db, the database is
/// sqlite:<data>/parley.db. Creates the folder when the database lives in it.
/// Returns an empty string or why it failed.
std::string resolveDataFolder(ServerOptions& options);

/// Holds `<sqlite file>.lock` while the server runs, so that a second server
/// started on the same SQLite file is refused instead of becoming a second
/// writer. A lock left by a server that died (its pid gone) is taken over.
class DatabaseLock {
public:
    DatabaseLock() = default;
    DatabaseLock(const DatabaseLock&) = delete;
    DatabaseLock& operator=(const DatabaseLock&) = delete;

    /// Takes the lock for `database` when it is `sqlite:PATH`; nothing to do
    /// for ODBC (the database server arbitrates). Returns an empty string or
    /// the reason (held by another process, with its pid; no permission).
    std::string acquire(const std::string& database);

private:
    std::unique_ptr<QLockFile> m_lock;
};

}  // namespace parley::server
