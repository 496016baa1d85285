#pragma once
// Thumbnails of the images that travel as files: made on a QThreadPool worker (decoding
// and scaling never run on the GUI thread), kept as PNG in the account's thumbnails/
// folder under the file's SHA-256 (made once, found again after a restart), and handed
// to TransferListModel::setThumbnail(). The sender's comes at once from the local file,
// the receiver's once the file is verified. A file that does not decode turns the row
// into a plain file (setImage(false)), nothing more.
//
// One per TransferController (a child of it: ThumbnailCache::of()).
//
// Threading: GUI thread; the workers only read the image and write the PNG.

#include <QObject>
#include <QSet>
#include <QSize>
#include <QString>

namespace parley::gui {

class SessionController;
class TransferController;
class TransferListModel;

class ThumbnailCache final : public QObject {
    Q_OBJECT
public:
    /// Longest side of a thumbnail, in pixels.
    static constexpr int kMaxSide = 240;

    /// The cache of `transfers`, made on first use; thumbnails go under `folder`.
    static ThumbnailCache* of(TransferController& transfers, const QString& folder);
    /// The cache of the logged-in account's transfers, in its thumbnails/ folder (nullptr before a login).
    static ThumbnailCache* of(SessionController& controller);

    ThumbnailCache(TransferController& transfers, const QString& folder);

private:
    void scan(int first, int last);
    void make(quint32 number, const QString& source, const QString& target);
    /// Back on the GUI thread: the thumbnail is at `target`, or the file did not decode.
    void made(quint32 number, const QString& target, bool ok);

    TransferListModel& m_model;
    QString m_folder;
    QSet<quint32> m_asked;  ///< transfer numbers already handed to a worker
};

}  // namespace parley::gui
