#include "client-gui/core/HistoryStore.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

#include <algorithm>
#include <limits>

namespace parley::gui {

namespace {

const QString kDriver = QStringLiteral("QSQLITE");

/// Schema steps: kMigrations[i] takes user_version i to i + 1, one statement per
/// string (QSQLITE runs one statement per exec()).
const QVector<QStringList> kMigrations = {
    {
        QStringLiteral("CREATE TABLE message("
                       "  id INTEGER PRIMARY KEY,"
                       "  peer INTEGER NOT NULL,"
                       "  sender INTEGER NOT NULL,"
                       "  message_id INTEGER NOT NULL,"
                       "  time_ms INTEGER NOT NULL,"
                       "  text TEXT NOT NULL,"
                       "  outgoing INTEGER NOT NULL,"
                       "  state INTEGER NOT NULL,"
                       "  reason TEXT NOT NULL DEFAULT '',"
                       "  UNIQUE(sender, message_id))"),
        QStringLiteral("CREATE INDEX message_by_peer ON message(peer, id)"),
        // State updates name an own message by its id alone.
        QStringLiteral("CREATE INDEX own_message_by_id ON message(message_id) WHERE outgoing = 1"),
        QStringLiteral("CREATE VIRTUAL TABLE message_fts USING fts5(text, content='message', "
                       "content_rowid='id')"),
        QStringLiteral("CREATE TRIGGER message_fts_insert AFTER INSERT ON message BEGIN"
                       "  INSERT INTO message_fts(rowid, text) VALUES (new.id, new.text); END"),
        QStringLiteral("CREATE TRIGGER message_fts_delete AFTER DELETE ON message BEGIN"
                       "  INSERT INTO message_fts(message_fts, rowid, text)"
                       "  VALUES ('delete', old.id, old.text); END"),
        QStringLiteral("CREATE TABLE outbox("
                       "  message_id INTEGER PRIMARY KEY,"
                       "  peer INTEGER NOT NULL,"
                       "  time_ms INTEGER NOT NULL,"
                       "  text TEXT NOT NULL)"),
        QStringLiteral("CREATE TABLE conversation("
                       "  peer INTEGER PRIMARY KEY,"
                       "  unread INTEGER NOT NULL DEFAULT 0)"),
    },
    {
        // The index is filled once per transaction (indexNewMessages()), not by a
        // trigger per row: FTS5 writes its pending terms out at every statement's
        // savepoint, which cost ~60 us per message of a burst.
        QStringLiteral("DROP TRIGGER message_fts_insert"),
        QStringLiteral("CREATE TABLE fts_progress("
                       "  id INTEGER PRIMARY KEY CHECK (id = 1),"
                       "  last_row INTEGER NOT NULL)"),
        QStringLiteral("INSERT INTO fts_progress(id, last_row) SELECT 1, coalesce(max(id), 0) FROM message"),
    },
    {
        // Files this account offered and that have not ended: offered again at the next
        // login (sha256 empty until the file was hashed).
        QStringLiteral("CREATE TABLE pending_file("
                       "  id INTEGER PRIMARY KEY,"
                       "  receiver INTEGER NOT NULL,"
                       "  path TEXT NOT NULL,"
                       "  name TEXT NOT NULL,"
                       "  size INTEGER NOT NULL DEFAULT 0,"
                       "  sha256 TEXT NOT NULL DEFAULT '')"),
    },
};

QString describe(const QSqlError& error) {
    const QString text = error.databaseText().trimmed();
    return text.isEmpty() ? error.driverText().trimmed() : text;
}

/// The FTS5 query for what a person typed: every word must occur, as a prefix.
QString ftsQuery(const QString& typed) {
    QStringList terms;
    const QStringList words = typed.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (QString word : words) {
        word.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        terms << QLatin1Char('"') + word + QStringLiteral("\"*");
    }
    return terms.join(QLatin1Char(' '));
}

StoredMessage readMessage(const QSqlQuery& query) {
    StoredMessage message;
    message.rowId = query.value(0).toLongLong();
    message.peer = query.value(1).toUInt();
    message.sender = query.value(2).toUInt();
    message.messageId = static_cast<quint64>(query.value(3).toLongLong());
    message.timeMs = query.value(4).toLongLong();
    message.text = query.value(5).toString();
    message.outgoing = query.value(6).toBool();
    message.state = static_cast<DeliveryState>(query.value(7).toInt());
    message.refusedReason = query.value(8).toString();
    return message;
}

const QString kMessageColumns = QStringLiteral("id, peer, sender, message_id, time_ms, text, outgoing, state, reason");

}  // namespace

/// One named Qt Sql connection, removed again when the store goes.
struct HistoryStore::Connection {
    explicit Connection(const QString& connectionName)
        : name(connectionName), db(QSqlDatabase::addDatabase(kDriver, connectionName)) {}
    ~Connection() {
        statements.clear();  // before the connection they were prepared on
        db.close();
        db = QSqlDatabase();  // the last handle must be gone before removeDatabase()
        QSqlDatabase::removeDatabase(name);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    QString name;
    QSqlDatabase db;
    /// The statements of the hot paths, prepared once (a burst writes thousands).
    QHash<QString, QSqlQuery> statements;
};

HistoryStore::HistoryStore() = default;
HistoryStore::~HistoryStore() = default;

bool HistoryStore::open(const QString& path) {
    m_path = path;
    m_error.clear();
    m_writeError.clear();
    if (openAt(path)) {
        m_persistent = true;
        return true;
    }
    const QString why = m_error;
    m_persistent = false;
    // Still usable: the session works, history lives until the app quits.
    if (!openAt(QStringLiteral(":memory:"))) {
        m_error = why + QStringLiteral("; ") + m_error;
        return false;
    }
    m_error = why;
    return false;
}

bool HistoryStore::openAt(const QString& path) {
    m_db.reset();
    m_transactionDepth = 0;
    m_unindexedRows = false;
    if (!QSqlDatabase::isDriverAvailable(kDriver)) {
        m_error = QStringLiteral("the Qt SQL driver QSQLITE is not installed");
        return false;
    }
    const bool memory = path == QStringLiteral(":memory:");
    if (!memory) {
        const QDir folder = QFileInfo(path).absoluteDir();
        if (!folder.exists() && !QDir().mkpath(folder.absolutePath())) {
            m_error = QStringLiteral("cannot create the folder %1").arg(folder.absolutePath());
            return false;
        }
    }
    // The address names the connection: unique while this store lives.
    m_db =
        std::make_unique<Connection>(QStringLiteral("parley-history-%1").arg(reinterpret_cast<quintptr>(this), 0, 16));
    m_db->db.setDatabaseName(path);
    if (!m_db->db.open()) {
        m_error = QStringLiteral("cannot open %1: %2").arg(path, describe(m_db->db.lastError()));
        m_db.reset();
        return false;
    }
    // WAL + NORMAL: a commit survives a kill of the client (the WAL is written
    // before COMMIT returns); only a power cut may lose the last commits.
    const bool ok = exec(QStringLiteral("PRAGMA journal_mode=WAL")) &&
                    exec(QStringLiteral("PRAGMA synchronous=NORMAL")) &&
                    exec(QStringLiteral("PRAGMA foreign_keys=ON")) && migrate() &&
                    // A read-only file opens and reads fine: find out now, not at the first message.
                    exec(QStringLiteral("BEGIN IMMEDIATE")) && exec(QStringLiteral("COMMIT"));
    if (!ok) {
        m_error = QStringLiteral("cannot use %1: %2").arg(path, m_error);
        m_db.reset();
        return false;
    }
    return true;
}

QSqlQuery& HistoryStore::prepared(const QString& sql) {
    if (!m_db) {
        m_unprepared = QSqlQuery();  // no connection: exec() fails
        return m_unprepared;
    }
    auto found = m_db->statements.find(sql);
    if (found == m_db->statements.end()) {
        QSqlQuery query(m_db->db);
        query.prepare(sql);
        found = m_db->statements.insert(sql, query);
    }
    return *found;
}

QSqlDatabase HistoryStore::database() const {
    // Without a connection (not opened, no driver) every statement fails cleanly.
    return m_db ? m_db->db : QSqlDatabase();
}

bool HistoryStore::exec(const QString& sql) {
    QSqlQuery query(database());
    if (!query.exec(sql)) {
        m_error = describe(query.lastError());
        return false;
    }
    return true;
}

bool HistoryStore::migrate() {
    QSqlQuery version(database());
    if (!version.exec(QStringLiteral("PRAGMA user_version")) || !version.next()) {
        m_error = describe(version.lastError());
        return false;
    }
    int current = version.value(0).toInt();
    version.finish();
    if (current > kSchemaVersion) {
        m_error = QStringLiteral(
                      "the history was written by a newer Parley (schema %1, this "
                      "version knows %2)")
                      .arg(current)
                      .arg(kSchemaVersion);
        return false;
    }
    for (; current < kSchemaVersion; ++current) {
        if (!exec(QStringLiteral("BEGIN IMMEDIATE"))) {
            return false;
        }
        bool ok = true;
        for (const QString& statement : kMigrations.at(current)) {
            ok = ok && exec(statement);
        }
        ok = ok && exec(QStringLiteral("PRAGMA user_version=%1").arg(current + 1));
        if (!ok || !exec(QStringLiteral("COMMIT"))) {
            const QString why = m_error;
            exec(QStringLiteral("ROLLBACK"));
            m_error = QStringLiteral("schema step %1: %2").arg(current + 1).arg(why);
            return false;
        }
    }
    return true;
}

void HistoryStore::noteError(const QString& what, const QString& detail) {
    m_writeError = what + QStringLiteral(": ") + detail;
    ++m_writeFailures;
}

void HistoryStore::begin() {
    if (m_transactionDepth++ == 0 && !exec(QStringLiteral("BEGIN IMMEDIATE"))) {
        noteError(QStringLiteral("begin"), m_error);
    }
}

bool HistoryStore::commit() {
    if (m_transactionDepth == 0 || --m_transactionDepth > 0) {
        return true;
    }
    if (!indexNewMessages() || !exec(QStringLiteral("COMMIT"))) {
        noteError(QStringLiteral("commit"), m_error);
        exec(QStringLiteral("ROLLBACK"));
        m_unindexedRows = false;  // rolled back with them
        return false;
    }
    return true;
}

bool HistoryStore::indexNewMessages() {
    if (!m_unindexedRows) {
        return true;
    }
    // Message rows are only ever added (ids ascend): what is above last_row is new.
    QSqlQuery& index =
        prepared(QStringLiteral("INSERT INTO message_fts(rowid, text) SELECT id, text FROM message "
                                "WHERE id > (SELECT last_row FROM fts_progress) ORDER BY id"));
    QSqlQuery& progress =
        prepared(QStringLiteral("UPDATE fts_progress SET last_row = (SELECT coalesce(max(id), 0) FROM message)"));
    if (!index.exec() || !progress.exec()) {
        const QSqlError error = index.lastError().isValid() ? index.lastError() : progress.lastError();
        m_error = describe(error);
        noteError(QStringLiteral("indexing messages for find"), m_error);
        return false;
    }
    m_unindexedRows = false;
    return true;
}

bool HistoryStore::insertMessage(StoredMessage& message, bool ignoreDuplicate) {
    // Its own transaction unless inside one: the search index is filled at commit.
    begin();
    const bool ok = insertMessageRow(message, ignoreDuplicate);
    return commit() && ok;
}

bool HistoryStore::insertMessageRow(StoredMessage& message, bool ignoreDuplicate) {
    QSqlQuery& insert = prepared(QStringLiteral("INSERT %1 INTO message(peer, sender, message_id, time_ms, "
                                                "text, outgoing, state) VALUES (?, ?, ?, ?, ?, ?, ?)")
                                     .arg(ignoreDuplicate ? QStringLiteral("OR IGNORE") : QString()));
    insert.addBindValue(message.peer);
    insert.addBindValue(message.sender);
    insert.addBindValue(static_cast<qint64>(message.messageId));
    insert.addBindValue(message.timeMs);
    insert.addBindValue(message.text);
    insert.addBindValue(message.outgoing ? 1 : 0);
    insert.addBindValue(static_cast<int>(message.state));
    if (!insert.exec()) {
        noteError(QStringLiteral("storing a message"), describe(insert.lastError()));
        return false;
    }
    if (insert.numRowsAffected() == 1) {
        message.rowId = insert.lastInsertId().toLongLong();
        m_unindexedRows = true;
    }
    return true;
}

StoredMessage HistoryStore::addIncoming(quint32 peer, quint32 sender, quint64 messageId, qint64 timeMs,
                                        const QString& text) {
    StoredMessage message{0, peer, sender, messageId, timeMs, text, false, DeliveryState::Incoming, {}};
    insertMessage(message, true);  // a duplicate keeps rowId 0
    return message;
}

StoredMessage HistoryStore::addOutgoing(quint32 peer, quint32 ownId, quint64 messageId, qint64 timeMs,
                                        const QString& text) {
    StoredMessage message{0, peer, ownId, messageId, timeMs, text, true, DeliveryState::Sending, {}};
    // History and outbox together, or neither.
    begin();
    QSqlQuery& queue =
        prepared(QStringLiteral("INSERT INTO outbox(message_id, peer, time_ms, text) VALUES (?, ?, ?, ?)"));
    queue.addBindValue(static_cast<qint64>(messageId));
    queue.addBindValue(peer);
    queue.addBindValue(timeMs);
    queue.addBindValue(text);
    if (insertMessage(message, false) && !queue.exec()) {
        noteError(QStringLiteral("storing the outbox"), describe(queue.lastError()));
        message.rowId = 0;
    }
    if (!commit()) {
        message.rowId = 0;
    }
    return message;
}

bool HistoryStore::setState(quint64 messageId, DeliveryState state, const QString& reason) {
    begin();
    // A message already read stays read when its Stored/Delivered ack comes late.
    QSqlQuery& update =
        prepared(QStringLiteral("UPDATE message SET state = ?, reason = ? WHERE outgoing = 1 AND message_id = ? AND "
                                "(state <> ? OR ? NOT IN (?, ?))"));
    update.addBindValue(static_cast<int>(state));
    update.addBindValue(reason.isNull() ? QStringLiteral("") : reason);  // a null QString binds NULL
    update.addBindValue(static_cast<qint64>(messageId));
    update.addBindValue(static_cast<int>(DeliveryState::Read));
    update.addBindValue(static_cast<int>(state));
    update.addBindValue(static_cast<int>(DeliveryState::Stored));
    update.addBindValue(static_cast<int>(DeliveryState::Delivered));
    bool ok = update.exec();
    if (!ok) {
        noteError(QStringLiteral("updating a message"), describe(update.lastError()));
    } else if (state != DeliveryState::Sending) {
        QSqlQuery& remove = prepared(QStringLiteral("DELETE FROM outbox WHERE message_id = ?"));
        remove.addBindValue(static_cast<qint64>(messageId));
        ok = remove.exec();
        if (!ok) {
            noteError(QStringLiteral("updating the outbox"), describe(remove.lastError()));
        }
    }
    return commit() && ok;
}

bool HistoryStore::markRead(quint32 peer, quint64 upTo) {
    begin();
    QSqlQuery& update = prepared(QStringLiteral(
        "UPDATE message SET state = ? WHERE peer = ? AND outgoing = 1 AND message_id <= ? AND state IN (?, ?, ?)"));
    update.addBindValue(static_cast<int>(DeliveryState::Read));
    update.addBindValue(peer);
    update.addBindValue(static_cast<qint64>(upTo));
    update.addBindValue(static_cast<int>(DeliveryState::Sending));
    update.addBindValue(static_cast<int>(DeliveryState::Stored));
    update.addBindValue(static_cast<int>(DeliveryState::Delivered));
    const bool ok = update.exec();
    if (!ok) {
        noteError(QStringLiteral("marking messages read"), describe(update.lastError()));
    }
    return commit() && ok;
}

quint64 HistoryStore::lastIncomingId(quint32 peer) {
    QSqlQuery& query = prepared(QStringLiteral("SELECT MAX(message_id) FROM message WHERE peer = ? AND outgoing = 0"));
    query.addBindValue(peer);
    if (!query.exec() || !query.next()) {
        return 0;
    }
    const quint64 id = static_cast<quint64>(query.value(0).toLongLong());
    query.finish();
    return id;
}

QVector<OutboxEntry> HistoryStore::outbox() const {
    QVector<OutboxEntry> entries;
    QSqlQuery query(database());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT message_id, peer, time_ms, text FROM outbox ORDER BY message_id"))) {
        return entries;
    }
    while (query.next()) {
        OutboxEntry entry;
        entry.messageId = static_cast<quint64>(query.value(0).toLongLong());
        entry.peer = query.value(1).toUInt();
        entry.timeMs = query.value(2).toLongLong();
        entry.text = query.value(3).toString();
        entries.append(entry);
    }
    return entries;
}

qint64 HistoryStore::addPendingFile(quint32 receiver, const QString& path, const QString& name) {
    QSqlQuery& query = prepared(QStringLiteral("INSERT INTO pending_file(receiver, path, name) VALUES (?, ?, ?)"));
    query.addBindValue(receiver);
    query.addBindValue(path);
    query.addBindValue(name);
    if (!query.exec()) {
        noteError(QStringLiteral("pending file"), describe(query.lastError()));
        return 0;
    }
    return query.lastInsertId().toLongLong();
}

bool HistoryStore::setPendingFileHash(qint64 id, quint64 size, const QString& sha256Hex) {
    QSqlQuery& query = prepared(QStringLiteral("UPDATE pending_file SET size = ?, sha256 = ? WHERE id = ?"));
    query.addBindValue(static_cast<qint64>(size));
    query.addBindValue(sha256Hex);
    query.addBindValue(id);
    if (!query.exec()) {
        noteError(QStringLiteral("pending file"), describe(query.lastError()));
        return false;
    }
    return true;
}

bool HistoryStore::removePendingFile(qint64 id) {
    QSqlQuery& query = prepared(QStringLiteral("DELETE FROM pending_file WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec()) {
        noteError(QStringLiteral("pending file"), describe(query.lastError()));
        return false;
    }
    return true;
}

QVector<PendingFile> HistoryStore::pendingFiles() const {
    QVector<PendingFile> files;
    QSqlQuery query(database());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT id, receiver, path, name, size, sha256 FROM pending_file ORDER BY id"))) {
        return files;
    }
    while (query.next()) {
        PendingFile file;
        file.id = query.value(0).toLongLong();
        file.receiver = query.value(1).toUInt();
        file.path = query.value(2).toString();
        file.name = query.value(3).toString();
        file.size = static_cast<quint64>(query.value(4).toLongLong());
        file.sha256Hex = query.value(5).toString();
        files.append(file);
    }
    return files;
}

quint64 HistoryStore::maxOwnMessageId() const {
    QSqlQuery query(database());
    if (!query.exec(QStringLiteral("SELECT COALESCE(MAX(message_id), 0) FROM message WHERE outgoing = 1")) ||
        !query.next()) {
        return 0;
    }
    return static_cast<quint64>(query.value(0).toLongLong());
}

QVector<StoredMessage> HistoryStore::page(quint32 peer, qint64 beforeRowId, int limit) const {
    QVector<StoredMessage> rows;
    QSqlQuery query(database());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT %1 FROM message WHERE peer = ? AND id < ? ORDER BY id DESC LIMIT ?")
                      .arg(kMessageColumns));
    query.addBindValue(peer);
    query.addBindValue(beforeRowId > 0 ? beforeRowId : std::numeric_limits<qint64>::max());
    query.addBindValue(limit);
    if (!query.exec()) {
        return rows;
    }
    while (query.next()) {
        rows.append(readMessage(query));
    }
    std::reverse(rows.begin(), rows.end());
    return rows;
}

