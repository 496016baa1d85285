#include "client-gui/core/ServerAddress.h"

#include "shared/session/ServerList.h"

#include <QStringList>

#include <algorithm>

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

std::optional<ServerAddress::Node> parseNode(const QString& text) {
    const QString trimmed = text.trimmed();
    ServerAddress::Node address;
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

}  // namespace

std::optional<ServerAddress> ServerAddress::parse(const QString& text) {
    std::string error;
    const std::vector<std::string> entries = session::splitServerList(text.trimmed().toStdString(), error);
    if (entries.empty()) {
        return std::nullopt;
    }
    std::vector<Node> nodes;
    for (const std::string& entry : entries) {
        const auto node = parseNode(QString::fromStdString(entry));
        if (!node || std::find(nodes.begin(), nodes.end(), *node) != nodes.end()) {  // "a" and "a:7878" are one node
            return std::nullopt;
        }
        nodes.push_back(*node);
    }
    ServerAddress address;
    address.host = nodes.front().host;
    address.port = nodes.front().port;
    address.moreNodes.assign(nodes.begin() + 1, nodes.end());
    return address;
}

ServerAddress::Node ServerAddress::node(int index) const {
    return index <= 0 || index > static_cast<int>(moreNodes.size()) ? Node{host, port}
                                                                    : moreNodes[static_cast<std::size_t>(index - 1)];
}

QString ServerAddress::nodeText(const Node& node) {
    const QString shownHost =
        node.host.contains(QLatin1Char(':')) ? QLatin1Char('[') + node.host + QLatin1Char(']') : node.host;
    return shownHost + QLatin1Char(':') + QString::number(node.port);
}

QString ServerAddress::toString() const { return nodeText(node(0)); }

QString ServerAddress::listText() const {
    QStringList nodes;
    for (int i = 0; i < nodeCount(); ++i) {
        nodes << nodeText(node(i));
    }
    return nodes.join(QLatin1Char(','));
}

}  // namespace parley::gui
