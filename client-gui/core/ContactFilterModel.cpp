#include "client-gui/core/ContactFilterModel.h"

#include "client-gui/core/ContactListModel.h"

namespace parley::gui {

ContactFilterModel::ContactFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setDynamicSortFilter(true);
    sort(0);
}

void ContactFilterModel::setFilterText(const QString& text) {
    const QString trimmed = text.trimmed();
    if (trimmed == m_filter) {
        return;
    }
    m_filter = trimmed;
    invalidateFilter();
}

quint32 ContactFilterModel::userIdAt(int row) const {
    return data(index(row, 0), ContactListModel::UserIdRole).toUInt();
}

bool ContactFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (m_filter.isEmpty()) {
        return true;
    }
    const QModelIndex at = sourceModel()->index(sourceRow, 0, sourceParent);
    const auto contains = [this, &at](int role) {
        return at.data(role).toString().contains(m_filter, Qt::CaseInsensitive);
    };
    return contains(ContactListModel::NameRole) || contains(ContactListModel::DisplayNameRole);
}

bool ContactFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const bool leftRoom = left.data(ContactListModel::IsRoomRole).toBool();
    const bool rightRoom = right.data(ContactListModel::IsRoomRole).toBool();
    if (leftRoom != rightRoom) {
        return leftRoom;
    }
    const bool leftOnline = left.data(ContactListModel::OnlineRole).toBool();
    const bool rightOnline = right.data(ContactListModel::OnlineRole).toBool();
    if (leftOnline != rightOnline) {
        return leftOnline;
    }
    const int byName = QString::compare(left.data(ContactListModel::DisplayNameRole).toString(),
                                        right.data(ContactListModel::DisplayNameRole).toString(), Qt::CaseInsensitive);
    if (byName != 0) {
        return byName < 0;
    }
    return left.data(ContactListModel::UserIdRole).toUInt() < right.data(ContactListModel::UserIdRole).toUInt();
}

}  // namespace parley::gui
