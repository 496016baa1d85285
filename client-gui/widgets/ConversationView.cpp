#include "client-gui/widgets/ConversationView.h"

#include "client-gui/core/ClientTypes.h"
#include "client-gui/core/SessionController.h"
#include "client-gui/core/TransferController.h"
#include "client-gui/widgets/DroppedFiles.h"
#include "client-gui/widgets/FileSaveSettings.h"
#include "client-gui/widgets/FindBar.h"
#include "client-gui/widgets/HistoryView.h"
#include "client-gui/widgets/Icons.h"
#include "client-gui/widgets/MessageEdit.h"
#include "client-gui/widgets/ThumbnailCache.h"
#include "client-gui/widgets/TransferList.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QImage>
#include <QMimeData>
#include <QPointer>
#include <QShortcut>
#include <QThreadPool>

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace parley::gui {

ConversationView::ConversationView(SessionController& controller, quint32 peerId, const QString& title, QWidget* parent)
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
    if (peerId != kRoomPeerId && controller.transfers() != nullptr) {
        m_saveSettings = std::make_unique<FileSaveSettings>(controller.paths());
        ThumbnailCache::of(controller);
        m_transferList = new TransferList(*controller.transfers(), *m_saveSettings, peerId);
        layout->addWidget(m_transferList);
        m_sendFileButton = new QPushButton(tr("Send file\u2026"));
        m_sendFileButton->setObjectName(QStringLiteral("sendFileButton"));
        m_sendFileButton->setToolTip(tr("Send files (Ctrl+O)"));
        writing->insertWidget(1, m_sendFileButton, 0, Qt::AlignBottom);
        connect(m_sendFileButton, &QPushButton::clicked, this, &ConversationView::chooseFiles);
        auto* open = new QShortcut(QKeySequence::Open, this);
        open->setContext(Qt::WidgetWithChildrenShortcut);
        connect(open, &QShortcut::activated, this, &ConversationView::chooseFiles);
        connect(m_messageEdit, &MessageEdit::filesGiven, this, &ConversationView::sendFiles);
        connect(m_messageEdit, &MessageEdit::imagePasted, this, &ConversationView::sendPastedImage);
        setAcceptDrops(true);
    }
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

ConversationView::~ConversationView() = default;

void ConversationView::chooseFiles() {
    if (m_transferList == nullptr) return;
    const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Send files to %1").arg(m_title));
    sendFiles(paths);
}

void ConversationView::sendFiles(const QStringList& paths) {
    TransferController* transfers = m_controller.transfers();
    if (transfers == nullptr || m_transferList == nullptr || paths.isEmpty()) return;
    transfers->sendFiles(m_peerId, paths);
    focusMessageField();
}

void ConversationView::sendPastedImage(const QImage& image) {
    if (image.isNull() || m_transferList == nullptr) return;
    // Written as PNG into the profile on a worker (never on the GUI thread), then sent.
    const QString folder =
        m_controller.paths().accountDir(m_controller.server(), m_controller.ownName()) + QStringLiteral("/pasted");
    const QString path =
        folder + QStringLiteral("/pasted-%1.png")
                     .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss-zzz")));
    QPointer<ConversationView> self(this);
    QThreadPool::globalInstance()->start([self, image, folder, path] {
        const bool ok = QDir().mkpath(folder) && image.save(path, "PNG");
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, path, ok] {
                if (ConversationView* view = self.data(); view && ok) view->sendFiles({path});
            },
            Qt::QueuedConnection);
    });
}

void ConversationView::dragEnterEvent(QDragEnterEvent* event) {
    if (m_transferList != nullptr && !localFiles(event->mimeData()).isEmpty()) {
        event->acceptProposedAction();
    }
}

void ConversationView::dropEvent(QDropEvent* event) {
    const QStringList files = localFiles(event->mimeData());
    if (files.isEmpty()) return;
    event->acceptProposedAction();
    sendFiles(files);
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
