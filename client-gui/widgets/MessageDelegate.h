#pragma once
// MessageDelegate: draws a ConversationModel row as a chat bubble: incoming on the
// left, own messages on the right with their state (sending / stored / delivered /
// read / refused: reason) next to the time, a day separator above the first message
// of each day, and the sender's name in the room.

#include <QHash>
#include <QPair>
#include <QStyledItemDelegate>

namespace parley::gui {

class MessageDelegate final : public QStyledItemDelegate {
    Q_OBJECT
public:
    /// `showSenderNames`: the room, where incoming bubbles say who wrote them.
    explicit MessageDelegate(bool showSenderNames, QObject* parent = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    /// Cached per message and view width: call forget() when a row's data changes.
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    /// The row's state or day separator changed: measure it again.
    void forget(const QModelIndex& index);

private:
    struct Layout;
    Layout layoutFor(const QStyleOptionViewItem& option, const QModelIndex& index) const;

    /// The view asks for every row's size at each layout: 10,000 rows took 1.35 s of
    /// text layout and local-time conversions without this cache, 0.3 s with one that
    /// still read the state and the day of every row.
    struct CachedSize {
        int width = 0;
        QSize size;
    };
    static QPair<quint32, quint64> keyOf(const QModelIndex& index);

    Q_DISABLE_COPY(MessageDelegate)
    bool m_showSenderNames;
    mutable QHash<QPair<quint32, quint64>, CachedSize> m_sizes;  ///< by (sender, message id)
};

}  // namespace parley::gui
