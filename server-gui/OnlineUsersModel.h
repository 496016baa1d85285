#pragma once
// OnlineUsersModel: the rows of the "Online users" tab, one per logged-in
// session (Server::snapshotSessions()). A refresh updates rows in place by user
// id, so that the selection and the sort survive the once-a-second update.
// Qt::DisplayRole is formatted for people; kSortRole holds the raw value
// (numbers, epoch milliseconds) that sorting uses.
//
// Threading: GUI thread only.

#include "server-gui/engine/Server.h"

#include <QAbstractTableModel>

#include <vector>

namespace parley::server {

class OnlineUsersModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Id,
        Username,
        DisplayName,
        Address,
        ConnectedSince,
        MessagesIn,
        MessagesOut,
        BytesIn,
        BytesOut,
        ColumnCount
    };
    static constexpr int kSortRole = Qt::UserRole;
    static constexpr int kUserIdRole = Qt::UserRole + 1;

    explicit OnlineUsersModel(QObject* parent = nullptr);

    void setSessions(std::vector<OnlineSession> sessions);
    /// The row's session; `row` of this model (not of a proxy).
    const OnlineSession& sessionAt(int row) const { return m_rows[static_cast<std::size_t>(row)]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<OnlineSession> m_rows;
};

}  // namespace parley::server
