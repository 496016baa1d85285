#include "server-gui/OnlineUsersModel.h"

#include "server-gui/DisplayFormat.h"
#include "server-gui/RecordTable.h"

#include <QLocale>

#include <algorithm>
#include <unordered_map>

namespace parley::server {

OnlineUsersModel::OnlineUsersModel(QObject* parent) : QAbstractTableModel(parent) {}

void OnlineUsersModel::setSessions(std::vector<OnlineSession> sessions) {
    std::unordered_map<proto::UserId, std::size_t> incoming;
    for (std::size_t i = 0; i < sessions.size(); ++i) incoming.emplace(sessions[i].id, i);

    // Rows that went offline leave (from the bottom, so indexes stay right).
    for (int row = rowCount() - 1; row >= 0; --row) {
        if (incoming.count(m_rows[static_cast<std::size_t>(row)].id) != 0) continue;
        beginRemoveRows({}, row, row);
        m_rows.erase(m_rows.begin() + row);
        endRemoveRows();
    }
    // Rows still online are updated in place.
    std::unordered_map<proto::UserId, std::size_t> present;
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        present.emplace(m_rows[i].id, i);
        m_rows[i] = std::move(sessions[incoming[m_rows[i].id]]);
    }
    if (!m_rows.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    // New ones are appended.
    std::vector<OnlineSession> added;
    for (OnlineSession& session : sessions) {
        if (present.count(session.id) == 0 && session.id != 0) added.push_back(std::move(session));
    }
    if (added.empty()) return;
    beginInsertRows({}, rowCount(), rowCount() + static_cast<int>(added.size()) - 1);
    std::move(added.begin(), added.end(), std::back_inserter(m_rows));
    endInsertRows();
}

int OnlineUsersModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int OnlineUsersModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant OnlineUsersModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const OnlineSession& s = sessionAt(index.row());
    if (role == kUserIdRole) return s.id;
    if (role == Qt::TextAlignmentRole) {
        return index.column() >= MessagesIn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    }
    if (role != Qt::DisplayRole && role != kSortRole) return {};
    const bool display = role == Qt::DisplayRole;
    const auto count = [display](std::uint64_t n) {
        return display ? QVariant(QLocale().toString(static_cast<qulonglong>(n)))
                       : QVariant(static_cast<qulonglong>(n));
    };
    const auto bytes = [display](std::uint64_t n) {
        return display ? QVariant(formatBytes(n)) : QVariant(static_cast<qulonglong>(n));
    };
    switch (index.column()) {
    case Id: return display ? QVariant(QString::number(s.id)) : QVariant(s.id);
    case Username: return QString::fromStdString(s.username);
    case DisplayName: return QString::fromStdString(s.displayName);
    case Address: return QString::fromStdString(s.address);
    case ConnectedSince:
        if (!display) return static_cast<qulonglong>(s.connectedAtMs);
        return formatTime(static_cast<std::int64_t>(s.connectedAtMs));
    case MessagesIn: return count(s.traffic.messagesIn);
    case MessagesOut: return count(s.traffic.messagesOut);
    case BytesIn: return bytes(s.traffic.bytesIn);
    case BytesOut: return bytes(s.traffic.bytesOut);
    default: return {};
    }
}

QVariant OnlineUsersModel::headerData(int section, Qt::Orientation orientation, int role) const {
    static const std::array<const char*, ColumnCount> kTitles = {
        QT_TR_NOOP("ID"),       QT_TR_NOOP("Username"),        QT_TR_NOOP("Display name"),
        QT_TR_NOOP("Address"),  QT_TR_NOOP("Connected since"), QT_TR_NOOP("Msgs in"),
        QT_TR_NOOP("Msgs out"), QT_TR_NOOP("Bytes in"),        QT_TR_NOOP("Bytes out")};
    return columnTitle(staticMetaObject, kTitles, section, orientation, role);
}

}  // namespace parley::server
