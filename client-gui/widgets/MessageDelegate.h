#pragma once
// MessageDelegate: draws a ConversationModel row as a chat bubble: incoming on the
// left, own messages on the right with their state (sending / stored / delivered /
// read / refused: reason) next to the time, a day separator above the first message
// of each day, and the sender's name in the room.

#include <QStyledItemDelegate>

namespace parley::gui {

class MessageDelegate final : public QStyledItemDelegate {
    Q_OBJECT
public:
    /// `showSenderNames`: the room, where incoming bubbles say who wrote them.
    explicit MessageDelegate(bool showSenderNames, QObject* parent = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    struct Layout;
    Layout layoutFor(const QStyleOptionViewItem& option, const QModelIndex& index) const;

    Q_DISABLE_COPY(MessageDelegate)
    bool m_showSenderNames;
};

}  // namespace parley::gui
