#include "client-gui/widgets/LoginWindow.h"

#include "client-gui/core/ClientSettings.h"
#include "client-gui/core/ServerAddress.h"
#include "client-gui/core/SessionController.h"
#include "client-gui/widgets/FieldErrorLabel.h"
#include "client-gui/widgets/FormRows.h"
#include "client-gui/widgets/Icons.h"
#include "client-gui/widgets/RegisterDialog.h"
#include "client-gui/widgets/SecurityPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

namespace parley::gui {

namespace {

QComboBox* editableCombo(const QString& objectName) {
    auto* combo = new QComboBox;
    combo->setObjectName(objectName);
    combo->setEditable(true);
    combo->setInsertPolicy(QComboBox::NoInsert);
    combo->setMinimumContentsLength(24);
    return combo;
}

}  // namespace

LoginWindow::LoginWindow(SessionController& controller, ClientSettings& settings, QWidget* parent)
    : QWidget(parent),
      m_controller(controller),
      m_settings(settings),
      m_serverCombo(editableCombo(QStringLiteral("serverCombo"))),
      m_userCombo(editableCombo(QStringLiteral("userCombo"))),
      m_passwordEdit(new QLineEdit),
      m_rememberBox(new QCheckBox(tr("Re&member me on this computer"))),
      m_loginButton(new QPushButton(tr("&Log in"))),
      m_registerButton(new QPushButton(tr("&Register…"))),
      m_advancedButton(new QToolButton),
      m_security(new SecurityPanel(controller, settings)),
      m_error(new FieldErrorLabel(QStringLiteral("loginError"))) {
    setWindowTitle(tr("Parley — Log in"));
    setWindowIcon(icon(IconName::App));
    m_passwordEdit->setObjectName(QStringLiteral("passwordEdit"));
    m_passwordEdit->setEchoMode(QLineEdit::Password);
    m_rememberBox->setObjectName(QStringLiteral("rememberBox"));
    m_rememberBox->setChecked(m_settings.rememberMe());
    m_rememberBox->setToolTip(
        tr("Log in without the password from now on, until you log out. "
           "The password is not saved; the server hands out a revocable key."));
    m_loginButton->setObjectName(QStringLiteral("loginButton"));
    m_registerButton->setObjectName(QStringLiteral("registerButton"));
    m_loginButton->setDefault(true);

    auto* logo = new QLabel;
    logo->setPixmap(icon(IconName::App).pixmap(48, 48));
    auto* heading = new QLabel(tr("<b>Parley</b><br>Log in to your team's server."));
    auto* top = new QHBoxLayout;
    top->addWidget(logo);
    top->addWidget(heading, 1);

    auto* form = new QFormLayout;
    addFieldRow(*form, tr("&Server:"), m_serverCombo, nullptr);
    m_serverCombo->setToolTip(
        tr("host:port. For a cluster, its nodes separated by commas (A,B,C): they are tried "
           "in order, and the client moves to the next one when a node cannot be reached."));
    addFieldRow(*form, tr("&User name:"), m_userCombo, nullptr);
    addFieldRow(*form, tr("&Password:"), m_passwordEdit, nullptr);
    form->addRow(QString(), m_rememberBox);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_registerButton);
    buttons->addStretch(1);
    buttons->addWidget(m_loginButton);

    // Advanced: folded away, how the connection is protected is rarely changed.
    m_advancedButton->setObjectName(QStringLiteral("advancedButton"));
    m_advancedButton->setText(tr("&Advanced"));
    m_advancedButton->setCheckable(true);
    m_advancedButton->setAutoRaise(true);
    m_advancedButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedButton->setArrowType(Qt::RightArrow);
    m_security->setVisible(false);
    connect(m_advancedButton, &QToolButton::toggled, this, [this](bool open) {
        m_advancedButton->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        m_security->setVisible(open);
        adjustSize();
    });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(form);
    layout->addWidget(m_advancedButton, 0, Qt::AlignLeft);
    layout->addWidget(m_security);
    layout->addWidget(m_error);
    layout->addLayout(buttons);

    m_serverCombo->addItems(m_settings.servers());
    if (m_serverCombo->count() == 0) {
        m_serverCombo->addItem(ServerAddress::nodeText({QStringLiteral("127.0.0.1"), ServerAddress::kDefaultPort}));
    }
    m_serverCombo->setCurrentText(m_settings.lastServer().isEmpty() ? m_serverCombo->itemText(0)
                                                                    : m_settings.lastServer());
    serverChanged();
    if (!m_settings.lastUserName().isEmpty()) m_userCombo->setCurrentText(m_settings.lastUserName());

    connect(m_serverCombo, &QComboBox::currentTextChanged, this, &LoginWindow::serverChanged);
    connect(m_userCombo, &QComboBox::currentTextChanged, this, &LoginWindow::showSavedLogin);
    connect(m_loginButton, &QPushButton::clicked, this, &LoginWindow::logIn);
    connect(m_passwordEdit, &QLineEdit::returnPressed, this, &LoginWindow::logIn);
    connect(m_registerButton, &QPushButton::clicked, this, &LoginWindow::openRegisterDialog);
    connect(&m_controller, &SessionController::loginSucceeded, this, &LoginWindow::onLoginSucceeded);
    connect(&m_controller, &SessionController::loginFailed, this, &LoginWindow::onLoginFailed);
    showSavedLogin();
    (m_userCombo->currentText().isEmpty() ? static_cast<QWidget*>(m_userCombo) : m_passwordEdit)->setFocus();
}

