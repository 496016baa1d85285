#include "db/SqlConnection.h"

#include "db/SchemaMigrator.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDriver>

#include <algorithm>
#include <atomic>
#include <cassert>

namespace parley::db {

namespace {

const QString kSqliteDriver = QStringLiteral("QSQLITE");
const QString kOdbcDriver = QStringLiteral("QODBC");

// SQLite primary result codes (sqlite3.h); Qt reports them as the native error code,
// possibly extended (low byte = primary code).
constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteReadOnly = 8;
constexpr int kSqliteIoErr = 10;
constexpr int kSqliteFull = 13;
constexpr int kSqliteCantOpen = 14;
constexpr int kSqliteProtocol = 15;

const QFileDevice::Permissions kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

// Creates a new database file empty and for its owner only before SQLite opens it:
// SQLite gives the -wal and -shm files it creates beside it the same permissions.
// An existing file, or ":memory:", is left as it is.
void createOwnerOnly(const QString& path) {
    if (path.isEmpty() || path == QStringLiteral(":memory:") || QFileInfo::exists(path)) return;
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        file.close();
        file.setPermissions(kOwnerOnly);
    }
}

QString nextConnectionName() {
    static std::atomic<unsigned> counter{0};
    return QStringLiteral("parley-db-%1").arg(++counter);
}

std::string describe(const QSqlError& error) {
    QString text = error.databaseText().trimmed();
    const QString driver = error.driverText().trimmed();
    if (!driver.isEmpty() && !text.contains(driver))
        text = text.isEmpty() ? driver : driver + QStringLiteral(": ") + text;
    if (!error.nativeErrorCode().isEmpty()) text += QStringLiteral(" (code %1)").arg(error.nativeErrorCode());
    return text.toStdString();
}

Result unavailable(const QString& context, const std::string& detail) {
    return Result{Status::Unavailable, context.toStdString() + ": " + detail};
}

Result error(const QString& context, const std::string& detail) {
    return Result{Status::Error, context.toStdString() + ": " + detail};
}

}  // namespace

void SqlConnection::prepareProcess() {
    const QSqlDatabase null;  // creates Qt Sql's shared null driver on this thread
    (void)null;
}

SqlConnection::SqlConnection(ConnectionSpec spec, OpenOptions options)
    : m_spec(std::move(spec)), m_options(options), m_name(nextConnectionName()), m_owner(std::this_thread::get_id()) {
    if (m_spec.backend == Backend::Sqlite) m_dialect = Dialect::Sqlite;
    else if (m_spec.dialectHint) m_dialect = *m_spec.dialectHint;
}

SqlConnection::~SqlConnection() {
    assertOwner();
    close();
    const bool added = m_db.isValid();
    m_db = QSqlDatabase();  // the last handle must be gone before removeDatabase()
    if (added) QSqlDatabase::removeDatabase(m_name);
}

void SqlConnection::assertOwner() const {
    assert(std::this_thread::get_id() == m_owner && "a Store is used by one thread only");
}

Result SqlConnection::ensureOpen() {
    assertOwner();
    const auto now = std::chrono::steady_clock::now();
    // A server drops idle connections without telling us; find out before a statement
    // fails on it, so that a quiet night does not cost the first caller an Unavailable.
    if (!m_broken && m_db.isOpen() && m_spec.backend == Backend::Odbc &&
        now - m_lastUse >= std::chrono::seconds(m_options.idleCheckSeconds) && !ping())
        m_broken = true;
    m_lastUse = now;
    if (m_broken) close();
    if (!m_db.isOpen()) {
        Result r = openWithBackoff(now);
        if (!r.ok()) {
            close();
            return r;
        }
    }
    if (m_options.migrate && !m_migrated) {
        Result r = SchemaMigrator(*this).migrate();
        if (!r.ok()) return r;
        m_migrated = true;
    }
    return {};
}

Result SqlConnection::openWithBackoff(std::chrono::steady_clock::time_point now) {
    if (m_backoff.count() > 0 && now < m_nextAttempt) return m_lastOpenFailure;
    ++m_connectAttempts;
    Result r = open();
    if (r.ok()) {
        m_backoff = std::chrono::milliseconds(0);
        return r;
    }
    const std::chrono::milliseconds first(m_options.reconnectFirstMs);
    const std::chrono::milliseconds longest(std::max(m_options.reconnectFirstMs, m_options.reconnectMaxMs));
    m_backoff = m_backoff.count() == 0 ? first : std::min(m_backoff * 2, longest);
    m_nextAttempt = now + m_backoff;
    m_lastOpenFailure = r;
    return r;
}

Result SqlConnection::open() { return m_spec.backend == Backend::Sqlite ? openSqlite() : openOdbc(); }

