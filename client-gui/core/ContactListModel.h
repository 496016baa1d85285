#pragma once
// Every user of the server as a row, plus the room's row (first). Fed by the
// SessionController; shown through ContactFilterModel.
//
// Smooth with 10,000 rows: setContacts() is one reset; presence and unread
// changes are dataChanged() of one row, found through an id -> row index.

#include "client-gui/core/ClientTypes.h"

#include <QAbstractListModel>
#include <QHash>
#include <QString>
#include <QVector>

namespace parley::gui {

struct ContactEntry {
    quint32 userId = 0;  ///< kRoomPeerId for the room's row
    QString name;        ///< the login name
    QString displayName;
    bool online = false;
    bool isRoom = false;
    int unread = 0;
    QString lastPreview;
    qint64 lastTimeMs = 0;
};

class ContactListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        UserIdRole = Qt::UserRole + 1,
        NameRole,
        DisplayNameRole,
        OnlineRole,
        UnreadRole,
        LastPreviewRole,
        LastTimeRole,  ///< QDateTime (local), invalid if none
        IsRoomRole,
    };
    Q_ENUM(Role)

    explicit ContactListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    /// Replaces every row (one model reset). Unread and previews of known ids are kept
    /// unless `entries` carry them.
    void setContacts(QVector<ContactEntry> entries);
    /// Inserts or updates one user.
    void upsert(const ContactEntry& entry);
    void setOnline(quint32 userId, bool online);
    void setUnread(quint32 userId, int unread);
    void addUnread(quint32 userId, int count);
    void setLastMessage(quint32 userId, const QString& preview, qint64 timeMs);

    /// -1 if unknown.
    int rowOf(quint32 userId) const;
    const ContactEntry* find(quint32 userId) const;
    int unreadTotal() const;

private:
    void rebuildIndex();
    void changed(int row);

    QVector<ContactEntry> m_rows;
    QHash<quint32, int> m_rowById;
};

}  // namespace parley::gui
