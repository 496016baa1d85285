#pragma once
// One transfer as a card: the name (incoming: as it will be saved), size, a progress bar,
// speed and time left, the state in words, and the buttons that fit the state: Accept and
// Decline for an offer, Cancel while it runs, Open and "Show in folder" once verified.
// An image shows its thumbnail (an animated GIF plays, QMovie); a click on it opens the
// viewer. Its content comes from one TransferListModel row (setRow()).
//
// Object names: transferCard-<number>; inside: transferName, transferState, transferProgress,
// transferSpeed, acceptButton, declineButton, cancelButton, openButton, showInFolderButton,
// transferThumbnail.
//
// Threading: GUI thread only.

#include "client-gui/core/TransferListModel.h"

#include <QFrame>

#include <memory>

class QLabel;
class QMovie;
class QProgressBar;
class QPushButton;

namespace parley::gui {

class TransferCard final : public QFrame {
    Q_OBJECT
public:
    explicit TransferCard(QWidget* parent = nullptr);
    ~TransferCard() override;

    void setRow(const TransferRow& row);
    quint32 number() const { return m_number; }

signals:
    void acceptRequested(quint32 number);
    void declineRequested(quint32 number);
    void cancelRequested(quint32 number);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void showThumbnail(const TransferRow& row);
    void openFile() const;
    void showInFolder() const;

    quint32 m_number = 0;
    QString m_path;       ///< the finished file (or the source)
    QString m_thumbnail;  ///< what the thumbnail label shows now
    QLabel* m_thumbnailLabel;
    QLabel* m_name;
    QLabel* m_state;
    QLabel* m_speed;
    QProgressBar* m_progress;
    QPushButton* m_accept;
    QPushButton* m_decline;
    QPushButton* m_cancel;
    QPushButton* m_open;
    QPushButton* m_showInFolder;
    std::unique_ptr<QMovie> m_movie;
};

/// "1.5 MiB" (QLocale's data size format).
QString sizeText(quint64 bytes);
/// "2.3 MiB/s, 12 s left" ("" when nothing is known).
QString speedText(double bytesPerSecond, qint64 secondsLeft);

}  // namespace parley::gui
