#pragma once
// AccountsView: the "All users" tab. Every account (online or not) with its
// registration date, last login and state; a filter box; Disable / Enable, Reset
// password (asks for the new one) and Revoke sessions (every saved "Remember me" login
// of the account ends, and its open session; asks first) on the selected account. Refreshes when
// shown, every few seconds while visible, and after each change.
//
// Object names (the GUI test contract):
//   accountsFilterEdit, accountsTable, disableAccountButton,
//   resetPasswordButton, revokeSessionsButton, refreshAccountsButton, accountsStatusLabel,
//   resetPasswordDialog, revokeSessionsQuestion (while asking)
//
// Threading: GUI thread only; the controller does the work on a store worker.

#include "db/StoreTypes.h"

#include <QTimer>
#include <QWidget>

#include <vector>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace parley::server {

class AccountsModel;

class AccountsView final : public QWidget {
    Q_OBJECT
public:
    explicit AccountsView(QWidget* parent = nullptr);

    /// Changes are offered only while the server runs.
    void setActionsAllowed(bool allowed);
    /// The selected account's id; 0 when nothing is selected.
    quint32 selectedUserId() const;

signals:
    void refreshRequested();
    void disableRequested(quint32 userId, bool disabled);
    void resetPasswordRequested(quint32 userId, const QString& password);
    void revokeSessionsRequested(quint32 userId);

public slots:
    void setAccounts(const std::vector<parley::db::UserSummary>& accounts);
    /// The outcome of the last change, next to the buttons.
    void showResult(bool ok, const QString& message);
    void askNewPassword();
    void toggleDisabled();
    void askRevokeSessions();

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private slots:
    void updateActions();

private:
    Q_DISABLE_COPY(AccountsView)
    bool m_allowed = false;
    AccountsModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_filterEdit;
    QTableView* m_table;
    QPushButton* m_disableButton;
    QPushButton* m_resetButton;
    QPushButton* m_revokeButton;
    QPushButton* m_refreshButton;
    QLabel* m_statusLabel;
    QTimer m_refreshTimer;
};

}  // namespace parley::server
