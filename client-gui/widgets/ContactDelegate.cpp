#include "client-gui/widgets/ContactDelegate.h"

#include "client-gui/core/ContactListModel.h"
#include "client-gui/widgets/Icons.h"
#include "client-gui/widgets/TimeText.h"

#include <QApplication>
#include <QDateTime>
#include <QLocale>
#include <QPainter>

#include <algorithm>

namespace parley::gui {

namespace {

constexpr int kPadding = 6;
constexpr int kDot = 10;
constexpr int kLead = 30;  // room for the dot or the room icon
const QColor kOnline(0x2e, 0x9d, 0x4f);
const QColor kOffline(0xb0, 0xb0, 0xb0);
const QColor kBadge(0x1f, 0x5f, 0xae);

/// "12:30" for today, else the short date.
QString timeText(const QDateTime& time) {
    if (!time.isValid()) return {};
    if (time.date() == QDate::currentDate()) return clockText(time.time());
    return QLocale().toString(time.date(), QLocale::ShortFormat);
}

}  // namespace

ContactDelegate::ContactDelegate(QObject* parent) : QStyledItemDelegate(parent), m_roomIcon(icon(IconName::Room)) {}

QSize ContactDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const {
    const QFontMetrics metrics(option.font);
    return {200, 2 * metrics.height() + 3 * kPadding};
}

void ContactDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    background.icon = QIcon();
    const QWidget* widget = option.widget;
    QStyle* style = widget != nullptr ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const bool isRoom = index.data(ContactListModel::IsRoomRole).toBool();
    const bool online = index.data(ContactListModel::OnlineRole).toBool();
    const int unread = index.data(ContactListModel::UnreadRole).toInt();
    QString name = index.data(ContactListModel::DisplayNameRole).toString();
    if (name.isEmpty()) name = index.data(ContactListModel::NameRole).toString();
    const QString preview = index.data(ContactListModel::LastPreviewRole).toString();
    const QString time = timeText(index.data(ContactListModel::LastTimeRole).toDateTime());

    const QRect row = option.rect.adjusted(kPadding, kPadding, -kPadding, -kPadding);
    const QFontMetrics metrics(option.font);
    const int lineHeight = metrics.height();
    const QRect top(row.left() + kLead, row.top(), row.width() - kLead, lineHeight);
    const QRect bottom(top.left(), top.bottom() + 1 + kPadding / 2, top.width(), lineHeight);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    if (isRoom) {
        const int size = std::min(32, 2 * lineHeight);
        m_roomIcon.paint(painter, QRect(row.left(), row.center().y() - size / 2, size - 4, size - 4));
    } else {
        painter->setPen(Qt::NoPen);
        painter->setBrush(online ? kOnline : kOffline);
        painter->drawEllipse(QRect(row.left() + 6, top.center().y() - kDot / 2, kDot, kDot));
    }

    const QColor text = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    QColor subtle = text;
    subtle.setAlphaF(0.6);

    QFont nameFont = option.font;
    nameFont.setBold(true);
    painter->setFont(option.font);
    painter->setPen(subtle);
    const int timeWidth = time.isEmpty() ? 0 : metrics.horizontalAdvance(time) + kPadding;
    painter->drawText(top, Qt::AlignRight | Qt::AlignVCenter, time);

    painter->setFont(nameFont);
    painter->setPen(online || isRoom ? text : subtle);
    const QFontMetrics nameMetrics(nameFont);
    painter->drawText(top.adjusted(0, 0, -timeWidth, 0), Qt::AlignLeft | Qt::AlignVCenter,
                      nameMetrics.elidedText(name, Qt::ElideRight, top.width() - timeWidth));

    int badgeWidth = 0;
    if (unread > 0) {
        const QString count = unread > 999 ? QStringLiteral("999+") : QString::number(unread);
        QFont badgeFont = option.font;
        badgeFont.setBold(true);
        const QFontMetrics badgeMetrics(badgeFont);
        badgeWidth = std::max(lineHeight, badgeMetrics.horizontalAdvance(count) + lineHeight / 2);
        const QRect badge(bottom.right() - badgeWidth + 1, bottom.top(), badgeWidth, lineHeight);
        painter->setPen(Qt::NoPen);
        painter->setBrush(kBadge);
        painter->drawRoundedRect(badge, lineHeight / 2.0, lineHeight / 2.0);
        painter->setPen(Qt::white);
        painter->setFont(badgeFont);
        painter->drawText(badge, Qt::AlignCenter, count);
        badgeWidth += kPadding;
    }
    painter->setFont(option.font);
    painter->setPen(subtle);
    const QString firstLine = preview.section(QLatin1Char('\n'), 0, 0);
    painter->drawText(bottom.adjusted(0, 0, -badgeWidth, 0), Qt::AlignLeft | Qt::AlignVCenter,
                      metrics.elidedText(firstLine, Qt::ElideRight, bottom.width() - badgeWidth));
    painter->restore();
}

}  // namespace parley::gui
