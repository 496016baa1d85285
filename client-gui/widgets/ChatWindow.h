#pragma once
// ChatWindow ("Parley — Bob"): the open conversations as tabs of one window. A
// conversation never opens twice: opening it again brings its tab forward. Esc
// closes the current conversation (the window hides with the last one), Ctrl+Tab
// and Ctrl+Shift+Tab move between them, Ctrl+F finds in the current one, Ctrl+K asks
// for the contact search (searchRequested). The message
// field has the focus whenever a conversation comes forward.
//
// It tells the SessionController which conversation is visible (unread counts
// reset there), and routes "typing" to its conversation.
//
// Object names: chatTabs; each tab is a ConversationView named "conversation-<peerId>".
//
// Threading: GUI thread only.

#include <QWidget>

#include <map>
#include <memory>

class QTabWidget;

namespace parley::gui {

class ConversationView;
class SessionController;

class ChatWindow final : public QWidget {
    Q_OBJECT
public:
    explicit ChatWindow(SessionController& controller, QWidget* parent = nullptr);
    ~ChatWindow() override;

    /// Opens (or brings forward) the conversation with `peerId`, shows and raises the
    /// window, and focuses the message field.
    ConversationView* openConversation(quint32 peerId);
    /// nullptr if it is not open.
    ConversationView* conversationView(quint32 peerId) const;
    ConversationView* currentView() const;
    int openCount() const;
    /// The conversation is the current tab of a shown, not minimised window.
    bool isConversationVisible(quint32 peerId) const;
    /// Closes every conversation and hides the window (logout, kick).
    void closeAll();

signals:
    /// Ctrl+K here: the person wants another conversation.
    void searchRequested();

public slots:
    void closeCurrent();
    void showNext();
    void showPrevious();

protected:
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private slots:
    void onCurrentChanged();
    void onPeerTyping(quint32 peerId, bool typing);
    void onMessageReceived(quint32 peerId);

private:
    QString titleFor(quint32 peerId) const;
    void closeView(ConversationView* view);
    /// Tells the controller which conversation is visible now.
    void reportVisibility();

    Q_DISABLE_COPY(ChatWindow)
    SessionController& m_controller;
    QTabWidget* m_tabs;
    /// Owned here rather than by the tab widget, so that a closed conversation is gone
    /// at once (its model may go with the next login of another account).
    std::map<quint32, std::unique_ptr<ConversationView>> m_views;
    quint32 m_reportedPeer = 0;
    bool m_reported = false;  ///< m_reportedPeer was last reported visible
};

}  // namespace parley::gui
