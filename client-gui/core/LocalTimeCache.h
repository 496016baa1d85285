#pragma once
// LocalTimeCache: Unix milliseconds to local date and time without asking the C
// library for every message. QDateTime's local-time conversion calls tzset(), and
// glibc then stats /etc/localtime each time: during a 10,000-message burst that was
// a quarter of the GUI thread's time. The UTC offset is asked once per quarter
// hour of UTC (every real zone changes its offset on such a boundary) and reused.
//
// Threading: one owner (the GUI thread).

#include <QDateTime>
#include <QHash>
#include <QtGlobal>

namespace parley::gui {

class LocalTimeCache {
public:
    /// The local wall time of `msecsSinceEpoch` (as a fixed-offset QDateTime).
    QDateTime toLocal(qint64 msecsSinceEpoch) const;

private:
    static constexpr qint64 kBucketMs = 15 * 60 * 1000;
    static constexpr int kMaxBuckets = 4096;     ///< beyond this, start again (bounded memory)
    mutable QHash<qint64, int> m_offsetSeconds;  ///< by UTC quarter hour
};

}  // namespace parley::gui
