#include "client-gui/core/ClientSettings.h"

namespace parley::gui {

namespace {

constexpr int kMaxRemembered = 20;

const QString kServersKey = QStringLiteral("servers/recent");
const QString kLastServerKey = QStringLiteral("login/server");
const QString kLastUserKey = QStringLiteral("login/user");
const QString kRememberMeKey = QStringLiteral("login/rememberMe");

/// `group`/<server>: '/' separates QSettings groups; a server's text never contains one.
QString serverKey(const QString& group, const ServerAddress& server) {
    return group + QLatin1Char('/') + server.toString().replace(QLatin1Char(':'), QLatin1Char('_'));
}

QString usersKey(const ServerAddress& server) { return serverKey(QStringLiteral("users"), server); }

QStringList moveToFront(QStringList list, const QString& item) {
    list.removeAll(item);
    list.prepend(item);
    while (list.size() > kMaxRemembered) {
        list.removeLast();
    }
    return list;
}

}  // namespace

ClientSettings::ClientSettings(const AccountPaths& paths) : m_settings(paths.settingsFile(), QSettings::IniFormat) {}

QStringList ClientSettings::servers() const { return m_settings.value(kServersKey).toStringList(); }

QStringList ClientSettings::userNames(const ServerAddress& server) const {
    return m_settings.value(usersKey(server)).toStringList();
}

QString ClientSettings::lastServer() const { return m_settings.value(kLastServerKey).toString(); }

QString ClientSettings::lastUserName() const { return m_settings.value(kLastUserKey).toString(); }

void ClientSettings::rememberLogin(const ServerAddress& server, const QString& userName) {
    m_settings.setValue(kServersKey, moveToFront(servers(), server.listText()));
    m_settings.setValue(usersKey(server), moveToFront(userNames(server), userName));
    m_settings.setValue(kLastServerKey, server.listText());
    m_settings.setValue(kLastUserKey, userName);
}

bool ClientSettings::plaintext(const ServerAddress& server) const {
    return m_settings.value(serverKey(QStringLiteral("plaintext"), server), false).toBool();
}

void ClientSettings::setPlaintext(const ServerAddress& server, bool plaintext) {
    const QString key = serverKey(QStringLiteral("plaintext"), server);
    if (plaintext) {
        m_settings.setValue(key, true);
    } else {
        m_settings.remove(key);  // TLS is the default: nothing to remember
    }
}

bool ClientSettings::rememberMe() const { return m_settings.value(kRememberMeKey, true).toBool(); }

void ClientSettings::setRememberMe(bool remember) { m_settings.setValue(kRememberMeKey, remember); }

bool ClientSettings::sync() {
    m_settings.sync();
    return m_settings.status() == QSettings::NoError;
}

}  // namespace parley::gui
