#pragma once
// TransfersView: the "Transfers" tab. One row per file transfer in progress or
// ended in the last hour (TransfersModel), a filter box, and Abort on a
// transfer in progress (button or right-click; asks for the reason both sides
// are given).
//
// Object names (the GUI test contract):
//   transfersFilterEdit, transfersTable, abortTransferButton,
//   abortReasonDialog (while asking)
//
// Threading: GUI thread only.

#include "server-gui/engine/Server.h"

#include <QWidget>

#include <vector>

class QAction;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace parley::server {

class TransfersModel;

class TransfersView final : public QWidget {
    Q_OBJECT
public:
    explicit TransfersView(QWidget* parent = nullptr);

    void setTransfers(const std::vector<Server::TransferRow>& rows);
    void setAbortAllowed(bool allowed);

signals:
    void abortRequested(quint32 sender, quint64 transferId, const QString& reason);

public slots:
    /// Asks for the reason (window-modal), then emits abortRequested().
    void askAbort();

private slots:
    void updateActions();
    void showContextMenu(const QPoint& position);

private:
    Q_DISABLE_COPY(TransfersView)
    bool m_allowed = false;
    TransfersModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_filterEdit;
    QTableView* m_table;
    QPushButton* m_abortButton;
    QAction* m_abortAction;
};

}  // namespace parley::server
