#pragma once
// How the client writes times: the clock time of a message without seconds, in the
// person's locale, and the day of a conversation's day separator.

#include <QDate>
#include <QString>
#include <QTime>

namespace parley::gui {

/// "14:05" (or "2:05 PM"): the locale's short time format, never with seconds.
QString clockText(const QTime& time);

/// "Today", "Yesterday" or the locale's long date.
QString dayText(const QDate& day, const QDate& today);

}  // namespace parley::gui
