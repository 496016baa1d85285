#include "server-gui/AccountsView.h"

#include "server-gui/AccountsModel.h"
#include "server-gui/RecordTable.h"

#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace parley::server {
namespace {

constexpr int kRefreshEveryMs = 5000;

}  // namespace

AccountsView::AccountsView(QWidget* parent)
    : QWidget(parent),
      m_model(new AccountsModel(this)),
      m_proxy(new QSortFilterProxyModel(this)),
      m_filterEdit(new QLineEdit),
      m_table(new QTableView),
      m_disableButton(new QPushButton(tr("&Disable account"))),
      m_resetButton(new QPushButton(tr("&Reset password…"))),
      m_revokeButton(new QPushButton(tr("Re&voke sessions…"))),
      m_refreshButton(new QPushButton(tr("Re&fresh"))),
      m_statusLabel(new QLabel) {
    m_filterEdit->setObjectName(QStringLiteral("accountsFilterEdit"));
    m_table->setObjectName(QStringLiteral("accountsTable"));
    m_disableButton->setObjectName(QStringLiteral("disableAccountButton"));
    m_resetButton->setObjectName(QStringLiteral("resetPasswordButton"));
    m_revokeButton->setObjectName(QStringLiteral("revokeSessionsButton"));
    m_revokeButton->setToolTip(
        tr("Ends every saved login (\"Remember me\") of the account and its open "
           "session: each device asks for the password again."));
    m_refreshButton->setObjectName(QStringLiteral("refreshAccountsButton"));
    m_statusLabel->setObjectName(QStringLiteral("accountsStatusLabel"));

    setUpRecordTable(*m_table, *m_proxy, *m_model, *m_filterEdit, AccountsModel::kSortRole);
    m_filterEdit->setPlaceholderText(tr("Filter by name, id, state…"));
    m_statusLabel->setWordWrap(true);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_filterEdit);
    layout->addWidget(m_table, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_statusLabel, 1);
    buttons->addWidget(m_refreshButton);
    buttons->addWidget(m_revokeButton);
    buttons->addWidget(m_resetButton);
    buttons->addWidget(m_disableButton);
    layout->addLayout(buttons);

    m_refreshTimer.setInterval(kRefreshEveryMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &AccountsView::refreshRequested);
    connect(m_refreshButton, &QPushButton::clicked, this, &AccountsView::refreshRequested);
    connect(m_disableButton, &QPushButton::clicked, this, &AccountsView::toggleDisabled);
    connect(m_resetButton, &QPushButton::clicked, this, &AccountsView::askNewPassword);
    connect(m_revokeButton, &QPushButton::clicked, this, &AccountsView::askRevokeSessions);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AccountsView::updateActions);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &AccountsView::updateActions);
    updateActions();
}

void AccountsView::setActionsAllowed(bool allowed) {
    m_allowed = allowed;
    if (!allowed) m_model->setAccounts({});
    updateActions();
}

quint32 AccountsView::selectedUserId() const { return selectedRecordId(*m_table, AccountsModel::kUserIdRole); }

void AccountsView::setAccounts(const std::vector<db::UserSummary>& accounts) {
    const quint32 selected = selectedUserId();
    m_model->setAccounts(accounts);
    for (int row = 0; selected != 0 && row < m_proxy->rowCount(); ++row) {
        if (m_proxy->index(row, 0).data(AccountsModel::kUserIdRole).toUInt() == selected) m_table->selectRow(row);
    }
    updateActions();
}

void AccountsView::showResult(bool ok, const QString& message) {
    m_statusLabel->setStyleSheet(ok ? QStringLiteral("color: #1b7f2a;") : QStringLiteral("color: #b00020;"));
    m_statusLabel->setText(message);
}

void AccountsView::askNewPassword() {
    const quint32 id = selectedUserId();
    if (id == 0 || !m_allowed) return;
    TextQuestion question{"resetPasswordDialog", tr("Reset password"),
                          tr("New password for user id %1 (8 to 1024 bytes; tell it to the user):").arg(id), QString()};
    question.password = true;
    askForText(*this, question, [this, id](const QString& password) { emit resetPasswordRequested(id, password); });
}

void AccountsView::toggleDisabled() {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty() || !m_allowed) return;
    emit disableRequested(rows.first().data(AccountsModel::kUserIdRole).toUInt(),
                          !rows.first().data(AccountsModel::kDisabledRole).toBool());
}

void AccountsView::askRevokeSessions() {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty() || !m_allowed) return;
    const quint32 id = rows.first().data(AccountsModel::kUserIdRole).toUInt();
    const QString name = rows.first().siblingAtColumn(AccountsModel::Username).data().toString();
    // open(), not exec(): the window keeps updating while the operator decides.
    auto* box = new QMessageBox(QMessageBox::Question, tr("Revoke sessions"),
                                tr("End every session of %1 (user id %2)? Each device where %1 chose "
                                   "\"Remember me\" must log in with the password again, and an open "
                                   "session is logged out now.")
                                    .arg(name)
                                    .arg(id),
                                QMessageBox::Cancel, this);
    box->setTextFormat(Qt::PlainText);  // a user name is data, never markup
    box->setObjectName(QStringLiteral("revokeSessionsQuestion"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton* revoke = box->addButton(tr("Revoke sessions"), QMessageBox::DestructiveRole);
    revoke->setObjectName(QStringLiteral("confirmRevokeButton"));
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::buttonClicked, this, [this, revoke, id](QAbstractButton* clicked) {
        if (clicked == revoke) emit revokeSessionsRequested(id);
    });
    box->open();
}

void AccountsView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    m_refreshTimer.start();
    emit refreshRequested();
}

void AccountsView::hideEvent(QHideEvent* event) {
    m_refreshTimer.stop();
    QWidget::hideEvent(event);
}

void AccountsView::updateActions() {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const bool selected = m_allowed && !rows.isEmpty();
    const bool disabled = selected && rows.first().data(AccountsModel::kDisabledRole).toBool();
    m_disableButton->setText(disabled ? tr("&Enable account") : tr("&Disable account"));
    m_disableButton->setEnabled(selected);
    m_resetButton->setEnabled(selected);
    m_revokeButton->setEnabled(selected);
    m_refreshButton->setEnabled(m_allowed);
}

}  // namespace parley::server
