#include "server-gui/RecordTable.h"

#include <QHeaderView>
#include <QInputDialog>
#include <QMenu>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>

namespace parley::server {

void setUpRecordTable(QTableView& table, QSortFilterProxyModel& proxy, QAbstractItemModel& source, QLineEdit& filter,
                      int sortRole) {
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

void showRecordMenu(QTableView& table, const QPoint& position, const QList<QAction*>& actions) {
    const QModelIndex index = table.indexAt(position);
    if (!index.isValid()) return;
    table.selectRow(index.row());
    QMenu menu(&table);
    menu.addActions(actions);
    menu.exec(table.viewport()->mapToGlobal(position));
}

void askForText(QWidget& parent, const TextQuestion& question, std::function<void(const QString&)> accepted) {
    auto* dialog = new QInputDialog(&parent);
    dialog->setObjectName(QString::fromLatin1(question.objectName));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(question.title);
    dialog->setLabelText(question.label);
    dialog->setTextValue(question.initialText);
    if (question.password) dialog->setTextEchoMode(QLineEdit::Password);
    QObject::connect(dialog, &QInputDialog::textValueSelected, &parent, std::move(accepted));
    dialog->open();
}

unsigned selectedRecordId(const QTableView& table, int role) {
    const QModelIndexList rows = table.selectionModel()->selectedRows();
    return rows.isEmpty() ? 0u : rows.first().data(role).toUInt();
}

}  // namespace parley::server
