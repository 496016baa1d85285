#include "client-gui/core/AccountPaths.h"

#include <QDir>
#include <QStandardPaths>

#include <utility>

namespace parley::gui {

namespace {

/// Any text as one portable folder name: letters, digits, '-', '.' kept, every
/// other character as _XXXX (its UTF-16 code), so distinct names stay distinct
/// on case-insensitive file systems too.
QString escapeName(const QString& text) {
    QString out;
    for (const QChar c : text) {
        const bool plain = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                           (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('-') ||
                           c == QLatin1Char('.');
        if (plain) {
            out += c;
        } else {
            out += QStringLiteral("_%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
        }
    }
    if (out.startsWith(QLatin1Char('.'))) {
        out.replace(0, 1, QStringLiteral("_002e"));
    }
    return out;
}

}  // namespace

AccountPaths::AccountPaths(QString profileDir) : m_profileDir(std::move(profileDir)) {
    if (m_profileDir.isEmpty()) {
        m_profileDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    }
    m_profileDir = QDir::cleanPath(QDir(m_profileDir).absolutePath());
}

QString AccountPaths::settingsFile() const { return m_profileDir + QStringLiteral("/parley-client.ini"); }

QString AccountPaths::knownServersFile() const { return m_profileDir + QStringLiteral("/known_servers"); }

QString AccountPaths::accountDir(const ServerAddress& server, const QString& userName) const {
    const QString serverName = escapeName(server.host.toLower()) + QLatin1Char('_') + QString::number(server.port);
    return m_profileDir + QStringLiteral("/accounts/") + serverName + QLatin1Char('/') + escapeName(userName);
}

QString AccountPaths::historyFile(const ServerAddress& server, const QString& userName) const {
    return accountDir(server, userName) + QStringLiteral("/history.sqlite");
}

QString AccountPaths::loginTokenFile(const ServerAddress& server, const QString& userName) const {
    return accountDir(server, userName) + QStringLiteral("/login-token");
}

}  // namespace parley::gui
