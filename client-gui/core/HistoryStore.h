#pragma once
// The local history of one account on one server: SQLite through Qt Sql.
//
// Schema (versioned by PRAGMA user_version, migrated step by step at open):
//   message(id PK, peer, sender, message_id, time_ms, text, outgoing, state, reason)
//       one row per message of any conversation; UNIQUE(sender, message_id)
//       drops a re-delivered duplicate; peer = kRoomPeerId for the room.
//   message_fts  FTS5 over message.text (external content), for find(); filled
//       at each commit from the rows above fts_progress.last_row (schema 2).
//   outbox(message_id PK, peer, time_ms, text)
//       own messages the server has not taken yet; restored into the session
//       at the next login so that they go out exactly once.
//   conversation(peer PK, unread)
//
// WAL journal, synchronous=NORMAL: a store survives a client kill.
// If the file cannot be opened (read-only folder, corrupt file) open() returns
// false with errorString(), and the store runs on an in-memory database so
// that the app stays usable (history is then not kept).
//
// Threading: the GUI thread only (one QSqlDatabase connection per store).

#include "client-gui/core/ClientTypes.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVector>
#include <QtGlobal>

#include <memory>

namespace parley::gui {

/// One row of the history as the models need it.
struct StoredMessage {
    qint64 rowId = 0;       ///< local order: oldest first
    quint32 peer = 0;       ///< the conversation (kRoomPeerId for the room)
    quint32 sender = 0;     ///< who wrote it (the own id for outgoing)
    quint64 messageId = 0;  ///< the sender's message id
    qint64 timeMs = 0;      ///< Unix milliseconds
    QString text;
    bool outgoing = false;
    DeliveryState state = DeliveryState::Incoming;
    QString refusedReason;
};

/// An own message still owed to the server.
struct OutboxEntry {
    quint32 peer = 0;  ///< kRoomPeerId for the room
    quint64 messageId = 0;
    qint64 timeMs = 0;
    QString text;
};

/// Per conversation: what the contact list shows.
struct ConversationSummary {
    quint32 peer = 0;
    int unread = 0;
    QString lastText;
    qint64 lastTimeMs = 0;
};

/// An own file offer that has not ended (table pending_file).
struct PendingFile {
    qint64 id = 0;
    quint32 receiver = 0;
    QString path;  ///< the source file
    QString name;  ///< the offered name
    quint64 size = 0;
    QString sha256Hex;  ///< empty until hashed
};

class HistoryStore {
public:
    static constexpr int kSchemaVersion = 3;

    HistoryStore();
    ~HistoryStore();
    HistoryStore(const HistoryStore&) = delete;
    HistoryStore& operator=(const HistoryStore&) = delete;

    /// Opens (creating folders, file and schema as needed) `path`. On failure
    /// returns false, errorString() says why, and an in-memory store is used.
    bool open(const QString& path);
    bool isPersistent() const { return m_persistent; }
    QString errorString() const { return m_error; }
    QString path() const { return m_path; }
    /// The last failed write since open(), empty if none (e.g. the disk became full).
    QString lastWriteError() const { return m_writeError; }
    /// How many writes failed since open(): compare before and after a batch.
    quint64 writeFailures() const { return m_writeFailures; }

    /// Groups many writes into one transaction (the 10,000-message burst).
    /// Nested calls are counted; the outermost commit() writes.
    void begin();
    bool commit();

    /// Stores an incoming message. A duplicate (same sender and id) or a failed
    /// write returns a row with rowId 0.
    StoredMessage addIncoming(quint32 peer, quint32 sender, quint64 messageId, qint64 timeMs, const QString& text);
    /// Stores an own message in the history and the outbox, in one transaction.
    StoredMessage addOutgoing(quint32 peer, quint32 ownId, quint64 messageId, qint64 timeMs, const QString& text);
    /// A state change of an own message. A final state (anything but Sending)
    /// also removes it from the outbox.
    bool setState(quint64 messageId, DeliveryState state, const QString& reason = QString());
    /// The peer read every own message to it up to `upTo` (ACK Read, cumulative).
    bool markRead(quint32 peer, quint64 upTo);
    /// The highest message id `peer` sent in its conversation (0 = none): what a
    /// read receipt for that conversation covers.
    quint64 lastIncomingId(quint32 peer);

    QVector<OutboxEntry> outbox() const;

    /// Files offered to `receiver` and not yet ended (re-offered at the next login).
    /// Returns the row id (0 if the write failed).
    qint64 addPendingFile(quint32 receiver, const QString& path, const QString& name);
    /// The file was hashed: what it must still be when it is offered again.
    bool setPendingFileHash(qint64 id, quint64 size, const QString& sha256Hex);
    bool removePendingFile(qint64 id);
    QVector<PendingFile> pendingFiles() const;
    /// The highest own message id in the store (seeds the session's id generator).
    quint64 maxOwnMessageId() const;

    /// Up to `limit` messages of `peer` with rowId < beforeRowId (0 = the newest),
    /// returned oldest first.
    QVector<StoredMessage> page(quint32 peer, qint64 beforeRowId, int limit) const;
    int count(quint32 peer) const;
    /// Row ids of `peer`'s messages whose text matches `query` (FTS5; every
    /// word as a prefix), oldest first.
    QVector<qint64> find(quint32 peer, const QString& query) const;

    QVector<ConversationSummary> summaries() const;
    void addUnread(quint32 peer, int count);
    void clearUnread(quint32 peer);

private:
    struct Connection;
    bool openAt(const QString& path);
    bool migrate();
    bool exec(const QString& sql);
    QSqlDatabase database() const;
    /// A statement prepared once per connection; bind and exec() it.
    QSqlQuery& prepared(const QString& sql);
    /// Inserts `message` (its rowId set on success; left 0 for an ignored duplicate)
    /// in a transaction of its own unless one is open.
    bool insertMessage(StoredMessage& message, bool ignoreDuplicate);
    bool insertMessageRow(StoredMessage& message, bool ignoreDuplicate);
    /// Adds the rows written in this transaction to message_fts (one statement).
    bool indexNewMessages();
    void noteError(const QString& what, const QString& detail);

    std::unique_ptr<Connection> m_db;
    QString m_path;
    QString m_error;
    QString m_writeError;
    quint64 m_writeFailures = 0;
    QSqlQuery m_unprepared;  ///< what prepared() hands out without a connection
    bool m_persistent = false;
    int m_transactionDepth = 0;
    bool m_unindexedRows = false;  ///< rows added in the open transaction, not yet in message_fts
};

}  // namespace parley::gui
