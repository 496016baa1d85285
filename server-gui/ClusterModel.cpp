#include "server-gui/ClusterModel.h"

#include "server-gui/RecordTable.h"

#include <QColor>
#include <QStringList>

#include <algorithm>

namespace parley::server {
namespace {

const QString kNone = QStringLiteral("—");

/// "+12 ms", "-3 ms", "0 ms"; a second or more as "+1.3 s".
QString formatOffset(std::int64_t ms) {
    const QString sign = ms > 0 ? QStringLiteral("+") : ms < 0 ? QStringLiteral("-") : QString();
    const std::uint64_t magnitude = ms < 0 ? 0 - static_cast<std::uint64_t>(ms) : static_cast<std::uint64_t>(ms);
    if (magnitude < 1000) return sign + QStringLiteral("%1 ms").arg(magnitude);
    return sign + QStringLiteral("%1 s").arg(static_cast<double>(magnitude) / 1000.0, 0, 'f', 1);
}

/// "0.4 s ago", "42 s ago", "3 min ago", "2 h ago".
QString formatAgo(std::uint64_t ms) {
    if (ms < 10'000) return ClusterModel::tr("%1 s ago").arg(static_cast<double>(ms) / 1000.0, 0, 'f', 1);
    const std::uint64_t s = ms / 1000;
    if (s < 60) return ClusterModel::tr("%1 s ago").arg(s);
    if (s < 3600) return ClusterModel::tr("%1 min ago").arg(s / 60);
    return ClusterModel::tr("%1 h ago").arg(s / 3600);
}

/// Sorting by State: this node, the healthy, the refused, the silent.
int stateRank(const ClusterMemberView& m) {
    if (m.self) return 0;
    if (!m.alive) return 3;
    return m.compatible ? 1 : 2;
}

QString stateText(const ClusterMemberView& m) {
    switch (stateRank(m)) {
    case 0: return ClusterModel::tr("this node");
    case 1: return ClusterModel::tr("alive");
    case 2: return ClusterModel::tr("incompatible");
    default: return ClusterModel::tr("silent");
    }
}

bool sameNodes(const std::vector<ClusterMemberView>& a, const std::vector<ClusterMemberView>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const ClusterMemberView& x, const ClusterMemberView& y) { return x.node == y.node; });
}

}  // namespace

ClusterModel::ClusterModel(QObject* parent) : QAbstractTableModel(parent) {}

void ClusterModel::setMembers(std::vector<ClusterMemberView> members) {
    std::stable_sort(members.begin(), members.end(), [](const ClusterMemberView& a, const ClusterMemberView& b) {
        if (a.self != b.self) return a.self;
        return a.node < b.node;
    });
    // The usual refresh: the same nodes with new figures.
    if (!m_rows.empty() && sameNodes(m_rows, members)) {
        m_rows = std::move(members);
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = std::move(members);
    endResetModel();
}

int ClusterModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ClusterModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ClusterModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const ClusterMemberView& m = m_rows[static_cast<std::size_t>(index.row())];
    if (role == Qt::TextAlignmentRole)
        return index.column() >= UsersOnline ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role == Qt::ForegroundRole && index.column() == State && stateRank(m) >= 2) return QColor(0xb0, 0x00, 0x20);
    if (role == Qt::ToolTipRole && stateRank(m) == 3)
        return tr("No heartbeat from %1 (last heard %2): its users are shown offline here until it is back.")
            .arg(QString::fromStdString(m.node), formatAgo(m.lastHeardAgoMs));
    if (role != Qt::DisplayRole && role != kSortRole) return {};
    const bool display = role == Qt::DisplayRole;
    switch (index.column()) {
    case Node: return display ? QVariant(QString::fromStdString(m.node)) : QVariant(index.row());
    case State: return display ? QVariant(stateText(m)) : QVariant(stateRank(m));
    case UsersOnline:
        return display ? QVariant(QString::number(m.usersOnline)) : QVariant(static_cast<qulonglong>(m.usersOnline));
    case ClockOffset:
        if (!display) return static_cast<qlonglong>(m.clockOffsetMs);
        return m.self ? kNone : formatOffset(m.clockOffsetMs);
    case LastHeard:
        if (!display) return static_cast<qulonglong>(m.self ? 0 : m.lastHeardAgoMs);
        return m.self ? kNone : formatAgo(m.lastHeardAgoMs);
    default: return {};
    }
}

QVariant ClusterModel::headerData(int section, Qt::Orientation orientation, int role) const {
    static const std::array<const char*, ColumnCount> kTitles = {QT_TR_NOOP("Node"), QT_TR_NOOP("State"),
                                                                 QT_TR_NOOP("Users online"), QT_TR_NOOP("Clock offset"),
                                                                 QT_TR_NOOP("Last heard")};
    return columnTitle(staticMetaObject, kTitles, section, orientation, role);
}

QString clusterSummary(const std::vector<ClusterMemberView>& members) {
    if (members.empty()) return {};
    const auto alive =
        std::count_if(members.begin(), members.end(), [](const ClusterMemberView& m) { return m.alive; });
    return ClusterModel::tr("cluster %1/%2").arg(alive).arg(members.size());
}

QString silentMembers(const std::vector<ClusterMemberView>& members) {
    QStringList names;
    for (const ClusterMemberView& m : members) {
        if (!m.alive) names << QString::fromStdString(m.node);
    }
    return names.join(QStringLiteral(", "));
}

}  // namespace parley::server
