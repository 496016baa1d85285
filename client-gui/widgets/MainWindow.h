#pragma once
// MainWindow ("Parley — <name>"): the own name and the connection state at the top
// (with a lock while it is TLS, a warning sign while it is plaintext),
// a search box that filters the contacts as you type, and the contact list (the room
// first, then online users, then the others) with presence, unread counts and the
// last message. Double-click or Enter opens a conversation; Ctrl+K goes to the
// search box, where Enter opens the top match and Down moves into the list.
//
// Object names (the GUI test contract, see tests/client-gui/widgets):
//   ownNameLabel, connectionLabel, securityIcon, storeErrorLabel, searchEdit, contactList,
//   logOutAction, aboutAction, quitAction, transfersAction
//
// Threading: GUI thread only. It shows the controller's models and state; opening a
// conversation is a request (conversationRequested) that ClientApp routes.

#include "client-gui/core/ClientTypes.h"

#include <QMainWindow>

class QCloseEvent;
class QLabel;
class QLineEdit;
class QListView;
class QModelIndex;

namespace parley::gui {

class ContactFilterModel;
class FieldErrorLabel;
class SessionController;

class MainWindow final : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(SessionController& controller, QWidget* parent = nullptr);

    /// The list as shown (filtered and sorted), e.g. for tests and the tray.
    ContactFilterModel* shownContacts() const { return m_filter; }
    /// Called after each login: the own name and a cleared search.
    void startSession();
    /// Ctrl+K: brings the window forward with the search box focused and selected.
    void focusSearch();
    /// Shows a problem with the local store (the app goes on without history); an
    /// empty text removes the message.
    void showStoreError(const QString& text);

signals:
    void conversationRequested(quint32 peerId);
    void logOutRequested();
    /// Parley > Transfers… (Ctrl+Shift+T): the transfers window.
    void transfersRequested();
    void quitRequested();

private slots:
    void updateConnectionState();
    void openIndex(const QModelIndex& index);
    void openTopMatch();
    void showAbout();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    /// Closing the contact list ends the client (its conversations with it).
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();

    Q_DISABLE_COPY(MainWindow)
    SessionController& m_controller;
    ContactFilterModel* m_filter;
    QLabel* m_ownNameLabel;
    QLabel* m_connectionLabel;
    QLabel* m_securityIcon;
    FieldErrorLabel* m_storeError;
    QLineEdit* m_searchEdit;
    QListView* m_contactList;
};

}  // namespace parley::gui
