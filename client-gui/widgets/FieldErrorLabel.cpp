#include "client-gui/widgets/FieldErrorLabel.h"

namespace parley::gui {

FieldErrorLabel::FieldErrorLabel(const QString& objectName, QWidget* parent) : QLabel(parent) {
    setObjectName(objectName);
    setWordWrap(true);
    setStyleSheet(QStringLiteral("color: #c62828;"));
    hide();
}

void FieldErrorLabel::setError(const QString& text) {
    setText(text);
    setVisible(!text.isEmpty());
}

}  // namespace parley::gui
