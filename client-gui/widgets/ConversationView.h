#pragma once
// ConversationView: one conversation (a contact, or the room): the history
// (HistoryView), "Bob is typing…", the find bar (Ctrl+F) and the message field
// (Enter sends, Shift+Enter is a new line). One per open conversation, in ChatWindow.
// With a contact (not the room): "Send file…" (the button, Ctrl+O: several files at once),
// files dropped on the conversation and an image pasted into the field are offered to
// the peer; their cards, and the peer's offers, show above the typing line (TransferList).
//
// Object names: messageList, typingLabel, findBar, messageEdit, sendButton, sendFileButton,
// transferList.
//
// Threading: GUI thread only. Sending and the typing notice go to the SessionController.

#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;

namespace parley::gui {

class FileSaveSettings;
class FindBar;
class HistoryView;
class MessageEdit;
class SessionController;
class TransferList;

class ConversationView final : public QWidget {
    Q_OBJECT
public:
    /// `title` is the peer's name as shown ("Bob", "Room").
    ConversationView(SessionController& controller, quint32 peerId, const QString& title, QWidget* parent = nullptr);
    ~ConversationView() override;

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
    /// Offers `paths` to the peer (what the dialog, a drop and a paste end in).
    void sendFiles(const QStringList& paths);
    /// The cards of this conversation (nullptr in the room or before a login).
    TransferList* transferList() const { return m_transferList; }

public slots:
    /// Ctrl+O: the file dialog, several files at once.
    void chooseFiles();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

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
    QPushButton* m_sendFileButton = nullptr;
    std::unique_ptr<FileSaveSettings> m_saveSettings;
    TransferList* m_transferList = nullptr;

    void sendPastedImage(const QImage& image);
};

}  // namespace parley::gui
