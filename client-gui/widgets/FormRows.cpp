#include "client-gui/widgets/FormRows.h"

#include "client-gui/widgets/FieldErrorLabel.h"

#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace parley::gui {

void addFieldRow(QFormLayout& form, const QString& label, QWidget* field, FieldErrorLabel* error) {
    if (error == nullptr) {
        form.addRow(label, field);
        return;
    }
    auto* column = new QVBoxLayout;
    column->setSpacing(2);
    column->addWidget(field);
    column->addWidget(error);
    form.addRow(label, column);
    // A layout cannot be a buddy: the label's shortcut (&Server) focuses the field.
    if (auto* text = qobject_cast<QLabel*>(form.labelForField(column))) text->setBuddy(field);
}

}  // namespace parley::gui
