#include "client-gui/widgets/TransferCard.h"

#include "client-gui/widgets/ImageViewer.h"

#include <QDesktopServices>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMovie>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace parley::gui {

QString sizeText(quint64 bytes) {
    return QLocale().formattedDataSize(static_cast<qint64>(bytes), 1, QLocale::DataSizeTraditionalFormat);
}

QString speedText(double bytesPerSecond, qint64 secondsLeft) {
    if (bytesPerSecond <= 0) {
        return {};
    }
    QString text = TransferCard::tr("%1/s").arg(sizeText(static_cast<quint64>(bytesPerSecond)));
    if (secondsLeft >= 0) {
        text += secondsLeft < 60 ? TransferCard::tr(", %1 s left").arg(secondsLeft)
                                 : TransferCard::tr(", %1 min left").arg((secondsLeft + 59) / 60);
    }
    return text;
}

namespace {

QPushButton* button(const QString& text, const char* name) {
    auto* b = new QPushButton(text);
    b->setObjectName(QString::fromLatin1(name));
    return b;
}

}  // namespace

TransferCard::TransferCard(QWidget* parent)
    : QFrame(parent),
      m_thumbnailLabel(new QLabel),
      m_name(new QLabel),
      m_state(new QLabel),
      m_speed(new QLabel),
      m_progress(new QProgressBar),
      m_accept(button(tr("Accept"), "acceptButton")),
      m_decline(button(tr("Decline"), "declineButton")),
      m_cancel(button(tr("Cancel"), "cancelButton")),
      m_open(button(tr("Open"), "openButton")),
      m_showInFolder(button(tr("Show in folder"), "showInFolderButton")) {
    setFrameShape(QFrame::StyledPanel);
    m_thumbnailLabel->setObjectName(QStringLiteral("transferThumbnail"));
    m_name->setObjectName(QStringLiteral("transferName"));
    m_state->setObjectName(QStringLiteral("transferState"));
    m_speed->setObjectName(QStringLiteral("transferSpeed"));
    m_progress->setObjectName(QStringLiteral("transferProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(m_name->fontMetrics().height());
    m_name->setTextFormat(Qt::PlainText);
    m_state->setTextFormat(Qt::PlainText);
    m_state->setWordWrap(true);
    QFont bold = m_name->font();
    bold.setBold(true);
    m_name->setFont(bold);
    m_thumbnailLabel->hide();
    m_thumbnailLabel->setCursor(Qt::PointingHandCursor);
    m_thumbnailLabel->installEventFilter(this);
    m_name->installEventFilter(this);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_speed, 1);
    for (QPushButton* b : {m_accept, m_decline, m_cancel, m_open, m_showInFolder}) {
        buttons->addWidget(b);
        b->hide();
    }
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(3);
    layout->addWidget(m_thumbnailLabel, 0, Qt::AlignLeft);
    layout->addWidget(m_name);
    layout->addWidget(m_progress);
    layout->addWidget(m_state);
    layout->addLayout(buttons);

    connect(m_accept, &QPushButton::clicked, this, [this] { emit acceptRequested(m_number); });
    connect(m_decline, &QPushButton::clicked, this, [this] { emit declineRequested(m_number); });
    connect(m_cancel, &QPushButton::clicked, this, [this] { emit cancelRequested(m_number); });
    connect(m_open, &QPushButton::clicked, this, &TransferCard::openFile);
    connect(m_showInFolder, &QPushButton::clicked, this, &TransferCard::showInFolder);
}

TransferCard::~TransferCard() = default;

void TransferCard::setRow(const TransferRow& row) {
    const transfer::TransferInfo& info = row.info;
    m_number = info.number;
    setObjectName(QStringLiteral("transferCard-%1").arg(info.number));
    const bool outgoing = info.direction == transfer::Direction::Outgoing;
    const QString offered = QString::fromStdString(info.name);
    const QString shown = !outgoing && !row.savedName.isEmpty() ? row.savedName : offered;
    const QString arrow = outgoing ? tr("to %1").arg(row.peerName) : tr("from %1").arg(row.peerName);
    m_name->setText(tr("%1 \u2014 %2, %3").arg(shown, sizeText(info.size), arrow));
    m_name->setToolTip(!outgoing && shown != offered ? tr("Offered as \u201c%1\u201d").arg(offered) : QString());
    m_state->setText(stateText(row));
    m_progress->setValue(info.size == 0 ? (row.verified ? 1000 : 0) : static_cast<int>(info.done * 1000 / info.size));
    // A bar only while bytes move (or stopped moving): not for an offer, a hash, the end.
    const bool waiting =
        info.state == transfer::TransferState::Hashing || info.state == transfer::TransferState::Offered;
    m_progress->setVisible(!row.finished ? !waiting || info.done > 0 : !row.verified && info.done > 0);
    const qint64 left = info.state == transfer::TransferState::Active && row.bytesPerSecond > 0
                            ? static_cast<qint64>(static_cast<double>(info.size - info.done) / row.bytesPerSecond)
                            : -1;
    m_speed->setText(row.finished ? QString() : speedText(row.bytesPerSecond, left));

    const bool offer = !row.finished && !outgoing && info.state == transfer::TransferState::Offered;
    m_accept->setVisible(offer);
    m_decline->setVisible(offer);
    m_cancel->setVisible(!row.finished && !offer);
    const bool openable = row.finished && row.verified && !row.finalPath.isEmpty();
    m_open->setVisible(openable && !outgoing);
    m_showInFolder->setVisible(openable);
    m_path = row.finalPath;
    showThumbnail(row);
}

void TransferCard::showThumbnail(const TransferRow& row) {
    if (!row.image || row.thumbnail.isEmpty()) {
        m_thumbnailLabel->hide();
        m_thumbnailLabel->clear();
        m_movie.reset();
        m_thumbnail.clear();
        return;
    }
    if (m_thumbnail == row.thumbnail) {
        return;
    }
    m_thumbnail = row.thumbnail;
    const QPixmap still(row.thumbnail);
    if (row.finalPath.endsWith(QLatin1String(".gif"), Qt::CaseInsensitive)) {
        // Animated: the movie plays from the file itself, at the thumbnail's size.
        m_movie = std::make_unique<QMovie>(row.finalPath);
        m_movie->setScaledSize(still.size());
        m_thumbnailLabel->setMovie(m_movie.get());
        m_movie->start();
    } else {
        m_movie.reset();
        m_thumbnailLabel->setPixmap(still);
    }
    m_thumbnailLabel->setToolTip(tr("Click to view"));
    m_thumbnailLabel->show();
}

bool TransferCard::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::MouseButtonRelease && !m_path.isEmpty()) {
        if (watched == m_thumbnailLabel && !m_thumbnail.isEmpty()) {
            ImageViewer::open(m_path, window());
            return true;
        }
        if (watched == m_name && m_open->isVisible()) {
            openFile();
            return true;
        }
    }
    return QFrame::eventFilter(watched, event);
}

void TransferCard::openFile() const { QDesktopServices::openUrl(QUrl::fromLocalFile(m_path)); }

void TransferCard::showInFolder() const {
    QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_path).absolutePath()));
}

}  // namespace parley::gui
