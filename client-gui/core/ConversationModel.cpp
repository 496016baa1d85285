#include "client-gui/core/ConversationModel.h"

#include "client-gui/core/RoleNames.h"

#include <QDateTime>
#include <QTimer>

#include <algorithm>

namespace parley::gui {

ConversationModel::ConversationModel(HistoryStore& store, quint32 peer, QObject* parent)
    : QAbstractListModel(parent), m_store(store), m_peer(peer) {
    loadNewest();
}

void ConversationModel::loadNewest() {
    m_pending.clear();
    m_rows = m_store.page(m_peer, 0, kPageSize);
    m_atStart = m_rows.size() < kPageSize;
    rebuildIndex();
}

void ConversationModel::reload() {
    beginResetModel();
    loadNewest();
    endResetModel();
}

int ConversationModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_rows.size(); }

QVariant ConversationModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() < 0 || index.row() >= m_rows.size()) {
        return {};
    }
    const StoredMessage& message = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole: return message.text;
    case OutgoingRole: return message.outgoing;
    case TimeRole: return m_localTime.toLocal(message.timeMs);
    case SenderNameRole: return senderName(message);
    case StateRole: return static_cast<int>(message.state);
    case RefusedReasonRole: return message.refusedReason;
    case DayStartRole: return isDayStart(index.row());
    case MessageIdRole: return message.messageId;
    case SenderIdRole: return message.sender;
    default: return {};
    }
}

QHash<int, QByteArray> ConversationModel::roleNames() const {
    static constexpr RoleName kRoles[] = {
        {TextRole, "text"},         {OutgoingRole, "outgoing"},
        {TimeRole, "time"},         {SenderNameRole, "senderName"},
        {StateRole, "state"},       {RefusedReasonRole, "refusedReason"},
        {DayStartRole, "dayStart"}, {MessageIdRole, "messageId"},
        {SenderIdRole, "senderId"},
    };
    return withRoleNames(QAbstractListModel::roleNames(), kRoles);
}

bool ConversationModel::canFetchMore(const QModelIndex& parent) const { return !parent.isValid() && !m_atStart; }

void ConversationModel::fetchMore(const QModelIndex& parent) {
    if (parent.isValid() || m_atStart) {
        return;
    }
    const qint64 before = m_rows.isEmpty() ? 0 : m_rows.first().rowId;
    QVector<StoredMessage> older = m_store.page(m_peer, before, kPageSize);
    m_atStart = older.size() < kPageSize;
    if (older.isEmpty()) {
        return;
    }
    const int added = older.size();
    beginInsertRows(QModelIndex(), 0, added - 1);
    older.reserve(added + m_rows.size());
    for (StoredMessage& row : m_rows) {
        older.append(std::move(row));
    }
    m_rows = std::move(older);
    rebuildIndex();
    endInsertRows();
    // The old first row may no longer start its day.
    if (added < m_rows.size()) {
        const QModelIndex oldFirst = index(added);
        emit dataChanged(oldFirst, oldFirst, {DayStartRole});
    }
}

void ConversationModel::setSenderName(quint32 userId, const QString& name) {
    if (m_senderNames.value(userId) == name) {
        return;
    }
    m_senderNames.insert(userId, name);
    if (!m_rows.isEmpty()) {
        emit dataChanged(index(0), index(m_rows.size() - 1), {SenderNameRole});
    }
}

void ConversationModel::setOwnName(const QString& name) {
    if (m_ownName == name) {
        return;
    }
    m_ownName = name;
    if (!m_rows.isEmpty()) {
        emit dataChanged(index(0), index(m_rows.size() - 1), {SenderNameRole});
    }
}

void ConversationModel::append(const StoredMessage& message) {
    m_pending.append(message);
    if (!m_flushQueued) {
        m_flushQueued = true;
        // One insert per event-loop turn, however many messages arrived in it.
        QTimer::singleShot(0, this, &ConversationModel::flushPending);
    }
}

