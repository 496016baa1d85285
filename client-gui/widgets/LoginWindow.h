#pragma once
// LoginWindow ("Parley — Log in"): the server (the ones used before in a list), the
// user name (the accounts that logged in to that server before), the password,
// "Remember me", "Log in" and "Register…", and an "Advanced" area (SecurityPanel:
// plaintext for this server, its trusted certificate). The password is never stored:
// "Remember me" keeps a login token (SessionController), and an account with one logs
// in with an empty password field (and at start, without showing the form for input).
//
// Object names (the GUI test contract, see tests/client-gui/widgets):
//   serverCombo, userCombo, passwordEdit, rememberBox, loginButton, registerButton, loginError,
//   advancedButton (shows the SecurityPanel, see its names)
//
// Threading: GUI thread only. It asks the SessionController to log in and shows the
// outcome; ClientApp moves on to the main window on loginSucceeded().

#include "client-gui/core/ClientTypes.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;
class QToolButton;

namespace parley::gui {

class ClientSettings;
class FieldErrorLabel;
class SecurityPanel;
class SessionController;

class LoginWindow final : public QWidget {
    Q_OBJECT
public:
    LoginWindow(SessionController& controller, ClientSettings& settings, QWidget* parent = nullptr);

    /// Prefills the fields (e.g. from --server/--user); an empty text keeps what is there.
    void prefill(const QString& server, const QString& userName);
    /// Logs in with what the fields hold (the Log in button).
    void logIn();
    /// Logs in with these values at once (--user with PARLEY_PASSWORD).
    void logInWith(const QString& server, const QString& userName, const QString& password);
    /// At start: logs in at once if the account in the fields has a saved login. False if not.
    bool logInSaved();
    /// Shows why the person is here again (kicked, logged out, store trouble).
    void showMessage(const QString& text);
    /// Back to a fresh form after a session ended: password cleared, buttons enabled.
    void reset();
    /// --plaintext: the plaintext choice is on (and shown) whatever the server.
    void forcePlaintext();
    SecurityPanel& securityPanel() const { return *m_security; }
    /// What the person reads when the saved login was refused (`why`: the server's words).
    static QString savedLoginRefusedText(const QString& why);

private slots:
    void onLoginSucceeded();
    void onLoginFailed(parley::gui::LoginError code, const QString& text);
    void openRegisterDialog();
    void fillUserNames();
    void serverChanged();
    void showSavedLogin();

private:
    void setPending(bool pending);

    Q_DISABLE_COPY(LoginWindow)
    SessionController& m_controller;
    ClientSettings& m_settings;
    QComboBox* m_serverCombo;
    QComboBox* m_userCombo;
    QLineEdit* m_passwordEdit;
    QCheckBox* m_rememberBox;
    QPushButton* m_loginButton;
    QPushButton* m_registerButton;
    QToolButton* m_advancedButton;
    SecurityPanel* m_security;
    FieldErrorLabel* m_error;
    bool m_pending = false;
};

}  // namespace parley::gui
