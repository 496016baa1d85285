#include "server-gui/WindowSettings.h"

#include "server-gui/DataFolder.h"

#include <QDir>
#include <QFile>
#include <QSettings>

namespace parley::server {
namespace {

const QString kHost = QStringLiteral("server/listenHost");
const QString kPort = QStringLiteral("server/listenPort");
const QString kDatabase = QStringLiteral("server/database");
const QString kThreads = QStringLiteral("server/ioThreads");
const QString kRate = QStringLiteral("limits/messagesPerSecond");
const QString kBurst = QStringLiteral("limits/messageBurst");
const QString kConnections = QStringLiteral("limits/connectionsPerAddress");
const QString kFileSize = QStringLiteral("limits/maxFileSize");
const QString kTransfers = QStringLiteral("limits/maxTransfersPerUser");
const QString kTokenLifetime = QStringLiteral("login/tokenLifetimeDays");

constexpr QFileDevice::Permissions kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

template <class T>
void readInto(const QSettings& settings, const QString& key, T& value) {
    const QVariant saved = settings.value(key);
    if (saved.isValid() && saved.canConvert<T>()) value = saved.value<T>();
}

}  // namespace

QString windowSettingsFile(const std::string& dataFolder) {
    return QDir(QString::fromStdString(dataFolder)).filePath(QStringLiteral("server-window.ini"));
}

bool readWindowSettings(const QString& file, ServerConfig& config) {
    if (!QFile::exists(file)) return false;
    const QSettings settings(file, QSettings::IniFormat);
    config.listenHost = settings.value(kHost, QString::fromStdString(config.listenHost)).toString().toStdString();
    readInto(settings, kPort, config.listenPort);
    readInto(settings, kThreads, config.threads);
    readInto(settings, kRate, config.limits.messagesPerSecond);
    readInto(settings, kBurst, config.limits.messageBurst);
    readInto(settings, kConnections, config.limits.connectionsPerAddress);
    readInto(settings, kFileSize, config.limits.maxFileSize);
    readInto(settings, kTransfers, config.limits.maxTransfersPerUser);
    readInto(settings, kTokenLifetime, config.tokenLifetimeDays);
    const QString database = settings.value(kDatabase).toString();
    if (database.isEmpty()) return false;
    config.database = database.toStdString();
    return true;
}

QString writeWindowSettings(const QString& file, const ServerConfig& config) {
    // Created owner-only before QSettings writes it: its atomic save keeps the
    // permissions of the file it replaces.
    if (!QFile::exists(file)) {
        QFile create(file);
        if (!create.open(QIODevice::WriteOnly))
            return QStringLiteral("cannot create %1: %2").arg(file, create.errorString());
    }
    if (!QFile::setPermissions(file, kOwnerOnly)) return QStringLiteral("cannot restrict %1 to its owner").arg(file);
    QSettings settings(file, QSettings::IniFormat);
    settings.setValue(kHost, QString::fromStdString(config.listenHost));
    settings.setValue(kPort, config.listenPort);
    settings.setValue(kDatabase, QString::fromStdString(config.database));
    settings.setValue(kThreads, config.threads);
    settings.setValue(kRate, config.limits.messagesPerSecond);
    settings.setValue(kBurst, config.limits.messageBurst);
    settings.setValue(kConnections, config.limits.connectionsPerAddress);
    settings.setValue(kFileSize, static_cast<qulonglong>(config.limits.maxFileSize));
    settings.setValue(kTransfers, config.limits.maxTransfersPerUser);
    settings.setValue(kTokenLifetime, config.tokenLifetimeDays);
    settings.sync();
    if (settings.status() != QSettings::NoError) return QStringLiteral("cannot write %1").arg(file);
    return {};
}

std::string loadWindowOptions(const std::vector<std::string>& args, ServerOptions& options) {
    // The first pass only finds the data folder (--data, on the command line or in the config file).
    ServerOptions located;
    if (std::string error = loadServerOptions(args, located); !error.empty()) return error;
    ServerOptions saved;
    saved.databaseGiven = readWindowSettings(windowSettingsFile(dataFolderFor(located)), saved.config);
    if (std::string error = loadServerOptions(args, saved); !error.empty()) return error;
    if (std::string error = resolveDataFolder(saved); !error.empty()) return error;
    options = std::move(saved);
    return {};
}

}  // namespace parley::server
