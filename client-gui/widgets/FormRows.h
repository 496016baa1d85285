#pragma once
// The client's forms put a field's error right under the field (FieldErrorLabel).

class QFormLayout;
class QString;
class QWidget;

namespace parley::gui {

class FieldErrorLabel;

/// Adds "label: field" and, when `error` is given, the error line under the field.
void addFieldRow(QFormLayout& form, const QString& label, QWidget* field, FieldErrorLabel* error);

}  // namespace parley::gui
