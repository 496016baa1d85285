#pragma once
// OnlineUsersView: the "Online users" tab. A sortable table of the sessions
// (OnlineUsersModel behind a QSortFilterProxyModel), a filter box that matches
// any column, and Kick (button or right-click; asks for the reason the user is
// shown) and Copy (the selected row, tab-separated) on the context menu.
//
// Object names (the GUI test contract):
//   onlineFilterEdit, onlineTable, kickButton, kickReasonDialog (while asking),
//   onlineKickAction, onlineCopyAction
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

class OnlineUsersModel;

class OnlineUsersView final : public QWidget {
    Q_OBJECT
public:
    explicit OnlineUsersView(QWidget* parent = nullptr);

    void setSessions(std::vector<OnlineSession> sessions);
    /// Kick is offered only while the server runs.
    void setKickAllowed(bool allowed);
    /// The selected row's user id; 0 when nothing is selected.
    quint32 selectedUserId() const;

signals:
    void kickRequested(quint32 userId, const QString& reason);

public slots:
    /// Asks for the reason (a window-modal dialog), then emits kickRequested().
    void askKick();
    /// The selected row, its cells separated by tabs, to the clipboard.
    void copySelection();

private slots:
    void updateActions();
    void showContextMenu(const QPoint& position);

private:
    Q_DISABLE_COPY(OnlineUsersView)
    bool m_kickAllowed = false;
    OnlineUsersModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_filterEdit;
    QTableView* m_table;
    QPushButton* m_kickButton;
    QAction* m_kickAction;
    QAction* m_copyAction;
};

}  // namespace parley::server
