#pragma once
// The login window's Advanced area, about how the connection to the server in the
// server field is protected: "Plaintext (insecure)" for that server (remembered per
// server; a warning while it is on), the certificate this profile trusts for it, and
// "Forget this server's certificate" (the deliberate way to accept a changed one).
//
// Object names (the GUI test contract): plaintextCheck, plaintextWarning,
// pinnedCertificateLabel, forgetCertificateButton.
//
// Threading: GUI thread only.

#include "client-gui/core/ServerAddress.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QLabel;
class QPushButton;

namespace parley::gui {

class ClientSettings;
class SessionController;

class SecurityPanel final : public QWidget {
    Q_OBJECT
public:
    SecurityPanel(SessionController& controller, ClientSettings& settings, QWidget* parent = nullptr);

    /// Shows the choices for `server` (nullopt: the field holds no valid address).
    void showServer(const std::optional<ServerAddress>& server);
    /// --plaintext: checked whatever the server's remembered choice.
    void forcePlaintext();
    bool plaintext() const;
    /// Remembers the current choice for the shown server (after a login succeeded).
    void rememberChoice();

private slots:
    void forgetCertificate();
    void updatePinned();

private:
    Q_DISABLE_COPY(SecurityPanel)
    SessionController& m_controller;
    ClientSettings& m_settings;
    QCheckBox* m_plaintext;
    QLabel* m_warning;
    QLabel* m_pinned;
    QPushButton* m_forget;
    std::optional<ServerAddress> m_server;
    bool m_forced = false;
};

}  // namespace parley::gui
