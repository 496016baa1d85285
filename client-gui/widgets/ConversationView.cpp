#include "client-gui/widgets/ConversationView.h"

#include "client-gui/core/ClientTypes.h"
#include "client-gui/core/SessionController.h"
#include "client-gui/widgets/FindBar.h"
#include "client-gui/widgets/HistoryView.h"
#include "client-gui/widgets/Icons.h"
#include "client-gui/widgets/MessageEdit.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace parley::gui {

ConversationView::ConversationView(SessionController& controller, quint32 peerId, const QString& title,
                                   QWidget* parent)
    : QWidget(parent),
      m_controller(controller),
      m_peerId(peerId),
      m_title(title),
      m_history(new HistoryView(*controller.conversation(peerId), peerId == kRoomPeerId)),
      m_typingLabel(new QLabel),
      m_findBar(new FindBar(*m_history)),
      m_messageEdit(new MessageEdit),
      m_sendButton(new QPushButton(icon(IconName::Send), tr("Send"))) {
    m_typingLabel->setObjectName(QStringLiteral("typingLabel"));
    m_messageEdit->setObjectName(QStringLiteral("messageEdit"));
    m_sendButton->setObjectName(QStringLiteral("sendButton"));
    m_sendButton->setToolTip(tr("Send (Enter)"));
    QFont italic = m_typingLabel->font();
    italic.setItalic(true);
    m_typingLabel->setFont(italic);
    m_typingLabel->setMinimumHeight(m_typingLabel->fontMetrics().height());

    const int lineHeight = m_messageEdit->fontMetrics().lineSpacing();
    m_messageEdit->setFixedHeight(3 * lineHeight + 12);
    auto* writing = new QHBoxLayout;
    writing->addWidget(m_messageEdit, 1);
    writing->addWidget(m_sendButton, 0, Qt::AlignBottom);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_findBar);
    layout->addWidget(m_history, 1);
    layout->addWidget(m_typingLabel);
    layout->addLayout(writing);

    connect(m_messageEdit, &MessageEdit::sendRequested, this, &ConversationView::send);
    connect(m_sendButton, &QPushButton::clicked, this, &ConversationView::send);
    if (peerId != kRoomPeerId) {
        connect(m_messageEdit, &MessageEdit::edited, this, [this] { m_controller.setTyping(m_peerId); });
    }
    connect(m_findBar, &FindBar::closed, this, &ConversationView::focusMessageField);
    m_history->scrollToNewest();
}

void ConversationView::focusMessageField() { m_messageEdit->setFocus(Qt::OtherFocusReason); }

void ConversationView::openFind() { m_findBar->open(); }

bool ConversationView::closeFind() {
    if (!m_findBar->isVisible()) return false;
    m_findBar->close();
    return true;
}

void ConversationView::setPeerTyping(bool typing) {
    m_typingLabel->setText(typing ? tr("%1 is typing…").arg(m_title) : QString());
}

void ConversationView::send() {
    const QString text = m_messageEdit->toPlainText();
    if (text.trimmed().isEmpty()) return;
    if (m_controller.sendChat(m_peerId, text)) {
        m_messageEdit->clear();
        m_history->scrollToNewest();
    }
}

}  // namespace parley::gui
