#pragma once
// "host:port" as typed in the login window.

#include <QMetaType>
#include <QString>
#include <QtGlobal>

#include <optional>

namespace parley::gui {

struct ServerAddress {
    /// The server's default port (docs/protocol.md).
    static constexpr quint16 kDefaultPort = 7878;

    QString host;
    quint16 port = kDefaultPort;

    /// "host", "host:port", "[v6]:port" or "v6"; surrounding blanks ignored.
    /// std::nullopt for an empty host or a port that is not 1..65535.
    static std::optional<ServerAddress> parse(const QString& text);
    /// "host:port" (the port always written; IPv6 in brackets).
    QString toString() const;

    bool operator==(const ServerAddress& o) const { return host == o.host && port == o.port; }
};

}  // namespace parley::gui

Q_DECLARE_METATYPE(parley::gui::ServerAddress)
