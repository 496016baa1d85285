#pragma once
// One conversation (a peer, or the room) as rows oldest -> newest.
//
// Loads the newest page (kPageSize) from the HistoryStore at once;
// canFetchMore()/fetchMore() prepend older pages as the view scrolls up.
// New messages are appended in batches: append() queues, and the queue is
// flushed as one beginInsertRows on the next event-loop turn (or by
// flushPending()), so that a burst of 10,000 messages costs a few inserts.

#include "client-gui/core/ClientTypes.h"
#include "client-gui/core/HistoryStore.h"
#include "client-gui/core/LocalTimeCache.h"

#include <QAbstractListModel>
#include <QHash>
#include <QVector>

namespace parley::gui {

class ConversationModel : public QAbstractListModel {
    Q_OBJECT
public:
    static constexpr int kPageSize = 100;

    enum Role {
        TextRole = Qt::UserRole + 1,
        OutgoingRole,
        TimeRole,  ///< QDateTime (local)
        SenderNameRole,
        StateRole,  ///< DeliveryState as int
        RefusedReasonRole,
        DayStartRole,   ///< bool: the first message of its (local) day among the loaded rows
        MessageIdRole,  ///< quint64
        SenderIdRole,   ///< quint32
    };
    Q_ENUM(Role)

    /// `store` must outlive the model. Loads the newest page.
    ConversationModel(HistoryStore& store, quint32 peer, QObject* parent = nullptr);

    quint32 peer() const { return m_peer; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    /// Names shown for sender ids (the controller keeps it current).
    void setSenderName(quint32 userId, const QString& name);
    /// The name shown for own messages (also those written before the own id was known).
    void setOwnName(const QString& name);

    /// Queues a stored message for the batched insert.
    void append(const StoredMessage& message);
    /// Inserts what append() queued now.
    void flushPending();
    /// Drops what is loaded or queued and loads the newest page again (after the
    /// store rolled back writes this model had already been given).
    void reload();
    /// An own message's state changed (found among loaded or queued rows).
    void setState(quint64 messageId, DeliveryState state, const QString& reason = QString());
    /// ACK Read: every own message up to `upTo` that was not refused is read.
    void markRead(quint64 upTo);

    /// Rows (of this model) whose text matches `query` (FTS5 over the whole
    /// history: older pages are loaded as far as the oldest match), oldest first.
    QVector<int> find(const QString& query);
    /// -1 if not loaded.
    int rowOfMessage(quint64 messageId) const;

private:
    void loadNewest();
    QString senderName(const StoredMessage& message) const;
    bool isDayStart(int row) const;
    void rebuildIndex();

    HistoryStore& m_store;
    const quint32 m_peer;
    QVector<StoredMessage> m_rows;
    QVector<StoredMessage> m_pending;
    QHash<quint64, int> m_rowByMessageId;  ///< own messages only (state updates)
    QHash<quint32, QString> m_senderNames;
    QString m_ownName;
    LocalTimeCache m_localTime;  ///< TimeRole and DayStartRole of every row, cheaply
    bool m_flushQueued = false;
    bool m_atStart = false;  ///< the oldest stored message is loaded
};

}  // namespace parley::gui
