#pragma once
// HistoryView: a conversation's messages, newest at the bottom, as bubbles
// (MessageDelegate). Scrolling to the top loads the next older page (keeping what
// was on screen where it was); a new message scrolls into view when the view was
// at the bottom, and otherwise leaves the reader where they are.
//
// QAbstractItemView fetches more rows whenever the *last* row is visible, which for
// a history that grows upwards would load every page at once; the model is
// therefore shown through a proxy that hides canFetchMore() from the base class.
//
// Threading: GUI thread only.

#include <QListView>

class QIdentityProxyModel;

namespace parley::gui {

class ConversationModel;
class MessageDelegate;

class HistoryView final : public QListView {
    Q_OBJECT
public:
    HistoryView(ConversationModel& model, bool showSenderNames, QWidget* parent = nullptr);

    /// Rows of the view are rows of the ConversationModel.
    ConversationModel& conversation() const { return m_conversation; }
    /// Loads one older page if there is one (what scrolling to the top does).
    bool fetchOlder();
    void scrollToNewest();
    bool atNewest() const;

protected:
    void verticalScrollbarValueChanged(int value) override;
    void resizeEvent(QResizeEvent* event) override;

private slots:
    void onRowsAboutToBeInserted(const QModelIndex& parent, int first, int last);
    void onRowsInserted(const QModelIndex& parent, int first, int last);
    void onDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight);

private:
    Q_DISABLE_COPY(HistoryView)
    ConversationModel& m_conversation;
    QIdentityProxyModel* m_proxy;
    MessageDelegate* m_delegate;
    bool m_followNewest = true;     ///< at the bottom when rows arrived
    int m_distanceFromBottom = -1;  ///< while an older page is prepended: keep this
};

}  // namespace parley::gui
