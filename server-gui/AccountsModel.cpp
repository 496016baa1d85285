#include "server-gui/AccountsModel.h"

#include "server-gui/DisplayFormat.h"
#include "server-gui/RecordTable.h"

#include <QBrush>
#include <QColor>

namespace parley::server {

AccountsModel::AccountsModel(QObject* parent) : QAbstractTableModel(parent) {}

void AccountsModel::setAccounts(std::vector<db::UserSummary> accounts) {
    beginResetModel();
    m_rows = std::move(accounts);
    endResetModel();
}

int AccountsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int AccountsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant AccountsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const db::UserSummary& a = m_rows[static_cast<std::size_t>(index.row())];
    if (role == kUserIdRole) return a.id;
    if (role == kDisabledRole) return a.disabled;
    if (role == Qt::ForegroundRole && a.disabled) return QBrush(QColor(0x80, 0x80, 0x80));
    if (role != Qt::DisplayRole && role != kSortRole) return {};
    const bool display = role == Qt::DisplayRole;
    switch (index.column()) {
    case Id: return display ? QVariant(QString::number(a.id)) : QVariant(a.id);
    case Username: return QString::fromStdString(a.username);
    case DisplayName: return QString::fromStdString(a.displayName);
    case Registered:
        return display ? QVariant(formatTime(a.createdAtMs)) : QVariant(static_cast<qlonglong>(a.createdAtMs));
    case LastLogin:
        return display ? QVariant(formatTime(a.lastLoginAtMs, tr("never")))
                       : QVariant(static_cast<qlonglong>(a.lastLoginAtMs));
    case State: return a.disabled ? tr("disabled") : tr("enabled");
    default: return {};
    }
}

QVariant AccountsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    static const std::array<const char*, ColumnCount> kTitles = {QT_TR_NOOP("ID"),           QT_TR_NOOP("Username"),
                                                                 QT_TR_NOOP("Display name"), QT_TR_NOOP("Registered"),
                                                                 QT_TR_NOOP("Last login"),   QT_TR_NOOP("Account")};
    return columnTitle(staticMetaObject, kTitles, section, orientation, role);
}

}  // namespace parley::server
