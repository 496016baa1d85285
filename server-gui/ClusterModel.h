#pragma once
// ClusterModel: the rows of the "Cluster" tab, one per member of the cluster as
// this node sees it (Server::clusterMembers()): this node first, the others by
// name. A refresh with the same members updates the rows in place, so that the
// selection and the sort survive the once-a-second update. Qt::DisplayRole is
// for people ("+12 ms", "0.4 s ago"); kSortRole holds raw values (the Node
// column's is the row, so that sorting by it ascending keeps this node first).
//
// Threading: GUI thread only.

#include "server-gui/engine/RemoteUsers.h"

#include <QAbstractTableModel>
#include <QString>

#include <vector>

namespace parley::server {

class ClusterModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Node, State, UsersOnline, ClockOffset, LastHeard, ColumnCount };
    static constexpr int kSortRole = Qt::UserRole;

    explicit ClusterModel(QObject* parent = nullptr);

    /// `members` in any order; empty when the server is not clustered or not running.
    void setMembers(std::vector<ClusterMemberView> members);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<ClusterMemberView> m_rows;
};

/// "cluster 2/3" (members alive / known, this node included); empty when `members` is.
QString clusterSummary(const std::vector<ClusterMemberView>& members);
/// The names of the members that are not alive, comma-separated; empty when none is.
QString silentMembers(const std::vector<ClusterMemberView>& members);

}  // namespace parley::server
