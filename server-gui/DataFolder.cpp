#include "server-gui/DataFolder.h"

#include "server-gui/ServerOptions.h"
#include "shared/files/PrivateFiles.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QString>

#include <filesystem>
#include <system_error>

namespace parley::server {
namespace {

const std::string kSqlitePrefix = "sqlite:";

}  // namespace

std::string dataFolderFor(const ServerOptions& options) {
    if (!options.dataDir.empty()) return options.dataDir;
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(base).filePath(QStringLiteral("parley-server")).toStdString();
}

std::string prepareDataFolder(const std::string& folder) {
    namespace fs = std::filesystem;
    std::error_code error;
    const fs::path path = fs::u8path(folder);
    if (fs::is_directory(path, error)) return {};
    error = files::createPrivateDirectories(path);
    if (error) return "cannot create the data folder " + folder + ": " + error.message();
    return {};
}

std::string resolveDataFolder(ServerOptions& options) {
    if (options.databaseGiven) return {};
    const std::string folder = dataFolderFor(options);
    if (std::string error = prepareDataFolder(folder); !error.empty()) return error;
    options.config.database =
        kSqlitePrefix + QDir(QString::fromStdString(folder)).filePath(QStringLiteral("parley.db")).toStdString();
    return {};
}

std::string DatabaseLock::acquire(const std::string& database) {
    if (database.rfind(kSqlitePrefix, 0) != 0) return {};
    const std::string file = database.substr(kSqlitePrefix.size());
    if (file.empty() || file == ":memory:") return {};
    const std::string folder = std::filesystem::u8path(file).parent_path().u8string();
    if (!folder.empty()) {
        if (std::string error = prepareDataFolder(folder); !error.empty())
            return "the database " + file + " cannot be opened: " + error;
    }
    const QString lockPath = QString::fromStdString(file + ".lock");
    auto lock = std::make_unique<QLockFile>(lockPath);
    // Only a live process counts: a lock of a killed server is stale whatever its age.
    lock->setStaleLockTime(0);
    if (lock->tryLock(0)) {
        QFile::setPermissions(lockPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        m_lock = std::move(lock);
        return {};
    }
    if (lock->error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host;
        QString app;
        lock->getLockInfo(&pid, &host, &app);
        return "the database " + file + " is in use by another parley-server (pid " + std::to_string(pid) +
               "); one server per SQLite file";
    }
    return "cannot create the lock file " + lockPath.toStdString() + " (is the database's folder writable?)";
}

}  // namespace parley::server
