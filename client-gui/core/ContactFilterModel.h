#pragma once
// The contact list as shown: the room on top, then online users, then the
// others, each group by display name (case-insensitive); setFilterText()
// keeps the rows whose name or display name contains the text.

#include <QSortFilterProxyModel>
#include <QString>

namespace parley::gui {

class ContactFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ContactFilterModel(QObject* parent = nullptr);

    void setFilterText(const QString& text);
    QString filterText() const { return m_filter; }
    /// The user id of a row of this model (ContactListModel::UserIdRole).
    quint32 userIdAt(int row) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    QString m_filter;
};

}  // namespace parley::gui
