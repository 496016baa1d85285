#include "client-gui/widgets/ThumbnailCache.h"

#include "client-gui/core/SessionController.h"
#include "client-gui/core/TransferController.h"
#include "client-gui/core/TransferListModel.h"
#include "shared/transfer/TransferTypes.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QMetaObject>
#include <QPointer>
#include <QThreadPool>

namespace parley::gui {

namespace {

/// Worker side: the scaled first frame of `source` as PNG at `target`; false if it does not decode.
bool writeThumbnail(const QString& source, const QString& target) {
    if (QFileInfo::exists(target)) {
        return true;  // made before (this run or an earlier one)
    }
    QImageReader reader(source);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid() && (size.width() > ThumbnailCache::kMaxSide || size.height() > ThumbnailCache::kMaxSide)) {
        reader.setScaledSize(size.scaled(ThumbnailCache::kMaxSide, ThumbnailCache::kMaxSide, Qt::KeepAspectRatio));
    }
    QImage image = reader.read();
    if (image.isNull()) {
        return false;
    }
    if (image.width() > ThumbnailCache::kMaxSide || image.height() > ThumbnailCache::kMaxSide) {
        image = image.scaled(ThumbnailCache::kMaxSide, ThumbnailCache::kMaxSide, Qt::KeepAspectRatio,
                             Qt::SmoothTransformation);
    }
    const QString temporary = target + QStringLiteral(".tmp");
    return image.save(temporary, "PNG") && QFile::rename(temporary, target);
}

}  // namespace

ThumbnailCache* ThumbnailCache::of(TransferController& transfers, const QString& folder) {
    if (auto* cache = transfers.findChild<ThumbnailCache*>(QString(), Qt::FindDirectChildrenOnly)) {
        return cache;
    }
    return new ThumbnailCache(transfers, folder);  // owned by `transfers`
}

ThumbnailCache* ThumbnailCache::of(SessionController& controller) {
    TransferController* transfers = controller.transfers();
    if (transfers == nullptr) {
        return nullptr;
    }
    return of(*transfers,
              controller.paths().accountDir(controller.server(), controller.ownName()) + QStringLiteral("/thumbnails"));
}

ThumbnailCache::ThumbnailCache(TransferController& transfers, const QString& folder)
    : QObject(&transfers), m_model(*transfers.model()), m_folder(folder) {
    connect(&m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { scan(first, last); });
    connect(&m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& from, const QModelIndex& to) { scan(from.row(), to.row()); });
    scan(0, m_model.rowCount() - 1);
}

void ThumbnailCache::scan(int first, int last) {
    for (int i = first; i <= last && i < m_model.rowCount(); ++i) {
        const TransferRow& row = m_model.at(i);
        const transfer::TransferInfo& info = row.info;
        const bool outgoing = info.direction == transfer::Direction::Outgoing;
        const bool ready = outgoing ? info.transferId != 0 || row.verified : row.verified;
        if (!row.image || !row.thumbnail.isEmpty() || !ready || m_asked.contains(info.number) ||
            row.finalPath.isEmpty() || (row.finished && !row.verified && !outgoing)) {
            continue;
        }
        m_asked.insert(info.number);
        const QString key = QString::fromStdString(transfer::toHex(info.sha256));
        make(info.number, row.finalPath, m_folder + QLatin1Char('/') + key + QStringLiteral(".png"));
    }
}

void ThumbnailCache::make(quint32 number, const QString& source, const QString& target) {
    QDir().mkpath(m_folder);
    QPointer<ThumbnailCache> self(this);
    QThreadPool::globalInstance()->start([self, number, source, target] {
        const bool ok = writeThumbnail(source, target);
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, number, target, ok] {
                if (ThumbnailCache* cache = self.data()) {
                    cache->made(number, target, ok);
                }
            },
            Qt::QueuedConnection);
    });
}

void ThumbnailCache::made(quint32 number, const QString& target, bool ok) {
    if (ok) {
        m_model.setThumbnail(number, target);
    } else {
        m_model.setImage(number, false);  // not an image after all: a plain file card
    }
}

}  // namespace parley::gui
