#pragma once
// MessageEdit: the field a message is written in. Enter (or the keypad's Enter) asks to
// send, Shift+Enter starts a new line, as in every messenger. Files dropped or pasted on
// it, and a pasted image, are not text: they are handed on (filesGiven, imagePasted).

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
    /// Local files were dropped or pasted here (to be sent).
    void filesGiven(const QStringList& paths);
    /// An image (not a file) was pasted from the clipboard.
    void imagePasted(const QImage& image);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    bool canInsertFromMimeData(const QMimeData* source) const override;
    void insertFromMimeData(const QMimeData* source) override;

private:
    Q_DISABLE_COPY(MessageEdit)
};

}  // namespace parley::gui
