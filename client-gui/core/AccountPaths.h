#pragma once
// Where a profile keeps its files:
//
//   <profile>/parley-client.ini                    ClientSettings
//   <profile>/known_servers                        PinnedCertificates (shared/trust format)
//   <profile>/accounts/<host>_<port>/<user>/       one folder per (server, account)
//                                     history.sqlite   HistoryStore
//                                     login-token      "Remember me" (shared/session/LoginTokenFile, 0600)
//
// The profile is QStandardPaths::AppDataLocation unless `--profile DIR` names one,
// so that two clients run side by side on one machine.

#include "client-gui/core/ServerAddress.h"

#include <QString>

namespace parley::gui {

class AccountPaths {
public:
    /// `profileDir` empty = the platform's AppDataLocation.
    explicit AccountPaths(QString profileDir = QString());

    const QString& profileDir() const { return m_profileDir; }
    QString settingsFile() const;
    /// The certificates this profile trusts, one per server address.
    QString knownServersFile() const;
    /// The account's folder; names are escaped so that any user name is one
    /// safe folder name.
    QString accountDir(const ServerAddress& server, const QString& userName) const;
    QString historyFile(const ServerAddress& server, const QString& userName) const;
    /// The saved login token of the account (never a password).
    QString loginTokenFile(const ServerAddress& server, const QString& userName) const;

private:
    QString m_profileDir;
};

}  // namespace parley::gui
