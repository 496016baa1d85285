#include "client-gui/widgets/TimeText.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>

namespace parley::gui {

QString clockText(const QTime& time) {
    // Some locales' short format (the C locale's among them) carries seconds.
    QString format = QLocale().timeFormat(QLocale::ShortFormat);
    format.remove(QRegularExpression(QStringLiteral("[:.]ss?")));
    return QLocale().toString(time, format);
}

QString dayText(const QDate& day, const QDate& today) {
    if (day == today) return QCoreApplication::translate("parley::gui::TimeText", "Today");
    if (day == today.addDays(-1)) return QCoreApplication::translate("parley::gui::TimeText", "Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

}  // namespace parley::gui
