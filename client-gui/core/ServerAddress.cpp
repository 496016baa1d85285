#include "client-gui/core/ServerAddress.h"

namespace parley::gui {

namespace {

std::optional<quint16> parsePort(const QString& text) {
    bool ok = false;
    const uint port = text.toUInt(&ok);
    if (!ok || port == 0 || port > 65535) {
        return std::nullopt;
    }
    return static_cast<quint16>(port);
}

}  // namespace

std::optional<ServerAddress> ServerAddress::parse(const QString& text) {
    const QString trimmed = text.trimmed();
    ServerAddress address;
    if (trimmed.startsWith(QLatin1Char('['))) {  // [v6] or [v6]:port
        const int close = trimmed.indexOf(QLatin1Char(']'));
        if (close < 0) {
            return std::nullopt;
        }
        address.host = trimmed.mid(1, close - 1);
        const QString rest = trimmed.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(QLatin1Char(':'))) {
                return std::nullopt;
            }
            const auto port = parsePort(rest.mid(1));
            if (!port) {
                return std::nullopt;
            }
            address.port = *port;
        }
    } else if (trimmed.count(QLatin1Char(':')) == 1) {  // host:port
        const int colon = trimmed.indexOf(QLatin1Char(':'));
        address.host = trimmed.left(colon);
        const auto port = parsePort(trimmed.mid(colon + 1));
        if (!port) {
            return std::nullopt;
        }
        address.port = *port;
    } else {  // host, or a bare IPv6 address
        address.host = trimmed;
    }
    if (address.host.isEmpty() || address.host.contains(QLatin1Char(' '))) {
        return std::nullopt;
    }
    return address;
}

QString ServerAddress::toString() const {
    const QString shownHost = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    return shownHost + QLatin1Char(':') + QString::number(port);
}

}  // namespace parley::gui
