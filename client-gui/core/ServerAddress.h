#pragma once
// The server as typed in the login window: "host:port", or for a cluster the list of
// its nodes "A,B,C" (docs/cluster-design.md §4). The first node is the server's
// identity: the pinned certificate, the saved login, the history and the settings are
// keyed by it (toString()), since the nodes of one cluster are one server to the user.
// SessionController tries the nodes in order (shared/session/ServerList.h).

#include <QMetaType>
#include <QString>
#include <QtGlobal>

#include <optional>
#include <utility>
#include <vector>

namespace parley::gui {

struct ServerAddress {
    /// The server's default port (docs/protocol.md).
    static constexpr quint16 kDefaultPort = 7878;

    /// One node: host and port.
    struct Node {
        QString host;
        quint16 port = kDefaultPort;
        bool operator==(const Node& o) const { return host == o.host && port == o.port; }
    };

    ServerAddress() = default;
    /// One server (or the first node of a list).
    ServerAddress(QString firstHost, quint16 firstPort) : host(std::move(firstHost)), port(firstPort) {}

    /// The first node.
    QString host;
    quint16 port = kDefaultPort;
    /// The other nodes of a cluster, in the order to try them; empty for one server.
    std::vector<Node> moreNodes;

    /// "host", "host:port", "[v6]:port" or "v6", or several of them separated by commas;
    /// surrounding blanks ignored. std::nullopt for an empty host, a port that is not
    /// 1..65535, an empty entry or a node named twice.
    static std::optional<ServerAddress> parse(const QString& text);
    /// The first node as "host:port" (the port always written; IPv6 in brackets): the
    /// server's identity.
    QString toString() const;
    /// Every node, "A,B,C" (parse() reads it back); toString() for one server.
    QString listText() const;

    int nodeCount() const { return 1 + static_cast<int>(moreNodes.size()); }
    /// Node `index` of the list, 0 being the first.
    Node node(int index) const;
    static QString nodeText(const Node& node);

    /// The same server (the same first node); the rest of the list may differ.
    bool operator==(const ServerAddress& o) const { return host == o.host && port == o.port; }
};

}  // namespace parley::gui

Q_DECLARE_METATYPE(parley::gui::ServerAddress)
