#pragma once
// The server certificates a desktop-client profile trusts without a CA: one SHA-256
// fingerprint per server address in <profile>/known_servers, the file format and the
// trust rule of parley-cli (shared/trust/KnownServers.h), so both clients read one
// format. The file is read again before every answer: "Forget" in one window and a
// pin made by another client on the same profile are seen at the next connection.
//
// Threading: GUI thread only (one object per controller).

#include "client-gui/core/ServerAddress.h"
#include "shared/trust/KnownServers.h"

#include <QString>

class QSslCertificate;

namespace parley::gui {

/// "AB:CD:...:EF": the SHA-256 of the DER certificate, as the server logs it.
QString sha256Fingerprint(const QSslCertificate& certificate);

class PinnedCertificates {
public:
    explicit PinnedCertificates(const QString& file);

    /// The pinned fingerprint of `server`; empty if none (or the file is unreadable,
    /// then error() says why: an unreadable list pins nothing, so the user is asked).
    QString pinned(const ServerAddress& server);
    /// What to do with a certificate `fingerprint` that TLS did (`verified`) or did
    /// not verify against the CAs.
    trust::TrustDecision decide(const ServerAddress& server, bool verified, const QString& fingerprint);
    /// Pins / forgets; an empty string or why it failed.
    QString pin(const ServerAddress& server, const QString& fingerprint);
    QString forget(const ServerAddress& server);
    QString error() const { return m_error; }

private:
    trust::KnownServers m_known;
    QString m_error;
};

}  // namespace parley::gui
