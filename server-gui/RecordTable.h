#pragma once
// The table set-up the window's list tabs share (online users, all users,
// transfers): `source` behind `proxy` (sorted by `sortRole`, filtered by
// `filter`'s text in any column, case-insensitively), one selected row at a
// time, read-only, a context menu on request.

#include <QList>
#include <QMetaObject>
#include <QString>
#include <QVariant>

#include <array>
#include <functional>

class QAbstractItemModel;
class QAction;
class QLineEdit;
class QPoint;
class QSortFilterProxyModel;
class QTableView;
class QWidget;

namespace parley::server {

void setUpRecordTable(QTableView& table, QSortFilterProxyModel& proxy, QAbstractItemModel& source, QLineEdit& filter,
                      int sortRole);

/// A record model's headerData(): `titles` (QT_TR_NOOP, in column order)
/// translated in `model`'s context, horizontal display role only.
template <std::size_t N>
QVariant columnTitle(const QMetaObject& model, const std::array<const char*, N>& titles, int section,
                     Qt::Orientation orientation, int role) {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= static_cast<int>(N))
        return {};
    return model.tr(titles[static_cast<std::size_t>(section)], nullptr);
}

/// The selected row's `role` data in column 0 as an id; 0 when nothing is selected.
unsigned selectedRecordId(const QTableView& table, int role);

/// The context menu of a record table: selects the row under `position` and
/// offers `actions`. Nothing outside a row.
void showRecordMenu(QTableView& table, const QPoint& position, const QList<QAction*>& actions);

/// Asks for a line of text in a window-modal dialog named `objectName` (open(),
/// not exec(): the window keeps updating meanwhile); `accepted` gets the text.
struct TextQuestion {
    const char* objectName = "";
    QString title;
    QString label;
    QString initialText;
    bool password = false;
};
void askForText(QWidget& parent, const TextQuestion& question, std::function<void(const QString&)> accepted);

}  // namespace parley::server
