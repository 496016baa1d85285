#include "client-gui/core/LocalTimeCache.h"

namespace parley::gui {

QDateTime LocalTimeCache::toLocal(qint64 msecsSinceEpoch) const {
    // Floor division: times before 1970 land in the bucket below.
    const qint64 bucket =
        msecsSinceEpoch >= 0 ? msecsSinceEpoch / kBucketMs : -((-msecsSinceEpoch + kBucketMs - 1) / kBucketMs);
    auto found = m_offsetSeconds.constFind(bucket);
    if (found == m_offsetSeconds.constEnd()) {
        if (m_offsetSeconds.size() >= kMaxBuckets) {
            m_offsetSeconds.clear();
        }
        const int offset = QDateTime::fromMSecsSinceEpoch(bucket * kBucketMs).offsetFromUtc();
        found = m_offsetSeconds.insert(bucket, offset);
    }
    return QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::OffsetFromUTC, *found);
}

}  // namespace parley::gui
