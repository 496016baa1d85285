#include "client-gui/core/ContactListModel.h"

#include "client-gui/core/RoleNames.h"

#include <QDateTime>

#include <utility>

namespace parley::gui {

ContactListModel::ContactListModel(QObject* parent) : QAbstractListModel(parent) {}

int ContactListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_rows.size(); }

QVariant ContactListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() < 0 || index.row() >= m_rows.size()) {
        return {};
    }
    const ContactEntry& entry = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case DisplayNameRole: return entry.displayName.isEmpty() ? entry.name : entry.displayName;
    case UserIdRole: return entry.userId;
    case NameRole: return entry.name;
    case OnlineRole: return entry.online;
    case UnreadRole: return entry.unread;
    case LastPreviewRole: return entry.lastPreview;
    case LastTimeRole: return entry.lastTimeMs > 0 ? QDateTime::fromMSecsSinceEpoch(entry.lastTimeMs) : QDateTime();
    case IsRoomRole: return entry.isRoom;
    default: return {};
    }
}

QHash<int, QByteArray> ContactListModel::roleNames() const {
    static constexpr RoleName kRoles[] = {
        {UserIdRole, "userId"},     {NameRole, "name"},     {DisplayNameRole, "displayName"},
        {OnlineRole, "online"},     {UnreadRole, "unread"}, {LastPreviewRole, "lastPreview"},
        {LastTimeRole, "lastTime"}, {IsRoomRole, "isRoom"},
    };
    return withRoleNames(QAbstractListModel::roleNames(), kRoles);
}

void ContactListModel::setContacts(QVector<ContactEntry> entries) {
    // What the list of users does not carry survives a reload (a reconnect).
    for (ContactEntry& entry : entries) {
        if (const ContactEntry* old = find(entry.userId)) {
            if (entry.unread == 0) {
                entry.unread = old->unread;
            }
            if (entry.lastTimeMs == 0) {
                entry.lastPreview = old->lastPreview;
                entry.lastTimeMs = old->lastTimeMs;
            }
        }
    }
    beginResetModel();
    m_rows = std::move(entries);
    rebuildIndex();
    endResetModel();
}

void ContactListModel::upsert(const ContactEntry& entry) {
    const int row = rowOf(entry.userId);
    if (row < 0) {
        beginInsertRows(QModelIndex(), m_rows.size(), m_rows.size());
        m_rowById.insert(entry.userId, m_rows.size());
        m_rows.append(entry);
        endInsertRows();
        return;
    }
    ContactEntry& current = m_rows[row];
    current.name = entry.name;
    current.displayName = entry.displayName;
    current.online = entry.online;
    current.isRoom = entry.isRoom;
    changed(row);
}

void ContactListModel::setOnline(quint32 userId, bool online) {
    const int row = rowOf(userId);
    if (row >= 0 && m_rows[row].online != online) {
        m_rows[row].online = online;
        changed(row);
    }
}

void ContactListModel::setUnread(quint32 userId, int unread) {
    const int row = rowOf(userId);
    if (row >= 0 && m_rows[row].unread != unread) {
        m_rows[row].unread = unread;
        changed(row);
    }
}

void ContactListModel::addUnread(quint32 userId, int count) {
    const int row = rowOf(userId);
    if (row >= 0 && count != 0) {
        m_rows[row].unread += count;
        changed(row);
    }
}

void ContactListModel::setLastMessage(quint32 userId, const QString& preview, qint64 timeMs) {
    const int row = rowOf(userId);
    if (row >= 0) {
        m_rows[row].lastPreview = preview;
        m_rows[row].lastTimeMs = timeMs;
        changed(row);
    }
}

int ContactListModel::rowOf(quint32 userId) const { return m_rowById.value(userId, -1); }

const ContactEntry* ContactListModel::find(quint32 userId) const {
    const int row = rowOf(userId);
    return row < 0 ? nullptr : &m_rows.at(row);
}

int ContactListModel::unreadTotal() const {
    int total = 0;
    for (const ContactEntry& entry : m_rows) {
        total += entry.unread;
    }
    return total;
}

void ContactListModel::rebuildIndex() {
    m_rowById.clear();
    m_rowById.reserve(m_rows.size());
    for (int row = 0; row < m_rows.size(); ++row) {
        m_rowById.insert(m_rows.at(row).userId, row);
    }
}

void ContactListModel::changed(int row) {
    const QModelIndex at = index(row);
    emit dataChanged(at, at);
}

}  // namespace parley::gui
