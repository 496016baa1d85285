#include "client-gui/core/PinnedCertificates.h"

#include <QCryptographicHash>
#include <QSslCertificate>

#include <filesystem>

namespace parley::gui {

namespace {

std::string key(const ServerAddress& server) { return server.toString().toStdString(); }

}  // namespace

QString sha256Fingerprint(const QSslCertificate& certificate) {
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

PinnedCertificates::PinnedCertificates(const QString& file) : m_known(std::filesystem::u8path(file.toStdString())) {}

QString PinnedCertificates::pinned(const ServerAddress& server) {
    m_error = QString::fromStdString(m_known.load());
    const auto found = m_known.find(key(server));
    return found ? QString::fromStdString(*found) : QString();
}

trust::TrustDecision PinnedCertificates::decide(const ServerAddress& server, bool verified,
                                                const QString& fingerprint) {
    const QString pin = pinned(server);
    return trust::decideTrust(verified, pin.isEmpty() ? std::nullopt : std::optional<std::string>(pin.toStdString()),
                              fingerprint.toStdString());
}

QString PinnedCertificates::pin(const ServerAddress& server, const QString& fingerprint) {
    m_error = QString::fromStdString(m_known.load());
    if (!m_error.isEmpty()) {
        return m_error;  // rewriting the file now would drop the pins it could not read
    }
    return QString::fromStdString(m_known.pin(key(server), fingerprint.toStdString()));
}

QString PinnedCertificates::forget(const ServerAddress& server) {
    m_error = QString::fromStdString(m_known.load());
    if (!m_error.isEmpty()) {
        return m_error;
    }
    return QString::fromStdString(m_known.forget(key(server)));
}

}  // namespace parley::gui
