#include "server-gui/OnlineUsersView.h"

#include "server-gui/OnlineUsersModel.h"
#include "server-gui/RecordTable.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStringList>
#include <QTableView>
#include <QVBoxLayout>

namespace parley::server {

OnlineUsersView::OnlineUsersView(QWidget* parent)
    : QWidget(parent),
      m_model(new OnlineUsersModel(this)),
      m_proxy(new QSortFilterProxyModel(this)),
      m_filterEdit(new QLineEdit),
      m_table(new QTableView),
      m_kickButton(new QPushButton(tr("&Kick…"))),
      m_kickAction(new QAction(tr("Kick…"), this)),
      m_copyAction(new QAction(tr("Copy"), this)) {
    m_filterEdit->setObjectName(QStringLiteral("onlineFilterEdit"));
    m_table->setObjectName(QStringLiteral("onlineTable"));
    m_kickButton->setObjectName(QStringLiteral("kickButton"));
    m_kickAction->setObjectName(QStringLiteral("onlineKickAction"));
    m_copyAction->setObjectName(QStringLiteral("onlineCopyAction"));

    setUpRecordTable(*m_table, *m_proxy, *m_model, *m_filterEdit, OnlineUsersModel::kSortRole);
    m_filterEdit->setPlaceholderText(tr("Filter by name, address, id…"));
    m_copyAction->setShortcut(QKeySequence::Copy);
    m_copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_table->addAction(m_copyAction);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_filterEdit);
    layout->addWidget(m_table, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_kickButton);
    layout->addLayout(buttons);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &OnlineUsersView::updateActions);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &OnlineUsersView::updateActions);
    connect(m_table, &QTableView::customContextMenuRequested, this, &OnlineUsersView::showContextMenu);
    connect(m_kickButton, &QPushButton::clicked, this, &OnlineUsersView::askKick);
    connect(m_kickAction, &QAction::triggered, this, &OnlineUsersView::askKick);
    connect(m_copyAction, &QAction::triggered, this, &OnlineUsersView::copySelection);
    updateActions();
}

void OnlineUsersView::setSessions(std::vector<OnlineSession> sessions) {
    m_model->setSessions(std::move(sessions));
    updateActions();
}

void OnlineUsersView::setKickAllowed(bool allowed) {
    m_kickAllowed = allowed;
    updateActions();
}

quint32 OnlineUsersView::selectedUserId() const { return selectedRecordId(*m_table, OnlineUsersModel::kUserIdRole); }

void OnlineUsersView::askKick() {
    const quint32 id = selectedUserId();
    if (id == 0 || !m_kickAllowed) return;
    const QString name = m_table->selectionModel()->selectedRows(OnlineUsersModel::Username).first().data().toString();
    const TextQuestion question{"kickReasonDialog", tr("Kick %1").arg(name),
                                tr("Disconnect %1 (id %2). The reason they are shown:").arg(name).arg(id),
                                tr("disconnected by the operator")};
    askForText(*this, question, [this, id](const QString& reason) {
        const QString text = reason.trimmed();
        emit kickRequested(id, text.isEmpty() ? tr("disconnected by the operator") : text);
    });
}

void OnlineUsersView::copySelection() {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty()) return;
    QStringList cells;
    for (int column = 0; column < m_proxy->columnCount(); ++column)
        cells << m_proxy->index(rows.first().row(), column).data().toString();
    QApplication::clipboard()->setText(cells.join(QLatin1Char('\t')));
}

void OnlineUsersView::updateActions() {
    const bool selected = m_table->selectionModel()->hasSelection();
    m_kickButton->setEnabled(m_kickAllowed && selected);
    m_kickAction->setEnabled(m_kickAllowed && selected);
    m_copyAction->setEnabled(selected);
}

void OnlineUsersView::showContextMenu(const QPoint& position) {
    showRecordMenu(*m_table, position, {m_kickAction, m_copyAction});
}

}  // namespace parley::server
