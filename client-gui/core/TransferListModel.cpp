#include "client-gui/core/TransferListModel.h"

#include "shared/text/Printable.h"

#include <cmath>

namespace parley::gui {

namespace {

QString waitingText(const TransferRow& row) {
    using transfer::TransferState;
    const bool out = row.info.direction == transfer::Direction::Outgoing;
    switch (row.info.state) {
    case TransferState::Hashing: return TransferListModel::tr("checking the file");
    case TransferState::Offered:
        return out ? TransferListModel::tr("waiting for %1 to accept").arg(row.peerName)
                   : TransferListModel::tr("%1 offers this file").arg(row.peerName);
    case TransferState::Preparing: return TransferListModel::tr("preparing");
    case TransferState::Active: return out ? TransferListModel::tr("sending") : TransferListModel::tr("receiving");
    case TransferState::Finishing:
        return out ? TransferListModel::tr("waiting for %1 to verify").arg(row.peerName)
                   : TransferListModel::tr("verifying");
    case TransferState::Interrupted:
        return TransferListModel::tr("paused \u2014 %1 or this client offline").arg(row.peerName);
    case TransferState::Finished: break;
    }
    return row.endText;
}

}  // namespace

QString stateText(const TransferRow& row) { return row.finished ? row.endText : waitingText(row); }

bool looksLikeImage(const QString& name) {
    // By name only (the core has no QtGui); the thumbnailer decides whether it decodes.
    const int dot = name.lastIndexOf(QLatin1Char('.'));
    if (dot < 0) {
        return false;
    }
    const QString suffix = name.mid(dot + 1).toLower();
    static const QStringList kImageSuffixes = {QStringLiteral("png"), QStringLiteral("jpg"),  QStringLiteral("jpeg"),
                                               QStringLiteral("gif"), QStringLiteral("webp"), QStringLiteral("bmp")};
    return kImageSuffixes.contains(suffix);
}

TransferListModel::TransferListModel(QObject* parent) : QAbstractListModel(parent) { m_clock.start(); }

int TransferListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_rows.size(); }

QVariant TransferListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_rows.size()) {
        return {};
    }
    const TransferRow& row = m_rows.at(index.row());
    const transfer::TransferInfo& info = row.info;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return QString::fromStdString(text::printable(info.name));
    case NumberRole: return info.number;
    case PeerRole: return info.peer;
    case PeerNameRole: return row.peerName;
    case OutgoingRole: return info.direction == transfer::Direction::Outgoing;
    case SavedNameRole: return row.savedName;
    case SizeRole: return static_cast<qulonglong>(info.size);
    case DoneRole: return static_cast<qulonglong>(info.done);
    case StateRole: return static_cast<int>(info.state);
    case StateTextRole: return stateText(row);
    case SpeedRole: return row.finished ? 0.0 : row.bytesPerSecond;
    case SecondsLeftRole:
        if (row.finished || row.bytesPerSecond <= 0 || info.state != transfer::TransferState::Active) {
            return -1;
        }
        return static_cast<qlonglong>(std::ceil(static_cast<double>(info.size - info.done) / row.bytesPerSecond));
    case FinishedRole: return row.finished;
    case VerifiedRole: return row.verified;
    case PathRole: return row.finalPath;
    case ThumbnailRole: return row.thumbnail;
    case ImageRole: return row.image;
    case AwaitingAnswerRole:
        return !row.finished && info.direction == transfer::Direction::Incoming &&
               info.state == transfer::TransferState::Offered;
    default: return {};
    }
}

QHash<int, QByteArray> TransferListModel::roleNames() const {
    return {{NumberRole, "number"},     {PeerNameRole, "peerName"},   {NameRole, "name"},   {SizeRole, "size"},
            {DoneRole, "done"},         {StateTextRole, "stateText"}, {SpeedRole, "speed"}, {FinishedRole, "finished"},
            {VerifiedRole, "verified"}, {ThumbnailRole, "thumbnail"}};
}

