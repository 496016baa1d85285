#pragma once
// MessageEdit: the field a message is written in. Enter (or the keypad's Enter) asks to
// send, Shift+Enter starts a new line, as in every messenger.

#include <QPlainTextEdit>

namespace parley::gui {

class MessageEdit final : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit MessageEdit(QWidget* parent = nullptr);

signals:
    /// Enter was pressed; the text is still in the field (the receiver clears it).
    void sendRequested();
    /// The person changed the text (typed or deleted), for the typing indicator.
    void edited();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    Q_DISABLE_COPY(MessageEdit)
};

}  // namespace parley::gui
