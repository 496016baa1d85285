#pragma once
// The profile's remembered choices in <profile>/parley-client.ini (QSettings,
// IniFormat). Never a password.

#include "client-gui/core/AccountPaths.h"
#include "client-gui/core/ServerAddress.h"

#include <QSettings>
#include <QString>
#include <QStringList>

namespace parley::gui {

class ClientSettings {
public:
    explicit ClientSettings(const AccountPaths& paths);

    /// Servers used so far, most recent first (as ServerAddress::listText(): a cluster's whole list).
    QStringList servers() const;
    /// The user names that logged in to `server`, most recent first.
    QStringList userNames(const ServerAddress& server) const;
    /// The last (server, user) that logged in: to prefill the login window.
    QString lastServer() const;
    QString lastUserName() const;
    /// Records a successful login (moves both to the front of their lists).
    void rememberLogin(const ServerAddress& server, const QString& userName);

    /// The user chose "Plaintext (insecure)" for `server` (default: TLS).
    bool plaintext(const ServerAddress& server) const;
    void setPlaintext(const ServerAddress& server, bool plaintext);

    /// The "Remember me" box as it was last left (default: on). The login itself is kept
    /// as a token in the account's folder (SessionController), never here.
    bool rememberMe() const;
    void setRememberMe(bool remember);

    /// Writes to disk now; false (and QSettings::status() non-zero) if the
    /// profile is not writable.
    bool sync();
    QSettings& raw() { return m_settings; }  ///< for the widgets' own keys (window geometry, ...)

private:
    QSettings m_settings;
};

}  // namespace parley::gui
