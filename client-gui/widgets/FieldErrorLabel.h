#pragma once
// FieldErrorLabel: the red line under a form field that says what is wrong with it.
// Hidden while there is nothing to say, so that a form without errors stays compact.

#include <QLabel>

namespace parley::gui {

class FieldErrorLabel final : public QLabel {
    Q_OBJECT
public:
    /// `objectName` is the GUI test contract (e.g. "nameError").
    explicit FieldErrorLabel(const QString& objectName, QWidget* parent = nullptr);

    /// Shows `text` (an empty text hides the label).
    void setError(const QString& text);
    void clearError() { setError(QString()); }
    bool hasError() const { return !text().isEmpty(); }

private:
    Q_DISABLE_COPY(FieldErrorLabel)
};

}  // namespace parley::gui