int HistoryStore::count(quint32 peer) const {
    QSqlQuery query(database());
    query.prepare(QStringLiteral("SELECT COUNT(*) FROM message WHERE peer = ?"));
    query.addBindValue(peer);
    if (!query.exec() || !query.next()) {
        return 0;
    }
    return query.value(0).toInt();
}

QVector<qint64> HistoryStore::find(quint32 peer, const QString& typed) const {
    QVector<qint64> rows;
    const QString match = ftsQuery(typed);
    if (match.isEmpty()) {
        return rows;
    }
    QSqlQuery query(database());
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral("SELECT m.id FROM message_fts f JOIN message m ON m.id = f.rowid "
                       "WHERE message_fts MATCH ? AND m.peer = ? ORDER BY m.id"));
    query.addBindValue(match);
    query.addBindValue(peer);
    if (!query.exec()) {
        return rows;
    }
    while (query.next()) {
        rows.append(query.value(0).toLongLong());
    }
    return rows;
}

QVector<ConversationSummary> HistoryStore::summaries() const {
    QVector<ConversationSummary> result;
    QSqlQuery query(database());
    query.setForwardOnly(true);
    // The newest message per peer (max id), with the peer's unread count.
    if (!query.exec(QStringLiteral("SELECT m.peer, COALESCE(c.unread, 0), m.text, m.time_ms FROM message m "
                                   "JOIN (SELECT peer, MAX(id) AS last FROM message GROUP BY peer) l ON m.id = l.last "
                                   "LEFT JOIN conversation c ON c.peer = m.peer"))) {
        return result;
    }
    while (query.next()) {
        ConversationSummary summary;
        summary.peer = query.value(0).toUInt();
        summary.unread = query.value(1).toInt();
        summary.lastText = query.value(2).toString();
        summary.lastTimeMs = query.value(3).toLongLong();
        result.append(summary);
    }
    return result;
}

void HistoryStore::addUnread(quint32 peer, int count) {
    QSqlQuery& query =
        prepared(QStringLiteral("INSERT INTO conversation(peer, unread) VALUES (?, ?) "
                                "ON CONFLICT(peer) DO UPDATE SET unread = unread + excluded.unread"));
    query.addBindValue(peer);
    query.addBindValue(count);
    if (!query.exec()) {
        noteError(QStringLiteral("counting unread messages"), describe(query.lastError()));
    }
}

void HistoryStore::clearUnread(quint32 peer) {
    QSqlQuery query(database());
    query.prepare(QStringLiteral("UPDATE conversation SET unread = 0 WHERE peer = ?"));
    query.addBindValue(peer);
    if (!query.exec()) {
        noteError(QStringLiteral("clearing unread messages"), describe(query.lastError()));
    }
}

}  // namespace parley::gui
