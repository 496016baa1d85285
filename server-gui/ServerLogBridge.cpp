#include "server-gui/ServerLogBridge.h"

#include <QTime>

namespace parley::server {
namespace {

// The time is taken on the reporting thread so queued lines keep their real time.
QString now() { return QTime::currentTime().toString(QStringLiteral("HH:mm:ss")); }

}  // namespace

ServerLogBridge::ServerLogBridge(QObject* parent) : QObject(parent) {}

void ServerLogBridge::onLog(LogLevel level, const std::string& line) {
    emit logLine(now(), QString::fromLatin1(net::Logger::toString(level).data()), QString::fromStdString(line));
}

void ServerLogBridge::onUserOnline(proto::UserId id, const std::string& username, const std::string& address) {
    emit logLine(now(), QStringLiteral("info"),
                 QStringLiteral("%1 (id %2) is online from %3")
                     .arg(QString::fromStdString(username))
                     .arg(id)
                     .arg(QString::fromStdString(address)));
    emit presenceChanged();
}

void ServerLogBridge::onUserOffline(proto::UserId id, const std::string& username) {
    emit logLine(now(), QStringLiteral("info"),
                 QStringLiteral("%1 (id %2) is offline").arg(QString::fromStdString(username)).arg(id));
    emit presenceChanged();
}

}  // namespace parley::server
