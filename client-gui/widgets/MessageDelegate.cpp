#include "client-gui/widgets/MessageDelegate.h"

#include "client-gui/core/ConversationModel.h"
#include "client-gui/widgets/MessageStateText.h"
#include "client-gui/widgets/TimeText.h"

#include <QAbstractItemView>
#include <QDateTime>
#include <QPainter>
#include <QTextLayout>

#include <algorithm>
#include <cmath>

namespace parley::gui {

namespace {

constexpr int kMargin = 8;   // between bubbles and the view's edges
constexpr int kPadding = 8;  // inside a bubble
constexpr int kRadius = 10;
constexpr double kMaxShare = 0.72;  // of the view's width a bubble may take
const QColor kOutgoingFill(0xd8, 0xeb, 0xff);
const QColor kIncomingFill(0xee, 0xee, 0xee);
const QColor kSubtleText(0x70, 0x70, 0x70);
const QColor kRefusedText(0xc6, 0x28, 0x28);

/// A text block of a bubble: wrapped at word boundaries (anywhere in a word longer
/// than the line), the message's newlines kept.
class TextBlock {
public:
    TextBlock(const QString& text, const QFont& font, Qt::Alignment alignment = Qt::AlignLeft)
        : m_layout(QString(text).replace(QLatin1Char('\n'), QChar::LineSeparator), font) {
        QTextOption option(alignment);
        option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
        m_layout.setTextOption(option);
    }

    /// Lays the text out in lines of `width`; the size it takes.
    QSize layOut(int width);
    void draw(QPainter& painter, const QPoint& topLeft) const { m_layout.draw(&painter, topLeft); }

private:
    QTextLayout m_layout;
};

QSize TextBlock::layOut(int width) {
    QTextLayout& layout = m_layout;
    layout.clearLayout();
    layout.beginLayout();
    qreal height = 0;
    qreal widest = 0;
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(width);
        line.setPosition(QPointF(0, height));
        height += line.height();
        widest = std::max(widest, line.naturalTextWidth());
    }
    layout.endLayout();
    return {static_cast<int>(std::ceil(widest)), static_cast<int>(std::ceil(height))};
}

QSize wrappedSize(const QString& text, const QFont& font, int width) { return TextBlock(text, font).layOut(width); }

/// Draws `text` into `rect` with the same line breaks wrappedSize() measured.
void drawBlock(QPainter& painter, const QRect& rect, const QString& text, const QFont& font,
               Qt::Alignment alignment = Qt::AlignLeft) {
    TextBlock block(text, font, alignment);
    block.layOut(rect.width());
    block.draw(painter, rect.topLeft());
}

QFont smaller(QFont font) {
    font.setPointSizeF(font.pointSizeF() * 0.85);
    return font;
}

QFont bold(QFont font) {
    font.setBold(true);
    return font;
}

int viewWidth(const QStyleOptionViewItem& option) {
    if (const auto* view = qobject_cast<const QAbstractItemView*>(option.widget)) {
        return view->viewport()->width();
    }
    return option.rect.width();
}

}  // namespace

struct MessageDelegate::Layout {
    QString separatorText;  // empty: no day separator
    QRect separator;
    QRect bubble;
    QString senderText;  // empty: no sender line
    QRect sender;
    QRect text;
    QRect meta;
    QString metaText;
    bool outgoing = false;
    bool refused = false;
    int height = 0;
};

MessageDelegate::MessageDelegate(bool showSenderNames, QObject* parent)
    : QStyledItemDelegate(parent), m_showSenderNames(showSenderNames) {}

