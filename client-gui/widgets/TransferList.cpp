#include "client-gui/widgets/TransferList.h"

#include "client-gui/core/TransferController.h"
#include "client-gui/core/TransferListModel.h"
#include "client-gui/widgets/FileSaveSettings.h"
#include "client-gui/widgets/TransferCard.h"

#include <QFileDialog>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

namespace parley::gui {

TransferList::TransferList(TransferController& transfers, FileSaveSettings& settings, quint32 peer, QWidget* parent)
    : QScrollArea(parent),
      m_transfers(transfers),
      m_settings(settings),
      m_peer(peer),
      m_content(new QWidget),
      m_column(new QVBoxLayout(m_content)) {
    setObjectName(QStringLiteral("transferList"));
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    m_column->setContentsMargins(0, 0, 0, 0);
    m_column->setSpacing(4);
    m_column->addStretch(1);
    setWidget(m_content);
    m_askFolder = [this](const QString& startIn, const QString& fileName) {
        return QFileDialog::getExistingDirectory(this, tr("Save \u201c%1\u201d in").arg(fileName), startIn);
    };
    TransferListModel* model = m_transfers.model();
    connect(model, &QAbstractItemModel::rowsInserted, this, &TransferList::rebuild);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &TransferList::rebuild);
    connect(model, &QAbstractItemModel::modelReset, this, &TransferList::rebuild);
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to) { refresh(from.row(), to.row()); });
    rebuild();
}

void TransferList::setHideWhenEmpty(bool hide) {
    m_hideWhenEmpty = hide;
    setVisible(!m_hideWhenEmpty || !m_cards.isEmpty());
}

QSize TransferList::sizeHint() const {
    // As tall as the cards, up to a few of them or one with a thumbnail (it scrolls beyond).
    const int content = m_content->sizeHint().height();
    return {QScrollArea::sizeHint().width(), std::min(content + 2, kMaxHintHeight)};
}

void TransferList::rebuild() {
    const TransferListModel& model = *m_transfers.model();
    QHash<quint32, TransferCard*> kept;
    int position = 0;
    for (int i = 0; i < model.rowCount(); ++i) {
        const TransferRow& row = model.at(i);
        if (m_peer != 0 && row.info.peer != m_peer) {
            continue;
        }
        TransferCard* card = m_cards.take(row.info.number);
        if (card == nullptr) {
            card = new TransferCard(m_content);
            connect(card, &TransferCard::acceptRequested, this, &TransferList::accept);
            connect(card, &TransferCard::declineRequested, this, [this](quint32 n) { m_transfers.decline(n); });
            connect(card, &TransferCard::cancelRequested, this, [this](quint32 n) { m_transfers.cancel(n); });
        }
        card->setRow(row);
        m_column->insertWidget(position++, card);
        kept.insert(row.info.number, card);
    }
    for (TransferCard* gone : qAsConst(m_cards)) {
        gone->hide();  // its row was cleared; a child of m_content until then
        m_column->removeWidget(gone);
        gone->deleteLater();
    }
    m_cards = kept;
    setVisible(!m_hideWhenEmpty || !m_cards.isEmpty());
    updateGeometry();
    QTimer::singleShot(0, this, [this] { verticalScrollBar()->setValue(verticalScrollBar()->maximum()); });
}

void TransferList::refresh(int first, int last) {
    const TransferListModel& model = *m_transfers.model();
    for (int i = first; i <= last && i < model.rowCount(); ++i) {
        if (TransferCard* card = m_cards.value(model.at(i).info.number)) {
            const int before = card->sizeHint().height();
            card->setRow(model.at(i));
            if (card->sizeHint().height() != before) {
                // A thumbnail came (or went): make room, and keep the newest in view.
                updateGeometry();
                QTimer::singleShot(0, this, [this] { verticalScrollBar()->setValue(verticalScrollBar()->maximum()); });
            }
        }
    }
}

void TransferList::accept(quint32 number) {
    const TransferRow* row = m_transfers.model()->row(number);
    if (row == nullptr) {
        return;
    }
    QString folder;
    if (m_settings.saveWithoutAsking()) {
        folder = m_settings.defaultFolder();
    } else {
        folder = m_askFolder(m_settings.lastFolder(), row->savedName);
        if (folder.isEmpty()) {
            return;  // the dialog was cancelled: the offer stays open
        }
        m_settings.setLastFolder(folder);
    }
    m_transfers.accept(number, folder);
}

}  // namespace parley::gui
