#include "client-gui/widgets/TimeText.h"

#include <QCoreApplication>
#include <QLocale>

namespace parley::gui {

QString clockText(const QTime& time) {
    // Some locales' short format (the C locale's among them) carries seconds.
    // Plain removals, no QRegularExpression: this runs for every bubble measured.
    QString format = QLocale().timeFormat(QLocale::ShortFormat);
    for (const char* seconds : {":ss", ".ss", ":s", ".s"}) format.remove(QLatin1String(seconds));
    return QLocale().toString(time, format);
}

QString dayText(const QDate& day, const QDate& today) {
    if (day == today) return QCoreApplication::translate("parley::gui::TimeText", "Today");
    if (day == today.addDays(-1)) return QCoreApplication::translate("parley::gui::TimeText", "Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

}  // namespace parley::gui
