#pragma once
// RegisterDialog ("Parley — Create an account"): server, user name, display name and the
// password twice. What is wrong is said under the field that caused it: a name that
// is taken or invalid, a weak or mismatched password, a server that cannot be reached.
//
// Object names (the GUI test contract, see tests/client-gui/widgets):
//   serverEdit, nameEdit, displayNameEdit, passwordEdit, repeatEdit, registerButton,
//   serverError, nameError, passwordError, repeatError
//
// Threading: GUI thread only. Talks to the SessionController only while a request is
// pending; the controller never opens this dialog.

#include "client-gui/core/ClientTypes.h"

#include <QDialog>

class QLineEdit;
class QPushButton;

namespace parley::gui {

class FieldErrorLabel;
class SessionController;

class RegisterDialog final : public QDialog {
    Q_OBJECT
public:
    /// Passwords need at least this many bytes (docs/protocol.md, InvalidPassword).
    static constexpr int kMinPasswordBytes = 8;

    RegisterDialog(SessionController& controller, const QString& server, QWidget* parent = nullptr);

    QString server() const;
    QString userName() const;
    QString password() const;

signals:
    /// The account exists; the dialog has closed (accepted).
    void registered(const QString& server, const QString& userName, const QString& password);

private slots:
    void submit();
    void onRegisterSucceeded();
    void onRegisterFailed(parley::gui::RegisterField field, const QString& text);

private:
    /// Checks what can be checked here; false if a field shows an error.
    bool validate();
    void clearErrors();
    void setPending(bool pending);

    Q_DISABLE_COPY(RegisterDialog)
    SessionController& m_controller;
    QLineEdit* m_serverEdit;
    QLineEdit* m_nameEdit;
    QLineEdit* m_displayNameEdit;
    QLineEdit* m_passwordEdit;
    QLineEdit* m_repeatEdit;
    FieldErrorLabel* m_serverError;
    FieldErrorLabel* m_nameError;
    FieldErrorLabel* m_passwordError;
    FieldErrorLabel* m_repeatError;
    QPushButton* m_registerButton;
    bool m_pending = false;
};

}  // namespace parley::gui