void ConversationModel::flushPending() {
    m_flushQueued = false;
    if (m_pending.isEmpty()) {
        return;
    }
    const int first = m_rows.size();
    beginInsertRows(QModelIndex(), first, first + m_pending.size() - 1);
    for (const StoredMessage& message : m_pending) {
        if (message.outgoing) {
            m_rowByMessageId.insert(message.messageId, m_rows.size());
        }
        m_rows.append(message);
    }
    m_pending.clear();
    endInsertRows();
}

void ConversationModel::setState(quint64 messageId, DeliveryState state, const QString& reason) {
    for (StoredMessage& queued : m_pending) {
        if (queued.outgoing && queued.messageId == messageId) {
            queued.state = state;
            queued.refusedReason = reason;
            return;
        }
    }
    const int row = rowOfMessage(messageId);
    if (row < 0 || (m_rows[row].state == DeliveryState::Read &&
                    (state == DeliveryState::Stored || state == DeliveryState::Delivered))) {
        return;  // read stays read when a late ack comes
    }
    m_rows[row].state = state;
    m_rows[row].refusedReason = reason;
    const QModelIndex at = index(row);
    emit dataChanged(at, at, {StateRole, RefusedReasonRole});
}

namespace {

bool becomesRead(const StoredMessage& message, quint64 upTo) {
    return message.outgoing && message.messageId <= upTo &&
           (message.state == DeliveryState::Sending || message.state == DeliveryState::Stored ||
            message.state == DeliveryState::Delivered);
}

}  // namespace

void ConversationModel::markRead(quint64 upTo) {
    for (StoredMessage& queued : m_pending) {
        if (becomesRead(queued, upTo)) {
            queued.state = DeliveryState::Read;
        }
    }
    int first = -1;
    int last = -1;
    for (int row = 0; row < m_rows.size(); ++row) {
        if (becomesRead(m_rows[row], upTo)) {
            m_rows[row].state = DeliveryState::Read;
            first = first < 0 ? row : first;
            last = row;
        }
    }
    if (first >= 0) {
        emit dataChanged(index(first), index(last), {StateRole});
    }
}

QVector<int> ConversationModel::find(const QString& query) {
    flushPending();
    const QVector<qint64> matches = m_store.find(m_peer, query);
    QVector<int> rows;
    if (matches.isEmpty()) {
        return rows;
    }
    while (!m_atStart && (m_rows.isEmpty() || m_rows.first().rowId > matches.first())) {
        fetchMore(QModelIndex());
    }
    // Both lists ascend by row id: one merge pass.
    int row = 0;
    for (const qint64 match : matches) {
        while (row < m_rows.size() && m_rows.at(row).rowId < match) {
            ++row;
        }
        if (row < m_rows.size() && m_rows.at(row).rowId == match) {
            rows.append(row);
        }
    }
    return rows;
}

int ConversationModel::rowOfMessage(quint64 messageId) const { return m_rowByMessageId.value(messageId, -1); }

QString ConversationModel::senderName(const StoredMessage& message) const {
    if (message.outgoing && !m_ownName.isEmpty()) {
        return m_ownName;
    }
    const auto found = m_senderNames.constFind(message.sender);
    return found == m_senderNames.constEnd() ? tr("user #%1").arg(message.sender) : *found;
}

bool ConversationModel::isDayStart(int row) const {
    if (row == 0) {
        return true;
    }
    const QDate day = m_localTime.toLocal(m_rows.at(row).timeMs).date();
    const QDate previous = m_localTime.toLocal(m_rows.at(row - 1).timeMs).date();
    return day != previous;
}

void ConversationModel::rebuildIndex() {
    m_rowByMessageId.clear();
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).outgoing) {
            m_rowByMessageId.insert(m_rows.at(row).messageId, row);
        }
    }
}

}  // namespace parley::gui
