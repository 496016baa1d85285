#pragma once
// ContactDelegate: one contact-list row: presence dot (or the room's icon), the name,
// the last message's time and preview, and an unread badge. Every row has the same
// height (the view uses uniform item sizes, which keeps 10,000 rows smooth).

#include <QIcon>
#include <QStyledItemDelegate>

namespace parley::gui {

class ContactDelegate final : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit ContactDelegate(QObject* parent = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

private:
    Q_DISABLE_COPY(ContactDelegate)
    QIcon m_roomIcon;
};

}  // namespace parley::gui
