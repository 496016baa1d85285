#include "server-gui/TransfersView.h"

#include "server-gui/RecordTable.h"
#include "server-gui/TransfersModel.h"

#include <QAction>
#include <QDateTime>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace parley::server {

TransfersView::TransfersView(QWidget* parent)
    : QWidget(parent),
      m_model(new TransfersModel(this)),
      m_proxy(new QSortFilterProxyModel(this)),
      m_filterEdit(new QLineEdit),
      m_table(new QTableView),
      m_abortButton(new QPushButton(tr("&Abort…"))),
      m_abortAction(new QAction(tr("Abort…"), this)) {
    m_filterEdit->setObjectName(QStringLiteral("transfersFilterEdit"));
    m_table->setObjectName(QStringLiteral("transfersTable"));
    m_abortButton->setObjectName(QStringLiteral("abortTransferButton"));

    setUpRecordTable(*m_table, *m_proxy, *m_model, *m_filterEdit, TransfersModel::kSortRole);
    m_filterEdit->setPlaceholderText(tr("Filter by user, file, result…"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_filterEdit);
    layout->addWidget(m_table, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_abortButton);
    layout->addLayout(buttons);

    connect(m_abortButton, &QPushButton::clicked, this, &TransfersView::askAbort);
    connect(m_abortAction, &QAction::triggered, this, &TransfersView::askAbort);
    connect(m_table, &QTableView::customContextMenuRequested, this, &TransfersView::showContextMenu);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TransfersView::updateActions);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &TransfersView::updateActions);
    updateActions();
}

void TransfersView::setTransfers(const std::vector<Server::TransferRow>& rows) {
    // Keep the selection on the same transfer across the once-a-second reset.
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    const QVariant sender = selected.isEmpty() ? QVariant() : selected.first().data(TransfersModel::kSenderRole);
    const QVariant id = selected.isEmpty() ? QVariant() : selected.first().data(TransfersModel::kTransferIdRole);
    m_model->setTransfers(rows, static_cast<std::uint64_t>(QDateTime::currentMSecsSinceEpoch()));
    for (int row = 0; sender.isValid() && row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        if (index.data(TransfersModel::kSenderRole) == sender && index.data(TransfersModel::kTransferIdRole) == id)
            m_table->selectRow(row);
    }
    updateActions();
}

void TransfersView::setAbortAllowed(bool allowed) {
    m_allowed = allowed;
    updateActions();
}

void TransfersView::askAbort() {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty() || !m_allowed || !rows.first().data(TransfersModel::kInProgressRole).toBool()) return;
    const quint32 sender = rows.first().data(TransfersModel::kSenderRole).toUInt();
    const quint64 id = rows.first().data(TransfersModel::kTransferIdRole).toULongLong();
    const QString file = m_proxy->index(rows.first().row(), TransfersModel::File).data().toString();
    const TextQuestion question{"abortReasonDialog", tr("Abort transfer"),
                                tr("Abort the transfer of %1. The reason both sides are shown:").arg(file),
                                tr("stopped by the operator")};
    askForText(*this, question, [this, sender, id](const QString& reason) {
        const QString text = reason.trimmed();
        emit abortRequested(sender, id, text.isEmpty() ? tr("stopped by the operator") : text);
    });
}

void TransfersView::updateActions() {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const bool can = m_allowed && !rows.isEmpty() && rows.first().data(TransfersModel::kInProgressRole).toBool();
    m_abortButton->setEnabled(can);
    m_abortAction->setEnabled(can);
}

void TransfersView::showContextMenu(const QPoint& position) { showRecordMenu(*m_table, position, {m_abortAction}); }

}  // namespace parley::server
