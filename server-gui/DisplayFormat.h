#pragma once
// How the server window writes numbers and times (one place for every tab).

#include <QString>

#include <cstdint>

namespace parley::server {

/// "1.5 KiB", "12 B".
QString formatBytes(std::uint64_t bytes);
/// Unix milliseconds as local "yyyy-MM-dd HH:mm:ss"; `never` for 0.
QString formatTime(std::int64_t unixMs, const QString& never = QString());

}  // namespace parley::server
