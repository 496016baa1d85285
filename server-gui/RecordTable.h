#pragma once
// The table set-up the window's list tabs share (online users, all users,
// transfers): `source` behind `proxy` (sorted by `sortRole`, filtered by
// `filter`'s text in any column, case-insensitively), one selected row at a
// time, read-only, a context menu on request.

class QAbstractItemModel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace parley::server {

void setUpRecordTable(QTableView& table, QSortFilterProxyModel& proxy, QAbstractItemModel& source,
                      QLineEdit& filter, int sortRole);

/// The selected row's `role` data in column 0 as an id; 0 when nothing is selected.
unsigned selectedRecordId(const QTableView& table, int role);

}  // namespace parley::server
