#pragma once
// AccountsModel: the rows of the "All users" tab, one per account
// (Server::listAccounts()). Reset on each refresh (the view keeps the selection
// by user id). Qt::DisplayRole is for people; kSortRole holds raw values.
//
// Threading: GUI thread only.

#include "db/StoreTypes.h"

#include <QAbstractTableModel>

#include <vector>

namespace parley::server {

class AccountsModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, Username, DisplayName, Registered, LastLogin, State, ColumnCount };
    static constexpr int kSortRole = Qt::UserRole;
    static constexpr int kUserIdRole = Qt::UserRole + 1;
    static constexpr int kDisabledRole = Qt::UserRole + 2;

    explicit AccountsModel(QObject* parent = nullptr);

    void setAccounts(std::vector<db::UserSummary> accounts);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<db::UserSummary> m_rows;
};

}  // namespace parley::server
