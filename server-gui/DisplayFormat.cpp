#include "server-gui/DisplayFormat.h"

#include <QDateTime>

namespace parley::server {

QString formatBytes(std::uint64_t bytes) {
    const double value = static_cast<double>(bytes);
    if (bytes < 1024) return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024) return QStringLiteral("%1 KiB").arg(value / 1024.0, 0, 'f', 1);
    if (bytes < 1024ull * 1024 * 1024) return QStringLiteral("%1 MiB").arg(value / (1024.0 * 1024.0), 0, 'f', 1);
    return QStringLiteral("%1 GiB").arg(value / (1024.0 * 1024.0 * 1024.0), 0, 'f', 2);
}

QString formatTime(std::int64_t unixMs, const QString& never) {
    if (unixMs == 0) return never;
    return QDateTime::fromMSecsSinceEpoch(unixMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

}  // namespace parley::server
