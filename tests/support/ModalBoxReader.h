#pragma once
// Reads a modal QMessageBox that the next action opens (an About box, a
// question) and closes it: the box runs its own event loop, so the reading is
// queued on the current one before the action is triggered.
//
//   ModalBoxReader box;
//   aboutAction->trigger();
//   BOOST_TEST(box.title().startsWith("Parley"));

#include <QApplication>
#include <QMessageBox>
#include <QString>
#include <QTimer>

namespace parley::test {

class ModalBoxReader {
public:
    ModalBoxReader() {
        QTimer::singleShot(0, [this] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                m_title = box->windowTitle();
                m_text = box->text();
                box->accept();
            }
        });
    }
    const QString& title() const { return m_title; }
    const QString& text() const { return m_text; }

private:
    QString m_title;
    QString m_text;
};

}  // namespace parley::test
