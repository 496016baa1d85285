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
    connect(&m_controller, &SessionController::messageReceived, this, &ClientApp::onMessageReceived);
    connect(&m_controller, &SessionController::storeError, this, &ClientApp::onStoreError);
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
        connect(transfers, &TransferController::offerReceived, this,
                [this](quint32 peer, quint32, const QString& name) { onOfferReceived(peer, name); },
                Qt::UniqueConnection);
    }
}

void ClientApp::onKicked(const QString& reason) {
    endSession(tr("You were logged out: %1").arg(reason));
}

void ClientApp::logOut() {
    m_controller.logOut();
    endSession(QString());
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
        const QString sender = contact == nullptr ? tr("Someone")
                               : contact->displayName.isEmpty() ? contact->name : contact->displayName;
        m_tray->notify(peerId, tr("%1 offers a file").arg(sender), name);
        QApplication::alert(m_chat->isVisible() ? static_cast<QWidget*>(m_chat.get()) : m_main.get());
    }
}

}  // namespace parley::gui
