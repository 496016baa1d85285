#pragma once
// Internal to db/ (the only db header with Qt types): one named QSqlDatabase connection.
//
// Ownership and threading: created, used and destroyed in one thread (asserted in debug
// builds); the connection is added under a unique name and removed in the destructor.
// Errors: statement failures are classified by failure() into Unavailable (the database
// cannot be used right now; the connection is marked broken and reopened by the next
// ensureOpen()) or Error.

#include "db/ConnectionString.h"
#include "db/Result.h"
#include "db/Store.h"
#include "platform/Now.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>
#include <QVector>

#include <chrono>
#include <memory>
#include <thread>

namespace parley::db {

/// Now, as the stamps in the rows store it: Unix epoch milliseconds (platform/Now.h).
inline qlonglong sqlNowMs() { return static_cast<qlonglong>(net::wallNowMs()); }

class SqlConnection {
public:
    /// Call once on a long-lived thread (the one that starts the store workers) before
    /// any connection exists on a worker thread. Qt Sql creates its shared "null" driver,
    /// a QObject, on the thread of the first QSqlDatabase ever constructed; if that is a
    /// worker, the driver outlives the worker's thread data and Qt's exit handlers free
    /// it twice (seen as heap corruption at process exit).
    static void prepareProcess();

    SqlConnection(ConnectionSpec spec, OpenOptions options);
    ~SqlConnection();
    SqlConnection(const SqlConnection&) = delete;
    SqlConnection& operator=(const SqlConnection&) = delete;

    /// Call at the start of every store operation: drops a broken connection, connects
    /// when needed (SQLite: creates folders, WAL; ODBC: detects the dialect) and migrates
    /// once when the options ask for it. After a failed connect, Unavailable at once
    /// until the backoff (OpenOptions::reconnectFirstMs, doubling) has passed.
    Result ensureOpen();

    /// Connects tried so far (see Store::connectAttempts).
    std::uint64_t connectAttempts() const { return m_connectAttempts; }

    /// Known after the first successful ensureOpen().
    Dialect dialect() const { return m_dialect; }

    /// Runs `sql` with positional `?` values through a statement prepared once per
    /// connection (forward-only). On success `*query` is the executed statement; keep a
    /// QueryScope on it. Returns Unavailable at once on a broken connection.
    Result execute(const QString& sql, const QVector<QVariant>& values, QSqlQuery** query);

    /// Like execute() for statements run once (DDL): not cached, finished at once.
    Result executeOnce(const QString& sql, const QVector<QVariant>& values = {});

    /// Transactions. SQLite uses BEGIN IMMEDIATE: the write lock is taken up front,
    /// so a read-then-write transaction cannot fail to upgrade its lock later.
    Result begin();
    Result commit();
    void rollback();

    /// Classifies a failed statement (see the file comment); `context` prefixes the text.
    Result failure(const QSqlError& error, const QString& context);

    /// Table names as the driver reports them.
    QStringList tables() const;

private:
    Result open();
    /// open() unless the backoff after the last failure is still running.
    Result openWithBackoff(std::chrono::steady_clock::time_point now);
    Result openSqlite();
    Result openOdbc();
    ValueResult<Dialect> detectDialect();
    bool ping();
    void close();
    void assertOwner() const;

    ConnectionSpec m_spec;
    OpenOptions m_options;
    QString m_name;
    QSqlDatabase m_db;
    Dialect m_dialect = Dialect::Sqlite;
    bool m_broken = false;
    bool m_inTransaction = false;
    bool m_migrated = false;
    std::chrono::steady_clock::time_point m_lastUse;
    std::uint64_t m_connectAttempts = 0;
    std::chrono::milliseconds m_backoff{0};  ///< 0: the last connect (if any) succeeded
    std::chrono::steady_clock::time_point m_nextAttempt;
    Result m_lastOpenFailure;
    std::thread::id m_owner;
    QHash<QString, std::shared_ptr<QSqlQuery>> m_statements;
};

/// Finishes a statement at scope exit: releases its cursor (and SQLite read snapshot).
class QueryScope {
public:
    explicit QueryScope(QSqlQuery* query) : m_query(query) {}
    ~QueryScope() {
        if (m_query) m_query->finish();
    }
    QueryScope(const QueryScope&) = delete;
    QueryScope& operator=(const QueryScope&) = delete;

private:
    QSqlQuery* m_query;
};

/// Rolls back unless committed.
class TransactionScope {
public:
    explicit TransactionScope(SqlConnection& connection) : m_connection(connection) {}
    ~TransactionScope() {
        if (m_open) m_connection.rollback();
    }
    TransactionScope(const TransactionScope&) = delete;
    TransactionScope& operator=(const TransactionScope&) = delete;

    Result begin() {
        Result r = m_connection.begin();
        m_open = r.ok();
        return r;
    }
    Result commit() {
        m_open = false;
        return m_connection.commit();
    }
    void rollback() {
        if (m_open) m_connection.rollback();
        m_open = false;
    }

private:
    SqlConnection& m_connection;
    bool m_open = false;
};

}  // namespace parley::db