Result SqlConnection::openSqlite() {
    const QString context = QStringLiteral("opening SQLite database");
    if (!QSqlDatabase::isDriverAvailable(kSqliteDriver))
        return error(context, "the Qt SQL driver QSQLITE is not installed");
    const QString path = QString::fromStdString(m_spec.target);
    const QDir folder = QFileInfo(path).absoluteDir();
    if (!folder.exists()) {
        if (!QDir().mkpath(folder.absolutePath()))
            return unavailable(context, "cannot create the folder " + folder.absolutePath().toStdString());
        QFile::setPermissions(folder.absolutePath(), kOwnerOnly | QFileDevice::ExeOwner);
    }
    createOwnerOnly(path);
    if (!m_db.isValid()) m_db = QSqlDatabase::addDatabase(kSqliteDriver, m_name);
    m_db.setDatabaseName(path);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(m_options.busyTimeoutMs));
    if (!m_db.open()) return unavailable(context + QStringLiteral(" ") + path, describe(m_db.lastError()));

    // WAL: readers and the writer do not block each other, and a commit is one append
    // to the log. Durability of an acknowledged STORED: the commit's WAL frames are
    // written (write(2)) before COMMIT returns, so they survive SIGKILL of this process
    // with NORMAL already; FULL additionally fsyncs the WAL on every commit, so that a
    // power cut or kernel crash cannot roll back a message the sender was told is
    // STORED. The cost is one fsync per commit, hence FULL by default.
    QSqlQuery pragma(m_db);
    pragma.setForwardOnly(true);
    if (!pragma.exec(QStringLiteral("PRAGMA journal_mode=WAL"))) return failure(pragma.lastError(), context);
    pragma.finish();
    const QString sync = m_options.sqliteFullSync ? QStringLiteral("PRAGMA synchronous=FULL")
                                                  : QStringLiteral("PRAGMA synchronous=NORMAL");
    if (!pragma.exec(sync)) return failure(pragma.lastError(), context);
    pragma.finish();
    if (!pragma.exec(QStringLiteral("PRAGMA cache_size=-%1").arg(m_options.sqliteCacheKiB)))
        return failure(pragma.lastError(), context);
    pragma.finish();
    m_dialect = Dialect::Sqlite;
    return {};
}

Result SqlConnection::openOdbc() {
    const QString context = QStringLiteral("connecting through ODBC");
    if (!QSqlDatabase::isDriverAvailable(kOdbcDriver))
        return error(context, "the Qt SQL driver QODBC is not installed");
    if (!m_db.isValid()) m_db = QSqlDatabase::addDatabase(kOdbcDriver, m_name);
    m_db.setDatabaseName(QString::fromStdString(m_spec.target));
    m_db.setConnectOptions(QStringLiteral("SQL_ATTR_LOGIN_TIMEOUT=%1").arg(m_options.connectTimeoutSeconds));
    if (!m_db.open()) return unavailable(context, describe(m_db.lastError()));
    if (m_spec.dialectHint) {
        m_dialect = *m_spec.dialectHint;
        return {};
    }
    ValueResult<Dialect> detected = detectDialect();
    if (!detected.ok()) return detected.result();
    m_dialect = detected.value;
    return {};
}

// Qt recognises MySQL and SQL Server from SQL_DBMS_NAME, but MariaDB Connector/ODBC
// reports "MariaDB", so ask the server: @@VERSION exists in both dialects, VERSION()
// only in MySQL/MariaDB.
ValueResult<Dialect> SqlConnection::detectDialect() {
    switch (m_db.driver()->dbmsType()) {
    case QSqlDriver::MySqlServer: return Dialect::MySql;
    case QSqlDriver::MSSqlServer: return Dialect::MsSql;
    default: break;
    }
    QString version;
    {
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        if (q.exec(QStringLiteral("SELECT @@VERSION")) && q.next()) version = q.value(0).toString();
    }
    if (version.contains(QStringLiteral("Microsoft SQL Server"), Qt::CaseInsensitive) ||
        version.contains(QStringLiteral("Azure SQL"), Qt::CaseInsensitive))
        return Dialect::MsSql;
    if (version.contains(QStringLiteral("MariaDB"), Qt::CaseInsensitive)) return Dialect::MySql;
    {
        QSqlQuery q(m_db);
        q.setForwardOnly(true);
        if (q.exec(QStringLiteral("SELECT VERSION()")) && q.next()) return Dialect::MySql;
    }
    return Result{Status::Error, "cannot tell the SQL dialect of this ODBC data source (@@VERSION: '" +
                                     version.toStdString() +
                                     "'); add Dialect=mysql or Dialect=mssql to the connection string"};
}

void SqlConnection::close() {
    // Statements go first, while their connection handle is still valid.
    for (const auto& statement : qAsConst(m_statements)) {
        if (statement) statement->finish();
    }
    m_statements.clear();
    rollback();
    if (m_db.isOpen()) m_db.close();
    m_broken = false;
}