int TransferListModel::rowOf(transfer::TransferNumber number) const {
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).info.number == number) {
            return i;
        }
    }
    return -1;
}

const TransferRow* TransferListModel::row(transfer::TransferNumber number) const {
    const int at = rowOf(number);
    return at < 0 ? nullptr : &m_rows.at(at);
}

void TransferListModel::changed(int row) {
    const QModelIndex at = index(row);
    emit dataChanged(at, at);
}

void TransferListModel::update(const transfer::TransferInfo& info, const QString& peerName) {
    int at = rowOf(info.number);
    if (at < 0) {
        at = m_rows.size();
        beginInsertRows({}, at, at);
        TransferRow row;
        row.info = info;
        row.peerName = peerName;
        row.rateAtMs = m_clock.elapsed();
        row.rateDone = info.done;
        row.image = looksLikeImage(QString::fromStdString(info.name));
        if (info.direction == transfer::Direction::Outgoing) {
            row.finalPath = QString::fromStdString(info.path);
        }
        m_rows.append(row);
        endInsertRows();
        return;
    }
    TransferRow& row = m_rows[at];
    if (row.finished) {
        return;
    }
    const qint64 now = m_clock.elapsed();
    if (info.done < row.rateDone || info.state != transfer::TransferState::Active) {
        row.rateAtMs = now;  // a restart or a pause: measure afresh
        row.rateDone = info.done;
        row.bytesPerSecond = info.state == transfer::TransferState::Active ? row.bytesPerSecond : 0;
    } else if (now - row.rateAtMs >= kRateWindowMs) {
        row.bytesPerSecond =
            static_cast<double>(info.done - row.rateDone) * 1000.0 / static_cast<double>(now - row.rateAtMs);
        row.rateAtMs = now;
        row.rateDone = info.done;
    }
    row.info = info;
    row.peerName = peerName;
    changed(at);
}

void TransferListModel::finish(const transfer::TransferInfo& info, const QString& peerName, bool verified,
                               const QString& endText, const QString& finalPath) {
    update(info, peerName);
    const int at = rowOf(info.number);
    TransferRow& row = m_rows[at];
    row.info = info;
    row.info.state = transfer::TransferState::Finished;
    if (verified) {
        row.info.done = info.size;
    }
    row.finished = true;
    row.verified = verified;
    row.endText = endText;
    row.bytesPerSecond = 0;
    if (!finalPath.isEmpty()) {
        row.finalPath = finalPath;
    }
    changed(at);
}

void TransferListModel::addEnded(quint32 peer, const QString& peerName, const QString& name, const QString& path,
                                 const QString& endText) {
    transfer::TransferInfo info;
    info.number = m_nextEnded--;
    info.direction = transfer::Direction::Outgoing;
    info.peer = peer;
    info.name = name.toStdString();
    info.path = path.toStdString();
    info.state = transfer::TransferState::Finished;
    update(info, peerName);
    finish(info, peerName, false, endText, path);
}

void TransferListModel::setThumbnail(transfer::TransferNumber number, const QString& path) {
    const int at = rowOf(number);
    if (at >= 0) {
        m_rows[at].thumbnail = path;
        m_rows[at].image = !path.isEmpty();
        changed(at);
    }
}

void TransferListModel::setImage(transfer::TransferNumber number, bool image) {
    const int at = rowOf(number);
    if (at >= 0) {
        m_rows[at].image = image;
        changed(at);
    }
}

void TransferListModel::setSavedName(transfer::TransferNumber number, const QString& name) {
    const int at = rowOf(number);
    if (at >= 0 && m_rows.at(at).savedName != name) {
        m_rows[at].savedName = name;
        changed(at);
    }
}

void TransferListModel::clearFinished() {
    for (int i = m_rows.size() - 1; i >= 0; --i) {
        if (m_rows.at(i).finished) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
}

}  // namespace parley::gui
