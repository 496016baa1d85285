#include "client-gui/widgets/HistoryView.h"

#include "client-gui/core/ConversationModel.h"
#include "client-gui/widgets/MessageDelegate.h"

#include <QIdentityProxyModel>
#include <QScrollBar>

namespace parley::gui {

namespace {

/// The conversation as the base view sees it: no automatic fetchMore().
class NoAutoFetchProxy final : public QIdentityProxyModel {
public:
    using QIdentityProxyModel::QIdentityProxyModel;
    bool canFetchMore(const QModelIndex&) const override { return false; }
    void fetchMore(const QModelIndex&) override {}
};

}  // namespace

HistoryView::HistoryView(ConversationModel& model, bool showSenderNames, QWidget* parent)
    : QListView(parent),
      m_conversation(model),
      m_proxy(new NoAutoFetchProxy(this)),
      m_delegate(new MessageDelegate(showSenderNames, this)) {
    setObjectName(QStringLiteral("messageList"));
    m_proxy->setSourceModel(&m_conversation);
    // Connected before the view's own handlers, which ask for the new sizes.
    connect(m_proxy, &QAbstractItemModel::dataChanged, this, &HistoryView::onDataChanged);
    setModel(m_proxy);
    setItemDelegate(m_delegate);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setResizeMode(QListView::Adjust);  // bubbles re-wrap to the new width
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setFocusPolicy(Qt::ClickFocus);
    setWordWrap(true);
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeInserted, this, &HistoryView::onRowsAboutToBeInserted);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &HistoryView::onRowsInserted);
}

void HistoryView::onDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight) {
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row) m_delegate->forget(m_proxy->index(row, 0));
    scheduleDelayedItemsLayout();  // a bubble's height may have changed
}

bool HistoryView::atNewest() const {
    const QScrollBar* bar = verticalScrollBar();
    return bar->value() >= bar->maximum();
}

void HistoryView::scrollToNewest() {
    if (model()->rowCount() > 0) scrollToBottom();
}

bool HistoryView::fetchOlder() {
    if (!m_conversation.canFetchMore(QModelIndex())) return false;
    m_conversation.fetchMore(QModelIndex());
    return true;
}

void HistoryView::verticalScrollbarValueChanged(int value) {
    // Deliberately not the base class: it would fetch at the bottom.
    if (value == verticalScrollBar()->minimum() && verticalScrollBar()->maximum() > 0) fetchOlder();
}

void HistoryView::resizeEvent(QResizeEvent* event) {
    const bool follow = atNewest();
    QListView::resizeEvent(event);
    if (follow) scrollToNewest();
}

void HistoryView::onRowsAboutToBeInserted(const QModelIndex&, int first, int) {
    const QScrollBar* bar = verticalScrollBar();
    m_followNewest = atNewest();
    m_distanceFromBottom = first == 0 && model()->rowCount() > 0 ? bar->maximum() - bar->value() : -1;
}

void HistoryView::onRowsInserted(const QModelIndex&, int, int) {
    // The layout is redone lazily; do it now so that the scroll range is true.
    doItemsLayout();
    if (m_distanceFromBottom >= 0) {
        verticalScrollBar()->setValue(verticalScrollBar()->maximum() - m_distanceFromBottom);
        m_distanceFromBottom = -1;
    } else if (m_followNewest) {
        scrollToNewest();
    }
}

}  // namespace parley::gui