void LoginWindow::fillUserNames() {
    const QString typed = m_userCombo->currentText();
    m_userCombo->clear();
    if (const auto server = ServerAddress::parse(m_serverCombo->currentText())) {
        m_userCombo->addItems(m_settings.userNames(*server));
    }
    m_userCombo->setCurrentText(typed.isEmpty() && m_userCombo->count() > 0 ? m_userCombo->itemText(0) : typed);
    showSavedLogin();
}

void LoginWindow::showSavedLogin() {
    const auto server = ServerAddress::parse(m_serverCombo->currentText());
    const QString user = m_userCombo->currentText().trimmed();
    const bool saved = server && !user.isEmpty() && m_controller.hasSavedLogin(*server, user);
    m_passwordEdit->setPlaceholderText(saved ? tr("saved on this computer: just log in") : QString());
}

bool LoginWindow::logInSaved() {
    const auto server = ServerAddress::parse(m_serverCombo->currentText());
    const QString user = m_userCombo->currentText().trimmed();
    if (!server || user.isEmpty() || !m_controller.hasSavedLogin(*server, user)) return false;
    m_passwordEdit->clear();
    logIn();
    return true;
}

void LoginWindow::serverChanged() {
    fillUserNames();
    m_security->showServer(ServerAddress::parse(m_serverCombo->currentText()));
    // A server that needs plaintext shows it: the warning must not hide in a fold.
    if (m_security->plaintext()) m_advancedButton->setChecked(true);
}

void LoginWindow::forcePlaintext() {
    m_security->forcePlaintext();
    m_advancedButton->setChecked(true);
}

void LoginWindow::prefill(const QString& server, const QString& userName) {
    if (!server.isEmpty()) m_serverCombo->setCurrentText(server);
    if (!userName.isEmpty()) m_userCombo->setCurrentText(userName);
    m_passwordEdit->setFocus();
}

void LoginWindow::logInWith(const QString& server, const QString& userName, const QString& password) {
    prefill(server, userName);
    m_passwordEdit->setText(password);
    logIn();
}

void LoginWindow::logIn() {
    if (m_pending) return;
    const auto server = ServerAddress::parse(m_serverCombo->currentText());
    const QString user = m_userCombo->currentText().trimmed();
    if (!server) {
        m_error->setError(
            tr("Enter the server as host:port, e.g. 127.0.0.1:7878 (a cluster: its nodes separated by commas)."));
        m_serverCombo->setFocus();
        return;
    }
    const bool saved = !user.isEmpty() && m_passwordEdit->text().isEmpty() && m_controller.hasSavedLogin(*server, user);
    if (user.isEmpty() || (m_passwordEdit->text().isEmpty() && !saved)) {
        m_error->setError(tr("Enter your user name and password."));
        (user.isEmpty() ? static_cast<QWidget*>(m_userCombo) : m_passwordEdit)->setFocus();
        return;
    }
    m_error->clearError();
    setPending(true);
    m_controller.setPlaintext(m_security->plaintext());
    m_controller.connectToServer(*server);
    if (saved) {
        m_loginButton->setText(tr("Logging in as %1…").arg(user));
        if (m_controller.logInWithSavedLogin(user)) return;
        setPending(false);  // gone meanwhile: the password it is
        showSavedLogin();
        m_error->setError(tr("Enter your password."));
        m_passwordEdit->setFocus();
        return;
    }
    m_settings.setRememberMe(m_rememberBox->isChecked());
    m_controller.logIn(user, m_passwordEdit->text(), m_rememberBox->isChecked());
}

void LoginWindow::setPending(bool pending) {
    m_pending = pending;
    m_loginButton->setEnabled(!pending);
    m_registerButton->setEnabled(!pending);
    m_rememberBox->setEnabled(!pending);
    m_loginButton->setText(pending ? tr("Logging in…") : tr("&Log in"));
}

void LoginWindow::onLoginSucceeded() {
    if (!m_pending) return;
    setPending(false);
    m_passwordEdit->clear();
    const QString user = m_userCombo->currentText().trimmed();
    m_settings.rememberLogin(m_controller.server(), user);
    m_security->rememberChoice();
    m_settings.sync();
    // The lists as they will be at the next visit (the order is most recent first).
    const QString server = m_controller.server().listText();
    const QSignalBlocker blockServer(m_serverCombo);
    m_serverCombo->clear();
    m_serverCombo->addItems(m_settings.servers());
    m_serverCombo->setCurrentText(server);
    serverChanged();
    m_userCombo->setCurrentText(user);
}

void LoginWindow::onLoginFailed(LoginError code, const QString& text) {
    if (!m_pending) return;
    setPending(false);
    m_security->showServer(ServerAddress::parse(m_serverCombo->currentText()));  // a pin may have changed
    showSavedLogin();
    m_error->setError(code == LoginError::SavedLoginRefused ? savedLoginRefusedText(text) : text);
    m_passwordEdit->selectAll();
    m_passwordEdit->setFocus();
}

QString LoginWindow::savedLoginRefusedText(const QString& why) {
    return why.isEmpty() ? tr("Your saved login has expired or was revoked. Enter your password.")
                         : tr("Your saved login has expired or was revoked (%1). Enter your password.").arg(why);
}

void LoginWindow::showMessage(const QString& text) { m_error->setError(text); }

void LoginWindow::reset() {
    setPending(false);
    m_passwordEdit->clear();
    showSavedLogin();  // after Log out the saved login is gone
    m_passwordEdit->setFocus();
}

void LoginWindow::openRegisterDialog() {
    m_controller.setPlaintext(m_security->plaintext());
    auto* dialog = new RegisterDialog(m_controller, m_serverCombo->currentText(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RegisterDialog::registered, this,
            [this](const QString& server, const QString& user, const QString& password) {
                showMessage(QString());
                logInWith(server, user, password);
            });
    dialog->open();
}

}  // namespace parley::gui
