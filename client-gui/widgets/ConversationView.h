#pragma once
// ConversationView: one conversation (a contact, or the room): the history
// (HistoryView), "Bob is typing…", the find bar (Ctrl+F) and the message field
// (Enter sends, Shift+Enter is a new line). One per open conversation, in ChatWindow.
//
// Object names: messageList, typingLabel, findBar, messageEdit, sendButton.
//
// Threading: GUI thread only. Sending and the typing notice go to the SessionController.

#include <QWidget>

class QLabel;
class QPushButton;

namespace parley::gui {

class FindBar;
class HistoryView;
class MessageEdit;
class SessionController;

class ConversationView final : public QWidget {
    Q_OBJECT
public:
    /// `title` is the peer's name as shown ("Bob", "Room").
    ConversationView(SessionController& controller, quint32 peerId, const QString& title,
                     QWidget* parent = nullptr);

    quint32 peerId() const { return m_peerId; }
    const QString& title() const { return m_title; }
    HistoryView& history() const { return *m_history; }

    /// Puts the focus in the message field.
    void focusMessageField();
    /// Ctrl+F.
    void openFind();
    /// Esc: closes the find bar if it is open; false if there was nothing to close.
    bool closeFind();
    void setPeerTyping(bool typing);

private slots:
    void send();

private:
    Q_DISABLE_COPY(ConversationView)
    SessionController& m_controller;
    const quint32 m_peerId;
    const QString m_title;
    HistoryView* m_history;
    QLabel* m_typingLabel;
    FindBar* m_findBar;
    MessageEdit* m_messageEdit;
    QPushButton* m_sendButton;
};

}  // namespace parley::gui
