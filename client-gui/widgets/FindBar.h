#pragma once
// FindBar: Ctrl+F in a conversation. Searches the whole local history of the
// conversation (ConversationModel::find, SQLite FTS5), selects the newest match and
// steps through the others with Enter (older) and Shift+Enter (newer).
//
// Object names: findBar, findEdit, findStatus.
//
// Threading: GUI thread only.

#include <QVector>
#include <QWidget>

class QLabel;
class QLineEdit;

namespace parley::gui {

class HistoryView;

class FindBar final : public QWidget {
    Q_OBJECT
public:
    explicit FindBar(HistoryView& view, QWidget* parent = nullptr);

    /// Shows the bar with the focus in its field.
    void open();
    /// Hides the bar; the message field gets the focus back (the caller's job).
    void close();
    /// The rows of the last search, oldest first.
    const QVector<int>& matches() const { return m_matches; }

signals:
    void closed();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private slots:
    void search();

private:
    void step(int direction);
    void showMatch();

    Q_DISABLE_COPY(FindBar)
    HistoryView& m_view;
    QLineEdit* m_edit;
    QLabel* m_status;
    QVector<int> m_matches;
    QString m_searched;
    int m_current = -1;
};

}  // namespace parley::gui
