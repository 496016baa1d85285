#pragma once
// ClientApp: which window is up. The login window until a login succeeds, then the
// main window (contacts) with the chat window for open conversations and the tray
// icon; back to the login window after "Log out" or KICKED (with the reason).
// It also decides when a message deserves a desktop notification: when its
// conversation is not visible, and it shows the boxes about a server's certificate
// (TrustPrompts) over the window in front.
//
// It routes between windows and the controller; each window does its own job.
//
// Threading: GUI thread only.

#include "client-gui/core/ServerAddress.h"

#include <QObject>
#include <QString>

#include <memory>

namespace parley::gui {

class ChatWindow;
class ClientSettings;
class LoginWindow;
class MainWindow;
class SessionController;
class FileSaveSettings;
class TransfersWindow;
class TrayNotifier;
struct ClientOptions;

class ClientApp final : public QObject {
    Q_OBJECT
public:
    ClientApp(SessionController& controller, ClientSettings& settings, QObject* parent = nullptr);
    ~ClientApp() override;

    /// Shows the login window prefilled from the options; with a user name and a
    /// non-empty `password` (PARLEY_PASSWORD) it logs in at once.
    void start(const ClientOptions& options, const QString& password);

    LoginWindow& loginWindow() const { return *m_login; }
    MainWindow& mainWindow() const { return *m_main; }
    ChatWindow& chatWindow() const { return *m_chat; }
    TrayNotifier& tray() const { return *m_tray; }
    /// The transfers window of this session (nullptr until first shown).
    TransfersWindow* transfersWindow() const { return m_transfersWindow.get(); }
    bool inSession() const { return m_inSession; }

signals:
    /// The person chose Quit.
    void quitRequested();

private slots:
    void onLoginSucceeded();
    void onKicked(const QString& reason);
    void logOut();
    void onMessageReceived(quint32 peerId, const QString& senderName, const QString& preview);
    void onStoreError(const QString& text);
    void updateUnreadTotal();
    void openConversation(quint32 peerId);
    void showMainWindow();
    void onTrustRequired(const parley::gui::ServerAddress& server, const QString& fingerprint);
    void onCertificateChanged(const parley::gui::ServerAddress& server, const QString& pinned,
                              const QString& presented);
    void showTransfers();
    void onOfferReceived(quint32 peerId, const QString& name);

private:
    /// Back to the login window; `message` says why (empty: a plain logout).
    void endSession(const QString& message);
    /// The window a box about the session belongs over.
    QWidget* frontWindow() const;

    Q_DISABLE_COPY(ClientApp)
    SessionController& m_controller;
    ClientSettings& m_settings;
    std::unique_ptr<LoginWindow> m_login;
    std::unique_ptr<MainWindow> m_main;
    std::unique_ptr<ChatWindow> m_chat;
    TrayNotifier* m_tray;
    std::unique_ptr<FileSaveSettings> m_saveSettings;
    std::unique_ptr<TransfersWindow> m_transfersWindow;  ///< per session (its controller may change)
    bool m_inSession = false;
};

}  // namespace parley::gui
