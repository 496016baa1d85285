#include "server-gui/ClusterView.h"

#include "server-gui/ClusterModel.h"
#include "server-gui/RecordTable.h"

#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace parley::server {

ClusterView::ClusterView(QWidget* parent)
    : QWidget(parent),
      m_model(new ClusterModel(this)),
      m_proxy(new QSortFilterProxyModel(this)),
      m_notice(new QLabel),
      m_members(new QWidget),
      m_filterEdit(new QLineEdit),
      m_table(new QTableView) {
    m_notice->setObjectName(QStringLiteral("clusterNotice"));
    m_filterEdit->setObjectName(QStringLiteral("clusterFilterEdit"));
    m_table->setObjectName(QStringLiteral("clusterTable"));

    setUpRecordTable(*m_table, *m_proxy, *m_model, *m_filterEdit, ClusterModel::kSortRole);
    m_filterEdit->setPlaceholderText(tr("Filter by node or state…"));
    m_notice->setWordWrap(true);
    m_notice->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* members = new QVBoxLayout(m_members);
    members->setContentsMargins(0, 0, 0, 0);
    members->addWidget(m_filterEdit);
    members->addWidget(m_table, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_notice);
    layout->addWidget(m_members, 1);
    updateNotice();
}

void ClusterView::setConfigured(bool configured) {
    m_configured = configured;
    updateNotice();
}

void ClusterView::setMembers(const std::vector<ClusterMemberView>& members) {
    m_model->setMembers(members);
    updateNotice();
}

void ClusterView::updateNotice() {
    const bool listed = m_model->rowCount() > 0;
    m_members->setVisible(listed);
    m_notice->setVisible(!listed);
    if (listed) return;
    m_notice->setText(m_configured ? tr("The server is not running. The cluster's members are listed here once it "
                                        "has started and joined the cluster.")
                                   : tr("This server is not part of a cluster. Start it with --cluster URL --node "
                                        "NAME to join one."));
}

}  // namespace parley::server
