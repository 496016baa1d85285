#include "client-gui/widgets/MessageEdit.h"

#include "client-gui/widgets/DroppedFiles.h"

#include <QImage>
#include <QKeyEvent>
#include <QMimeData>

namespace parley::gui {

MessageEdit::MessageEdit(QWidget* parent) : QPlainTextEdit(parent) {
    setTabChangesFocus(true);
    setPlaceholderText(tr("Write a message (Enter sends, Shift+Enter starts a new line)"));
}

void MessageEdit::keyPressEvent(QKeyEvent* event) {
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
        emit sendRequested();
        return;
    }
    if (enter) {
        // Shift+Enter in QPlainTextEdit inserts a line separator (U+2028); a plain newline
        // is what goes on the wire.
        insertPlainText(QStringLiteral("\n"));
        emit edited();
        return;
    }
    const bool changesText =
        !event->text().isEmpty() || event->key() == Qt::Key_Backspace || event->key() == Qt::Key_Delete;
    QPlainTextEdit::keyPressEvent(event);
    if (changesText) {
        emit edited();
    }
}

bool MessageEdit::canInsertFromMimeData(const QMimeData* source) const {
    return !localFiles(source).isEmpty() || source->hasImage() || QPlainTextEdit::canInsertFromMimeData(source);
}

void MessageEdit::insertFromMimeData(const QMimeData* source) {
    const QStringList files = localFiles(source);
    if (!files.isEmpty()) {
        emit filesGiven(files);
        return;
    }
    if (source->hasImage() && !source->hasText()) {
        emit imagePasted(qvariant_cast<QImage>(source->imageData()));
        return;
    }
    QPlainTextEdit::insertFromMimeData(source);
}

}  // namespace parley::gui