bool SqlConnection::ping() {
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    const bool alive = q.exec(QStringLiteral("SELECT 1")) && q.next();
    q.finish();
    return alive;
}

Result SqlConnection::failure(const QSqlError& sqlError, const QString& context) {
    const std::string detail = describe(sqlError);
    if (m_broken || !m_db.isOpen()) return unavailable(context, detail);
    bool numeric = false;
    const int code = sqlError.nativeErrorCode().toInt(&numeric);
    // QSQLITE reports every failed step as a ConnectionError (even a UNIQUE violation),
    // so SQLite goes by its result code alone.
    if (m_spec.backend == Backend::Sqlite) {
        switch (numeric ? (code & 0xff) : -1) {
        case kSqliteBusy:
        case kSqliteLocked: return unavailable(context, detail);  // another writer; the connection is fine
        case kSqliteReadOnly:
        case kSqliteIoErr:
        case kSqliteFull:
        case kSqliteCantOpen:
        case kSqliteProtocol: m_broken = true; return unavailable(context, detail);
        default: return error(context, detail);
        }
    }
    if (sqlError.type() == QSqlError::ConnectionError) {
        m_broken = true;
        return unavailable(context, detail);
    }
    // ODBC drivers disagree on codes; whether the link still answers is what counts.
    if (!ping()) {
        m_broken = true;
        return unavailable(context, detail);
    }
    // Lock wait timeout / deadlock: MySQL 1205 and 1213, SQL Server 1205 and 1222.
    if (numeric && (code == 1205 || code == 1213 || code == 1222)) return unavailable(context, detail);
    return error(context, detail);
}

Result SqlConnection::execute(const QString& sql, const QVector<QVariant>& values, QSqlQuery** query) {
    assertOwner();
    *query = nullptr;
    if (m_broken || !m_db.isOpen()) return unavailable(QStringLiteral("database"), "the connection was lost");
    std::shared_ptr<QSqlQuery>& slot = m_statements[sql];
    if (!slot) {
        auto prepared = std::make_shared<QSqlQuery>(m_db);
        prepared->setForwardOnly(true);
        if (!prepared->prepare(sql)) {
            m_statements.remove(sql);
            return failure(prepared->lastError(), QStringLiteral("preparing a statement"));
        }
        slot = std::move(prepared);
    }
    QSqlQuery* q = slot.get();
    for (int i = 0; i < values.size(); ++i) q->bindValue(i, values[i]);
    if (!q->exec()) {
        const QSqlError e = q->lastError();
        q->finish();
        return failure(e, QStringLiteral("executing a statement"));
    }
    *query = q;
    return {};
}

Result SqlConnection::executeOnce(const QString& sql, const QVector<QVariant>& values) {
    assertOwner();
    if (m_broken || !m_db.isOpen()) return unavailable(QStringLiteral("database"), "the connection was lost");
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.prepare(sql)) return failure(q.lastError(), QStringLiteral("preparing a statement"));
    for (int i = 0; i < values.size(); ++i) q.bindValue(i, values[i]);
    if (!q.exec()) return failure(q.lastError(), QStringLiteral("executing a statement"));
    q.finish();
    return {};
}

Result SqlConnection::begin() {
    if (m_broken || !m_db.isOpen()) return unavailable(QStringLiteral("database"), "the connection was lost");
    Result r;
    if (m_dialect == Dialect::Sqlite) r = executeOnce(QStringLiteral("BEGIN IMMEDIATE"));
    else if (!m_db.transaction()) r = failure(m_db.lastError(), QStringLiteral("starting a transaction"));
    m_inTransaction = r.ok();
    return r;
}

Result SqlConnection::commit() {
    if (m_broken || !m_db.isOpen()) {
        rollback();
        return unavailable(QStringLiteral("database"), "the connection was lost");
    }
    Result r;
    if (m_dialect == Dialect::Sqlite) r = executeOnce(QStringLiteral("COMMIT"));
    else if (!m_db.commit()) r = failure(m_db.lastError(), QStringLiteral("committing"));
    // A failed COMMIT (SQLite: busy) leaves the transaction open; do not keep it.
    if (r.ok()) m_inTransaction = false;
    else rollback();
    return r;
}

// Also on a broken connection: an ODBC connection refuses to disconnect while its
// transaction is open, and QODBC switches autocommit back on only here.
void SqlConnection::rollback() {
    if (!m_inTransaction) return;
    m_inTransaction = false;
    if (!m_db.isOpen()) return;
    if (m_dialect == Dialect::Sqlite) {
        QSqlQuery q(m_db);
        q.exec(QStringLiteral("ROLLBACK"));
    } else {
        m_db.rollback();
    }
}

QStringList SqlConnection::tables() const { return m_db.tables(QSql::Tables); }

}  // namespace parley::db