MessageDelegate::Layout MessageDelegate::layoutFor(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    Layout layout;
    const QFont font = option.font;
    const QFontMetrics smallMetrics(smaller(font));
    const QDateTime time = index.data(ConversationModel::TimeRole).toDateTime();
    const auto state = static_cast<DeliveryState>(index.data(ConversationModel::StateRole).toInt());
    layout.outgoing = index.data(ConversationModel::OutgoingRole).toBool();
    layout.refused = state == DeliveryState::Refused;

    int y = 0;
    if (index.data(ConversationModel::DayStartRole).toBool() && time.isValid()) {
        layout.separatorText = dayText(time.date(), QDate::currentDate());
        layout.separator = QRect(0, y, viewWidth(option), smallMetrics.height() + 2 * kPadding);
        y += layout.separator.height();
    }

    const int width = std::max(160, viewWidth(option));
    const int maxText = std::max(80, static_cast<int>(width * kMaxShare) - 2 * kPadding);
    const QString text = index.data(ConversationModel::TextRole).toString();
    const QSize textSize = wrappedSize(text, font, maxText);

    layout.metaText = clockText(time.time());
    if (layout.outgoing) {
        const QString stateText = deliveryStateText(state, index.data(ConversationModel::RefusedReasonRole).toString());
        if (!stateText.isEmpty()) layout.metaText += QStringLiteral(" · ") + stateText;
    }
    const QSize metaSize = wrappedSize(layout.metaText, smaller(font), maxText);

    QSize senderSize;
    if (m_showSenderNames && !layout.outgoing) {
        layout.senderText = index.data(ConversationModel::SenderNameRole).toString();
        senderSize = wrappedSize(layout.senderText, bold(font), maxText);
    }

    const int innerWidth = std::max({textSize.width(), metaSize.width(), senderSize.width()});
    const int innerHeight = senderSize.height() + textSize.height() + 2 + metaSize.height();
    const int bubbleWidth = innerWidth + 2 * kPadding;
    const int left = layout.outgoing ? width - kMargin - bubbleWidth : kMargin;
    layout.bubble = QRect(left, y + kMargin / 2, bubbleWidth, innerHeight + 2 * kPadding);
    const int innerLeft = left + kPadding;
    int innerY = layout.bubble.top() + kPadding;
    if (!layout.senderText.isEmpty()) {
        layout.sender = QRect(innerLeft, innerY, innerWidth, senderSize.height());
        innerY += senderSize.height();
    }
    layout.text = QRect(innerLeft, innerY, innerWidth, textSize.height());
    innerY += textSize.height() + 2;
    layout.meta = QRect(innerLeft, innerY, innerWidth, metaSize.height());
    layout.height = layout.bubble.bottom() + 1 + kMargin / 2;
    return layout;
}

QPair<quint32, quint64> MessageDelegate::keyOf(const QModelIndex& index) {
    return {index.data(ConversationModel::SenderIdRole).toUInt(),
            index.data(ConversationModel::MessageIdRole).toULongLong()};
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    const int width = viewWidth(option);
    CachedSize& cached = m_sizes[keyOf(index)];
    if (cached.size.isEmpty() || cached.width != width) {
        cached = CachedSize{width, QSize(width, layoutFor(option, index).height)};
    }
    return cached.size;
}

void MessageDelegate::forget(const QModelIndex& index) { m_sizes.remove(keyOf(index)); }

void MessageDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    const Layout layout = layoutFor(option, index);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->translate(option.rect.left(), option.rect.top());

    if (!layout.separatorText.isEmpty()) {
        painter->setFont(smaller(option.font));
        painter->setPen(kSubtleText);
        const QRect& line = layout.separator;
        const int textWidth = QFontMetrics(painter->font()).horizontalAdvance(layout.separatorText) + 2 * kPadding;
        const int middle = line.center().y();
        painter->drawLine(kMargin, middle, (line.width() - textWidth) / 2, middle);
        painter->drawLine((line.width() + textWidth) / 2, middle, line.width() - kMargin, middle);
        painter->drawText(line, Qt::AlignCenter, layout.separatorText);
    }

    painter->setPen(option.state & QStyle::State_Selected ? QPen(option.palette.highlight(), 2) : Qt::NoPen);
    painter->setBrush(layout.outgoing ? kOutgoingFill : kIncomingFill);
    painter->drawRoundedRect(layout.bubble, kRadius, kRadius);

    painter->setPen(Qt::black);
    if (!layout.senderText.isEmpty()) drawBlock(*painter, layout.sender, layout.senderText, bold(option.font));
    drawBlock(*painter, layout.text, index.data(ConversationModel::TextRole).toString(), option.font);
    painter->setPen(layout.refused ? kRefusedText : kSubtleText);
    drawBlock(*painter, layout.meta, layout.metaText, smaller(option.font),
              layout.outgoing ? Qt::AlignRight : Qt::AlignLeft);
    painter->restore();
}

}  // namespace parley::gui
