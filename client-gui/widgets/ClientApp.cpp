#include "client-gui/widgets/ClientApp.h"

#include "client-gui/core/ClientSettings.h"
#include "client-gui/core/ContactListModel.h"
#include "client-gui/core/SessionController.h"
#include "client-gui/widgets/ChatWindow.h"
#include "client-gui/widgets/ClientOptions.h"
#include "client-gui/widgets/LoginWindow.h"
#include "client-gui/widgets/MainWindow.h"
#include "client-gui/core/TransferController.h"
#include "client-gui/widgets/FileSaveSettings.h"
#include "client-gui/widgets/ThumbnailCache.h"
#include "client-gui/widgets/TransfersWindow.h"
#include "client-gui/widgets/TrayNotifier.h"
#include "client-gui/widgets/TrustPrompts.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>

namespace parley::gui {

ClientApp::ClientApp(SessionController& controller, ClientSettings& settings, QObject* parent)
    : QObject(parent),
      m_controller(controller),
      m_settings(settings),
      m_login(std::make_unique<LoginWindow>(controller, settings)),
      m_main(std::make_unique<MainWindow>(controller)),
      m_chat(std::make_unique<ChatWindow>(controller)),
      m_tray(new TrayNotifier(this)) {
    connect(&m_controller, &SessionController::loginSucceeded, this, &ClientApp::onLoginSucceeded);
    connect(&m_controller, &SessionController::kicked, this, &ClientApp::onKicked);
    connect(&m_controller, &SessionController::savedLoginRefused, this, [this](const QString&, const QString& why) {
        // In a session (a re-login found it revoked); before one, the login window says it.
        if (m_inSession) endSession(LoginWindow::savedLoginRefusedText(why));
    });
    connect(&m_controller, &SessionController::messageReceived, this, &ClientApp::onMessageReceived);
    connect(&m_controller, &SessionController::storeError, this, &ClientApp::onStoreError);
    connect(&m_controller, &SessionController::trustRequired, this, &ClientApp::onTrustRequired);
    connect(&m_controller, &SessionController::certificateChanged, this, &ClientApp::onCertificateChanged);
    connect(m_main.get(), &MainWindow::conversationRequested, this, &ClientApp::openConversation);
    connect(m_main.get(), &MainWindow::logOutRequested, this, &ClientApp::logOut);
    connect(m_main.get(), &MainWindow::transfersRequested, this, &ClientApp::showTransfers);
    connect(m_main.get(), &MainWindow::quitRequested, this, &ClientApp::quitRequested);
    connect(m_chat.get(), &ChatWindow::searchRequested, m_main.get(), &MainWindow::focusSearch);
    connect(m_tray, &TrayNotifier::conversationRequested, this, &ClientApp::openConversation);
    connect(m_tray, &TrayNotifier::showRequested, this, &ClientApp::showMainWindow);

    connect(&m_controller, &SessionController::unreadTotalChanged, m_tray, &TrayNotifier::setUnreadTotal);
}

ClientApp::~ClientApp() = default;

void ClientApp::start(const ClientOptions& options, const QString& password) {
    m_login->prefill(options.server, options.user);
    if (options.plaintext) m_login->forcePlaintext();
    if (!options.caFile.isEmpty()) {
        if (const QString error = m_controller.setCaCertificatesFile(options.caFile); !error.isEmpty()) {
            m_login->showMessage(tr("--ca: %1 The system's certificate authorities are used.").arg(error));
        }
    }
    // QSettings writes only when something changed: try the folder itself now, so that
    // the person learns before logging in that nothing will be remembered.
    const QString profile = QFileInfo(m_settings.raw().fileName()).absolutePath();
    if (!QDir().mkpath(profile) || !QFileInfo(profile).isWritable() || !m_settings.sync()) {
        m_login->showMessage(tr("The profile folder %1 cannot be written: servers, user names and "
                                "messages will not be kept.")
                                 .arg(QDir::toNativeSeparators(profile)));
    }
    m_login->show();
    if (!options.user.isEmpty() && !password.isEmpty()) {
        m_login->logInWith(options.server, options.user, password);
    } else {
        m_login->logInSaved();  // "Remember me" at the last login (or --user's account)
    }
}

void ClientApp::onLoginSucceeded() {
    if (m_inSession) return;  // a re-login after a reconnect
    m_inSession = true;
    m_login->hide();
    m_main->startSession();
    m_main->show();
    m_main->raise();
    m_main->activateWindow();
    m_tray->setActive(true);
    updateUnreadTotal();
    if (TransferController* transfers = m_controller.transfers()) {
        connect(
            transfers, &TransferController::offerReceived, this,
            [this](quint32 peer, quint32, const QString& name) { onOfferReceived(peer, name); }, Qt::UniqueConnection);
    }
}

void ClientApp::onKicked(const QString& reason) { endSession(tr("You were logged out: %1").arg(reason)); }

void ClientApp::logOut() {
    // Only a connected client can tell the server to revoke its saved login.
    const bool told = m_controller.connectionState() == ConnectionState::Connected;
    m_controller.logOut();
    endSession(told ? QString()
                    : tr("Logged out on this computer. The server could not be reached, so the saved login it "
                         "gave stays valid there until it expires; changing your password ends it at once."));
}

void ClientApp::endSession(const QString& message) {
    m_inSession = false;
    m_chat->closeAll();
    m_transfersWindow.reset();  // the next login may be another account's transfers
    m_main->hide();
    m_main->showStoreError(QString());  // the next login opens its own store
    m_tray->setActive(false);
    m_login->reset();
    m_login->showMessage(message);
    m_login->show();
    m_login->raise();
    m_login->activateWindow();
}

void ClientApp::onMessageReceived(quint32 peerId, const QString& senderName, const QString& preview) {
    if (m_chat->isConversationVisible(peerId) && m_chat->isActiveWindow()) return;
    const QString title = peerId == kRoomPeerId ? tr("%1 in the room").arg(senderName) : senderName;
    if (!m_chat->isConversationVisible(peerId)) m_tray->notify(peerId, title, preview);
    QApplication::alert(m_chat->isVisible() ? static_cast<QWidget*>(m_chat.get()) : m_main.get());
}

void ClientApp::onStoreError(const QString& text) {
    m_main->showStoreError(text);
    if (!m_inSession) m_login->showMessage(tr("History is not saved: %1").arg(text));
}

void ClientApp::updateUnreadTotal() { m_tray->setUnreadTotal(m_controller.contacts()->unreadTotal()); }

void ClientApp::openConversation(quint32 peerId) {
    if (m_inSession) m_chat->openConversation(peerId);
}

QWidget* ClientApp::frontWindow() const {
    // Over an open dialog (e.g. Register…), or its modality would keep the box behind it.
    if (QWidget* modal = QApplication::activeModalWidget()) return modal;
    if (!m_inSession) return m_login.get();
    return m_chat->isActiveWindow() ? static_cast<QWidget*>(m_chat.get()) : m_main.get();
}

void ClientApp::onTrustRequired(const ServerAddress& server, const QString& fingerprint) {
    // The fingerprint shown is the one pinned: the next connection must present it.
    openTrustQuestion(frontWindow(), server, m_controller.currentNode(), fingerprint,
                      [this, fingerprint](bool trusted) {
                          if (trusted) {
                              m_controller.trustCertificate(fingerprint);
                          } else {
                              m_controller.declineCertificate();
                          }
                      });
}

void ClientApp::onCertificateChanged(const ServerAddress& server, const QString& pinned, const QString& presented) {
    // Back at the login window first: the box belongs over the window that stays.
    if (m_inSession) {
        endSession(tr("Not connected: the certificate of %1 changed (see the warning).").arg(server.toString()));
    }
    openCertificateChangedWarning(frontWindow(), server, m_controller.currentNode(), pinned, presented);
}

void ClientApp::showMainWindow() {
    if (!m_inSession) {
        m_login->show();
        m_login->raise();
        return;
    }
    m_main->show();
    m_main->raise();
    m_main->activateWindow();
}

void ClientApp::showTransfers() {
    TransferController* transfers = m_controller.transfers();
    if (!m_inSession || transfers == nullptr) return;
    if (!m_transfersWindow) {
        m_saveSettings = std::make_unique<FileSaveSettings>(m_controller.paths());
        m_transfersWindow = std::make_unique<TransfersWindow>(*transfers, *m_saveSettings);
        ThumbnailCache::of(m_controller);
    }
    m_transfersWindow->show();
    m_transfersWindow->raise();
    m_transfersWindow->activateWindow();
}

void ClientApp::onOfferReceived(quint32 peerId, const QString& name) {
    // The offer card is in the conversation: open it there, and tell the person if it is not in view.
    const bool visible = m_chat->isConversationVisible(peerId) && m_chat->isActiveWindow();
    if (!visible) {
        const ContactEntry* contact = m_controller.contacts()->find(peerId);
        const QString sender = contact == nullptr               ? tr("Someone")
                               : contact->displayName.isEmpty() ? contact->name
                                                                : contact->displayName;
        m_tray->notify(peerId, tr("%1 offers a file").arg(sender), name);
        QApplication::alert(m_chat->isVisible() ? static_cast<QWidget*>(m_chat.get()) : m_main.get());
    }
}

}  // namespace parley::gui
