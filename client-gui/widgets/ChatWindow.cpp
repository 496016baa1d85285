#include "client-gui/widgets/ChatWindow.h"

#include "client-gui/core/ClientTypes.h"
#include "client-gui/core/ContactListModel.h"
#include "client-gui/core/SessionController.h"
#include "client-gui/widgets/ConversationView.h"
#include "client-gui/widgets/Icons.h"

#include <QEvent>
#include <QShortcut>
#include <QTabWidget>
#include <QVBoxLayout>

namespace parley::gui {

ChatWindow::ChatWindow(SessionController& controller, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_tabs(new QTabWidget) {
    setWindowTitle(tr("Parley — Conversations"));
    setWindowIcon(icon(IconName::App));
    m_tabs->setObjectName(QStringLiteral("chatTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    resize(520, 600);

    const auto shortcut = [this](const QString& keys, void (ChatWindow::*slot)()) {
        auto* action = new QShortcut(QKeySequence(keys), this);
        connect(action, &QShortcut::activated, this, slot);
    };
    shortcut(tr("Esc"), &ChatWindow::closeCurrent);
    shortcut(tr("Ctrl+Tab"), &ChatWindow::showNext);
    shortcut(tr("Ctrl+Shift+Tab"), &ChatWindow::showPrevious);
    shortcut(tr("Ctrl+K"), &ChatWindow::searchRequested);
    auto* find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, [this] {
        if (ConversationView* view = currentView()) view->openFind();
    });

    connect(m_tabs, &QTabWidget::currentChanged, this, &ChatWindow::onCurrentChanged);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this,
            [this](int index) { closeView(qobject_cast<ConversationView*>(m_tabs->widget(index))); });
    connect(&m_controller, &SessionController::peerTyping, this, &ChatWindow::onPeerTyping);
    connect(&m_controller, &SessionController::messageReceived, this,
            [this](quint32 peerId, const QString&, const QString&) { onMessageReceived(peerId); });
}

ChatWindow::~ChatWindow() {
    // The views go before the tab widget, which must not report that to a window
    // being destroyed.
    disconnect(m_tabs, nullptr, this, nullptr);
    m_views.clear();
}

QString ChatWindow::titleFor(quint32 peerId) const {
    if (const ContactEntry* contact = m_controller.contacts()->find(peerId)) {
        return contact->displayName.isEmpty() ? contact->name : contact->displayName;
    }
    return peerId == kRoomPeerId ? tr("Room") : tr("User %1").arg(peerId);
}

ConversationView* ChatWindow::openConversation(quint32 peerId) {
    ConversationView* view = conversationView(peerId);
    if (view == nullptr) {
        auto created = std::make_unique<ConversationView>(m_controller, peerId, titleFor(peerId));
        view = created.get();
        view->setObjectName(QStringLiteral("conversation-%1").arg(peerId));
        m_views.emplace(peerId, std::move(created));
        m_tabs->addTab(view, peerId == kRoomPeerId ? icon(IconName::Room) : QIcon(), view->title());
    }
    m_tabs->setCurrentWidget(view);
    if (isMinimized()) showNormal();
    show();
    raise();
    activateWindow();
    view->focusMessageField();
    reportVisibility();
    return view;
}

ConversationView* ChatWindow::conversationView(quint32 peerId) const {
    const auto it = m_views.find(peerId);
    return it == m_views.end() ? nullptr : it->second.get();
}

ConversationView* ChatWindow::currentView() const { return qobject_cast<ConversationView*>(m_tabs->currentWidget()); }

int ChatWindow::openCount() const { return m_tabs->count(); }

bool ChatWindow::isConversationVisible(quint32 peerId) const {
    const ConversationView* view = currentView();
    return view != nullptr && view->peerId() == peerId && isVisible() && !isMinimized();
}

void ChatWindow::closeView(ConversationView* view) {
    if (view == nullptr) return;
    m_tabs->removeTab(m_tabs->indexOf(view));
    m_views.erase(view->peerId());  // deletes it
    if (m_tabs->count() == 0) hide();
    reportVisibility();
}

void ChatWindow::closeCurrent() {
    ConversationView* view = currentView();
    if (view != nullptr && view->closeFind()) return;  // Esc first closes the find bar
    closeView(view);
}

void ChatWindow::closeAll() {
    while (m_tabs->count() > 0) closeView(qobject_cast<ConversationView*>(m_tabs->widget(0)));
    hide();
}

void ChatWindow::showNext() {
    if (m_tabs->count() > 1) m_tabs->setCurrentIndex((m_tabs->currentIndex() + 1) % m_tabs->count());
}

void ChatWindow::showPrevious() {
    if (m_tabs->count() > 1) m_tabs->setCurrentIndex((m_tabs->currentIndex() + m_tabs->count() - 1) % m_tabs->count());
}

void ChatWindow::onCurrentChanged() {
    if (ConversationView* view = currentView()) {
        setWindowTitle(tr("Parley — %1").arg(view->title()));
        view->focusMessageField();
    }
    reportVisibility();
}

void ChatWindow::onPeerTyping(quint32 peerId, bool typing) {
    if (ConversationView* view = conversationView(peerId)) view->setPeerTyping(typing);
}

void ChatWindow::onMessageReceived(quint32 peerId) {
    // A message ends the "typing" of its writer even if TYPING(false) never comes.
    if (peerId != kRoomPeerId) onPeerTyping(peerId, false);
}

void ChatWindow::reportVisibility() {
    // Read receipts need the user looking: the tab current, the window shown, not
    // minimised AND active (ActivationChange calls again when it becomes active).
    const ConversationView* view = currentView();
    const bool visible = view != nullptr && isConversationVisible(view->peerId()) && isActiveWindow();
    const quint32 peer = view != nullptr ? view->peerId() : 0;
    if (m_reported && (!visible || peer != m_reportedPeer)) {
        m_controller.markConversationVisible(m_reportedPeer, false);
        m_reported = false;
    }
    if (visible && !m_reported) {
        m_controller.markConversationVisible(peer, true);
        m_reportedPeer = peer;
        m_reported = true;
    }
}

void ChatWindow::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::WindowStateChange || event->type() == QEvent::ActivationChange) reportVisibility();
}

void ChatWindow::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    reportVisibility();
}

void ChatWindow::hideEvent(QHideEvent* event) {
    QWidget::hideEvent(event);
    reportVisibility();
}

}  // namespace parley::gui
