#include "server-gui/RecordTable.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>

namespace parley::server {

void setUpRecordTable(QTableView& table, QSortFilterProxyModel& proxy, QAbstractItemModel& source,
                      QLineEdit& filter, int sortRole) {
    proxy.setSourceModel(&source);
    proxy.setSortRole(sortRole);
    proxy.setFilterKeyColumn(-1);  // any column
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    filter.setClearButtonEnabled(true);
    QObject::connect(&filter, &QLineEdit::textChanged, &proxy, &QSortFilterProxyModel::setFilterFixedString);

    table.setModel(&proxy);
    table.setSortingEnabled(true);
    table.sortByColumn(0, Qt::AscendingOrder);
    table.setSelectionBehavior(QAbstractItemView::SelectRows);
    table.setSelectionMode(QAbstractItemView::SingleSelection);
    table.setEditTriggers(QAbstractItemView::NoEditTriggers);
    table.setContextMenuPolicy(Qt::CustomContextMenu);
    table.verticalHeader()->hide();
    table.horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table.horizontalHeader()->setStretchLastSection(true);
}

unsigned selectedRecordId(const QTableView& table, int role) {
    const QModelIndexList rows = table.selectionModel()->selectedRows();
    return rows.isEmpty() ? 0u : rows.first().data(role).toUInt();
}

}  // namespace parley::server
