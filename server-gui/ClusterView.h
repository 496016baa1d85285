#pragma once
// ClusterView: the "Cluster" tab. One row per member of the cluster as this node
// sees it (ClusterModel: this node first, then the others; a member that stopped
// sending heartbeats is "silent"), with a filter box. When there is nothing to
// list it shows one line instead of an empty table: that the server is not part
// of a cluster and how to join one, or (started with --cluster but not running)
// that the members are listed once it runs. The tab stays in the window either
// way, so that an operator looking for the cluster finds the reason it is empty.
//
// Object names (the GUI test contract):
//   clusterNotice (the line shown instead of the table), clusterFilterEdit, clusterTable
//
// Threading: GUI thread only.

#include "server-gui/engine/RemoteUsers.h"

#include <QWidget>

#include <vector>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace parley::server {

class ClusterModel;

class ClusterView final : public QWidget {
    Q_OBJECT
public:
    explicit ClusterView(QWidget* parent = nullptr);

public slots:
    /// Whether the server joins a cluster when it starts (parley-server --cluster).
    void setConfigured(bool configured);
    /// The members as the running server sees them; empty when it is stopped or not clustered.
    void setMembers(const std::vector<parley::server::ClusterMemberView>& members);

private:
    void updateNotice();

    Q_DISABLE_COPY(ClusterView)
    bool m_configured = false;
    ClusterModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLabel* m_notice;
    QWidget* m_members;
    QLineEdit* m_filterEdit;
    QTableView* m_table;
};

}  // namespace parley::server
