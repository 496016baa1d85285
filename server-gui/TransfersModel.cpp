#include "server-gui/TransfersModel.h"

#include "server-gui/DisplayFormat.h"
#include "server-gui/RecordTable.h"

namespace parley::server {
namespace {

QString formatSeconds(double seconds) {
    if (seconds < 0) return QStringLiteral("–");
    const auto s = static_cast<qint64>(seconds + 0.5);
    if (s < 60) return QStringLiteral("%1 s").arg(s);
    if (s < 3600) return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

}  // namespace

TransfersModel::TransfersModel(QObject* parent) : QAbstractTableModel(parent) {}

void TransfersModel::setTransfers(std::vector<Server::TransferRow> rows, std::uint64_t nowMs) {
    beginResetModel();
    m_rows.clear();
    for (Server::TransferRow& transfer : rows) {
        Row row;
        const TransferInfo& t = transfer.info;
        const std::uint64_t until = t.ended() ? t.endedAtMs : nowMs;
        if (t.acceptedAtMs != 0 && until > t.acceptedAtMs) {
            row.bytesPerSecond = static_cast<double>(t.relayed) * 1000.0 / static_cast<double>(until - t.acceptedAtMs);
        }
        const std::uint64_t done = t.startOffset + t.relayed;
        if (!t.ended() && row.bytesPerSecond > 0 && done <= t.size)
            row.secondsLeft = static_cast<double>(t.size - done) / row.bytesPerSecond;
        if (t.state == TransferInfo::State::Verified) row.secondsLeft = 0;
        row.transfer = std::move(transfer);
        m_rows.push_back(std::move(row));
    }
    endResetModel();
}

int TransfersModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TransfersModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TransfersModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const Row& row = m_rows[static_cast<std::size_t>(index.row())];
    const TransferInfo& t = row.transfer.info;
    if (role == kSenderRole) return t.sender;
    if (role == kTransferIdRole) return static_cast<qulonglong>(t.id);
    if (role == kInProgressRole) return !t.ended();
    if (role == Qt::TextAlignmentRole)
        return index.column() >= Size && index.column() <= Resumed ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                                   : QVariant();
    if (role != Qt::DisplayRole && role != kSortRole) return {};
    const bool display = role == Qt::DisplayRole;
    const auto name = [](const std::string& username, proto::UserId id) {
        return username.empty() ? QStringLiteral("user %1").arg(id) : QString::fromStdString(username);
    };
    switch (index.column()) {
    case Route:
        return QStringLiteral("%1 → %2").arg(name(row.transfer.senderName, t.sender),
                                             name(row.transfer.receiverName, t.receiver));
    case File: return QString::fromStdString(t.fileName);
    case Size: return display ? QVariant(formatBytes(t.size)) : QVariant(static_cast<qulonglong>(t.size));
    case Relayed: {
        if (!display) return static_cast<qulonglong>(t.startOffset + t.relayed);
        const int percent = t.size == 0 ? 100 : static_cast<int>((t.startOffset + t.relayed) * 100 / t.size);
        return QStringLiteral("%1 (%2 %)").arg(formatBytes(t.startOffset + t.relayed)).arg(percent);
    }
    case Rate:
        if (!display) return row.bytesPerSecond;
        return t.acceptedAtMs == 0 ? QStringLiteral("–")
                                   : formatBytes(static_cast<std::uint64_t>(row.bytesPerSecond)) + QStringLiteral("/s");
    case TimeLeft: return display ? QVariant(formatSeconds(row.secondsLeft)) : QVariant(row.secondsLeft);
    case Resumed: return display ? QVariant(QString::number(t.resumes)) : QVariant(t.resumes);
    case Result: return t.ended() ? QString::fromStdString(t.result) : QString::fromLatin1(toString(t.state));
    default: return {};
    }
}

QVariant TransfersModel::headerData(int section, Qt::Orientation orientation, int role) const {
    static const std::array<const char*, ColumnCount> kTitles = {
        QT_TR_NOOP("Sender → receiver"), QT_TR_NOOP("File"),  QT_TR_NOOP("Size"),
        QT_TR_NOOP("Relayed"),           QT_TR_NOOP("Rate"),  QT_TR_NOOP("Time left"),
        QT_TR_NOOP("Resumed"),           QT_TR_NOOP("Result")};
    return columnTitle(staticMetaObject, kTitles, section, orientation, role);
}

}  // namespace parley::server
