#include "client-gui/widgets/RegisterDialog.h"

#include "client-gui/core/ServerAddress.h"
#include "client-gui/core/SessionController.h"
#include "client-gui/widgets/FieldErrorLabel.h"
#include "client-gui/widgets/FormRows.h"
#include "client-gui/widgets/Icons.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace parley::gui {

RegisterDialog::RegisterDialog(SessionController& controller, const QString& server, QWidget* parent)
    : QDialog(parent),
      m_controller(controller),
      m_serverEdit(new QLineEdit(server)),
      m_nameEdit(new QLineEdit),
      m_displayNameEdit(new QLineEdit),
      m_passwordEdit(new QLineEdit),
      m_repeatEdit(new QLineEdit),
      m_serverError(new FieldErrorLabel(QStringLiteral("serverError"))),
      m_nameError(new FieldErrorLabel(QStringLiteral("nameError"))),
      m_passwordError(new FieldErrorLabel(QStringLiteral("passwordError"))),
      m_repeatError(new FieldErrorLabel(QStringLiteral("repeatError"))),
      m_registerButton(new QPushButton(tr("Create account"))) {
    setWindowTitle(tr("Parley — Create an account"));
    setWindowIcon(icon(IconName::App));
    m_serverEdit->setObjectName(QStringLiteral("serverEdit"));
    m_nameEdit->setObjectName(QStringLiteral("nameEdit"));
    m_displayNameEdit->setObjectName(QStringLiteral("displayNameEdit"));
    m_passwordEdit->setObjectName(QStringLiteral("passwordEdit"));
    m_repeatEdit->setObjectName(QStringLiteral("repeatEdit"));
    m_registerButton->setObjectName(QStringLiteral("registerButton"));
    m_serverEdit->setPlaceholderText(tr("host:port"));
    m_nameEdit->setPlaceholderText(tr("letters, digits, . _ -"));
    m_displayNameEdit->setPlaceholderText(tr("optional, e.g. Alice Liddell"));
    m_passwordEdit->setEchoMode(QLineEdit::Password);
    m_repeatEdit->setEchoMode(QLineEdit::Password);
    m_passwordEdit->setPlaceholderText(tr("at least %n characters", nullptr, kMinPasswordBytes));

    auto* form = new QFormLayout;
    addFieldRow(*form, tr("&Server:"), m_serverEdit, m_serverError);
    addFieldRow(*form, tr("&User name:"), m_nameEdit, m_nameError);
    addFieldRow(*form, tr("&Display name:"), m_displayNameEdit, nullptr);
    addFieldRow(*form, tr("&Password:"), m_passwordEdit, m_passwordError);
    addFieldRow(*form, tr("&Repeat password:"), m_repeatEdit, m_repeatError);

    auto* buttons = new QDialogButtonBox;
    buttons->addButton(m_registerButton, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    m_registerButton->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &RegisterDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(&m_controller, &SessionController::registerSucceeded, this, &RegisterDialog::onRegisterSucceeded);
    connect(&m_controller, &SessionController::registerFailed, this, &RegisterDialog::onRegisterFailed);
    (server.isEmpty() ? m_serverEdit : m_nameEdit)->setFocus();
}

QString RegisterDialog::server() const { return m_serverEdit->text().trimmed(); }
QString RegisterDialog::userName() const { return m_nameEdit->text().trimmed(); }
QString RegisterDialog::password() const { return m_passwordEdit->text(); }

void RegisterDialog::clearErrors() {
    for (FieldErrorLabel* label : {m_serverError, m_nameError, m_passwordError, m_repeatError}) {
        label->clearError();
    }
}

bool RegisterDialog::validate() {
    clearErrors();
    if (!ServerAddress::parse(server())) {
        m_serverError->setError(
            tr("Enter the server as host:port, e.g. 127.0.0.1:7878 (a cluster: its nodes separated by commas)."));
    }
    if (userName().isEmpty()) m_nameError->setError(tr("Choose a user name."));
    if (password().toUtf8().size() < kMinPasswordBytes) {
        m_passwordError->setError(tr("Too weak: use at least %n characters.", nullptr, kMinPasswordBytes));
    } else if (m_repeatEdit->text() != password()) {
        m_repeatError->setError(tr("The two passwords differ."));
    }
    return !(m_serverError->hasError() || m_nameError->hasError() || m_passwordError->hasError() ||
             m_repeatError->hasError());
}

void RegisterDialog::setPending(bool pending) {
    m_pending = pending;
    m_registerButton->setEnabled(!pending);
    m_registerButton->setText(pending ? tr("Creating…") : tr("Create account"));
}

void RegisterDialog::submit() {
    if (m_pending || !validate()) return;
    setPending(true);
    m_controller.connectToServer(*ServerAddress::parse(server()));
    m_controller.registerAccount(userName(), m_displayNameEdit->text().trimmed(), password());
}

void RegisterDialog::onRegisterSucceeded() {
    if (!m_pending) return;
    setPending(false);
    emit registered(server(), userName(), password());
    accept();
}

void RegisterDialog::onRegisterFailed(RegisterField field, const QString& text) {
    if (!m_pending) return;
    setPending(false);
    switch (field) {
    case RegisterField::Name:
        m_nameError->setError(text);
        m_nameEdit->setFocus();
        break;
    case RegisterField::Password:
        m_passwordError->setError(text);
        m_passwordEdit->setFocus();
        break;
    case RegisterField::Server:
        m_serverError->setError(text);
        m_serverEdit->setFocus();
        break;
    }
}

}  // namespace parley::gui
