#pragma once
// Every file transfer of the logged-in account, both directions, as the cards show them:
// one row per transfer, kept after it ended (until clearFinished()). Filled by
// TransferController from TransferManager's events; the widgets only read it.
//
// Speed is measured over at least kRateWindowMs so that the figure does not jump with
// every chunk; time left follows from it.
//
// Threading: the GUI thread only.

#include "shared/transfer/TransferTypes.h"

#include <QAbstractListModel>
#include <QElapsedTimer>
#include <QString>
#include <QVector>

namespace parley::gui {

/// One card's content.
struct TransferRow {
    transfer::TransferInfo info;
    QString peerName;
    QString savedName;  ///< incoming: the leaf name the file is (or will be) saved under
    QString finalPath;  ///< verified incoming: the file; outgoing: the source
    bool finished = false;
    bool verified = false;
    QString endText;     ///< how it ended, in words (finished only)
    QString thumbnail;   ///< a cached thumbnail file once made, else empty
    bool image = false;  ///< the name says image and (once checked) Qt decodes it
    qint64 rateAtMs = 0;
    quint64 rateDone = 0;
    double bytesPerSecond = 0;
};

class TransferListModel : public QAbstractListModel {
    Q_OBJECT
public:
    static constexpr qint64 kRateWindowMs = 1000;

    enum Role {
        NumberRole = Qt::UserRole + 1,
        PeerRole,
        PeerNameRole,
        OutgoingRole,
        NameRole,       ///< as offered (printable)
        SavedNameRole,  ///< incoming: as it will be saved
        SizeRole,
        DoneRole,
        StateRole,        ///< transfer::TransferState
        StateTextRole,    ///< the state in words ("waiting for bob to accept", "verified", ...)
        SpeedRole,        ///< bytes per second, 0 if unknown
        SecondsLeftRole,  ///< -1 if unknown
        FinishedRole,
        VerifiedRole,
        PathRole,       ///< verified incoming: the saved file; outgoing: the source
        ThumbnailRole,  ///< path of the cached thumbnail, empty if none
        ImageRole,
        AwaitingAnswerRole,  ///< incoming offer waiting for Accept/Decline
    };

    explicit TransferListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Adds the transfer or updates its row (state, bytes).
    void update(const transfer::TransferInfo& info, const QString& peerName);
    void finish(const transfer::TransferInfo& info, const QString& peerName, bool verified, const QString& endText,
                const QString& finalPath);
    /// A row that is not (or no more) a TransferManager transfer: e.g. a re-offer refused
    /// because the file changed. Its number counts down from the top, never meeting a real one.
    void addEnded(quint32 peer, const QString& peerName, const QString& name, const QString& path,
                  const QString& endText);
    void setThumbnail(transfer::TransferNumber number, const QString& path);
    void setImage(transfer::TransferNumber number, bool image);
    void setSavedName(transfer::TransferNumber number, const QString& name);
    /// Removes the rows of ended transfers.
    void clearFinished();

    int rowOf(transfer::TransferNumber number) const;
    const TransferRow* row(transfer::TransferNumber number) const;
    const TransferRow& at(int row) const { return m_rows.at(row); }

private:
    void changed(int row);

    QVector<TransferRow> m_rows;
    QElapsedTimer m_clock;
    transfer::TransferNumber m_nextEnded = 0xFFFFFFFFu;  ///< numbers for addEnded(), counting down
};

/// The state of `row` in words, as its card says it.
QString stateText(const TransferRow& row);
/// Whether the name looks like an image Qt can show (png, jpg, gif, webp, ...).
bool looksLikeImage(const QString& name);

}  // namespace parley::gui
