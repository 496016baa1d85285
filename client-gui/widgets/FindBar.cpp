#include "client-gui/widgets/FindBar.h"

#include "client-gui/core/ConversationModel.h"
#include "client-gui/widgets/HistoryView.h"
#include "client-gui/widgets/Icons.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>

namespace parley::gui {

FindBar::FindBar(HistoryView& view, QWidget* parent)
    : QWidget(parent), m_view(view), m_edit(new QLineEdit), m_status(new QLabel) {
    setObjectName(QStringLiteral("findBar"));
    m_edit->setObjectName(QStringLiteral("findEdit"));
    m_status->setObjectName(QStringLiteral("findStatus"));
    m_edit->setPlaceholderText(tr("Find in this conversation"));
    m_edit->setClearButtonEnabled(true);
    m_edit->addAction(icon(IconName::Find), QLineEdit::LeadingPosition);
    m_edit->installEventFilter(this);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_status);
    hide();
}

void FindBar::open() {
    show();
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

void FindBar::close() {
    hide();
    m_status->clear();
    emit closed();
}

bool FindBar::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (m_edit->text() != m_searched) {
                search();
            } else {
                step(key->modifiers() & Qt::ShiftModifier ? +1 : -1);
            }
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void FindBar::search() {
    m_searched = m_edit->text();
    m_matches = m_searched.trimmed().isEmpty() ? QVector<int>() : m_view.conversation().find(m_searched);
    m_current = m_matches.size() - 1;  // the newest first
    showMatch();
}

void FindBar::step(int direction) {
    if (m_matches.isEmpty()) return;
    m_current = (m_current + direction + m_matches.size()) % m_matches.size();
    showMatch();
}

void FindBar::showMatch() {
    if (m_matches.isEmpty()) {
        m_status->setText(m_searched.trimmed().isEmpty() ? QString() : tr("not found"));
        m_view.clearSelection();
        return;
    }
    // find() may have loaded older pages: rows are current model rows.
    const QModelIndex index = m_view.model()->index(m_matches[m_current], 0);
    m_view.setCurrentIndex(index);
    m_view.scrollTo(index, QAbstractItemView::PositionAtCenter);
    m_status->setText(tr("%1 of %2").arg(m_current + 1).arg(m_matches.size()));
}

}  // namespace parley::gui
