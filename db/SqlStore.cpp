#include "db/SqlStore.h"

#include "db/LoginToken.h"
#include "db/SchemaMigrator.h"
#include "db/SqlConnection.h"
#include "db/UsernameKey.h"

#include <QByteArray>
#include <QString>

#include <algorithm>
#include <climits>
#include <cstring>

namespace parley::db {

namespace {

// --- statements (positional '?' only; QODBC binds by position) -------------------------

// Users with their status row, if any (LEFT JOIN: no row means enabled, never logged in).
const QString kUserColumns = QStringLiteral(
    "u.id, u.username, u.display_name, u.password_hash, u.password_salt, u.password_iterations, "
    "u.created_at, COALESCE(s.last_login_at, 0), COALESCE(s.disabled, 0) "
    "FROM users u LEFT JOIN user_status s ON s.user_id = u.id");
const QString kInsertUser = QStringLiteral(
    "INSERT INTO users (username, username_key, display_name, password_hash, password_salt, "
    "password_iterations, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
const QString kUserIdByKey = QStringLiteral("SELECT id FROM users WHERE username_key = ?");
const QString kUserById = QStringLiteral("SELECT id FROM users WHERE id = ?");
const QString kFindUserByKey = QStringLiteral("SELECT ") + kUserColumns + QStringLiteral(" WHERE u.username_key = ?");
const QString kFindUserById = QStringLiteral("SELECT ") + kUserColumns + QStringLiteral(" WHERE u.id = ?");
const QString kListUsers = QStringLiteral(
    "SELECT u.id, u.username, u.display_name, u.created_at, COALESCE(s.last_login_at, 0), "
    "COALESCE(s.disabled, 0) FROM users u LEFT JOIN user_status s ON s.user_id = u.id ORDER BY u.id");
const QString kStatusById = QStringLiteral("SELECT user_id FROM user_status WHERE user_id = ?");
const QString kInsertStatus =
    QStringLiteral("INSERT INTO user_status (user_id, disabled, last_login_at) VALUES (?, ?, ?)");
const QString kSetDisabled = QStringLiteral("UPDATE user_status SET disabled = ? WHERE user_id = ?");
const QString kSetLastLogin = QStringLiteral("UPDATE user_status SET last_login_at = ? WHERE user_id = ?");
const QString kSetPassword = QStringLiteral(
    "UPDATE users SET password_hash = ?, password_salt = ?, password_iterations = ? "
    "WHERE id = ?");

const QString kInsertOffline = QStringLiteral(
    "INSERT INTO offline_messages (recipient_id, sender_id, message_id, message_type, "
    "created_at, payload) VALUES (?, ?, ?, ?, ?, ?)");
const QString kOfflineByKey = QStringLiteral(
    "SELECT seq FROM offline_messages WHERE recipient_id = ? AND sender_id = ? "
    "AND message_id = ?");
const QString kOfflineColumns = QStringLiteral("seq, sender_id, message_id, message_type, created_at, payload");
// Per sender, message ids increase in send order, so ordering by unsigned
// message id (then sender) delivers each conversation in order, even for
// messages handed to the store out of order (a connection's unacknowledged
// in-flight messages are stored when it closes). Ids are u64 kept as signed
// BIGINT: ids from 2^63 up are negative and must sort after the rest.
const QString kPendingOrder = QStringLiteral("CASE WHEN message_id < 0 THEN 1 ELSE 0 END, message_id, sender_id, seq");
const QString kPendingLimit = QStringLiteral("SELECT ") + kOfflineColumns +
                              QStringLiteral(" FROM offline_messages WHERE recipient_id = ? ORDER BY ") +
                              kPendingOrder + QStringLiteral(" LIMIT ?");
const QString kPendingTop = QStringLiteral("SELECT TOP (?) ") + kOfflineColumns +
                            QStringLiteral(" FROM offline_messages WHERE recipient_id = ? ORDER BY ") + kPendingOrder;
// Message ids are u64 stored as the same bits in a signed BIGINT, so "id <= upTo" in
// unsigned terms needs two forms: ids from 2^63 up are the negative values.
const QString kRemoveUpToLow = QStringLiteral(
    "DELETE FROM offline_messages WHERE recipient_id = ? AND sender_id = ? "
    "AND message_id >= 0 AND message_id <= ?");
const QString kRemoveUpToHigh = QStringLiteral(
    "DELETE FROM offline_messages WHERE recipient_id = ? AND sender_id = ? "
    "AND (message_id >= 0 OR message_id <= ?)");
const QString kCountPending = QStringLiteral("SELECT COUNT(*) FROM offline_messages WHERE recipient_id = ?");

const QString kReadReceiptUpTo =
    QStringLiteral("SELECT up_to FROM read_receipts WHERE sender_id = ? AND reader_id = ?");
const QString kInsertReadReceipt =
    QStringLiteral("INSERT INTO read_receipts (sender_id, reader_id, up_to, updated_at) VALUES (?, ?, ?, ?)");
// Compare-and-set: only over the value just read, so a concurrent raise is not undone.
const QString kRaiseReadReceipt = QStringLiteral(
    "UPDATE read_receipts SET up_to = ?, updated_at = ? WHERE sender_id = ? AND reader_id = ? "
    "AND up_to = ?");
const QString kReadReceiptsFor =
    QStringLiteral("SELECT reader_id, up_to FROM read_receipts WHERE sender_id = ? ORDER BY reader_id");
const QString kRemoveReadReceipt =
    QStringLiteral("DELETE FROM read_receipts WHERE sender_id = ? AND reader_id = ? AND up_to = ?");

const QString kInsertLoginToken = QStringLiteral(
    "INSERT INTO login_tokens (token_hash, user_id, created_at, expires_at, last_used_at) "
    "VALUES (?, ?, ?, ?, ?)");
const QString kLoginTokensOf =
    QStringLiteral("SELECT token_hash, expires_at, last_used_at FROM login_tokens WHERE user_id = ?");
const QString kTouchLoginToken =
    QStringLiteral("UPDATE login_tokens SET last_used_at = ? WHERE token_hash = ? AND user_id = ?");
const QString kRevokeLoginToken = QStringLiteral("DELETE FROM login_tokens WHERE token_hash = ? AND user_id = ?");
const QString kRevokeLoginTokens = QStringLiteral("DELETE FROM login_tokens WHERE user_id = ?");
const QString kPurgeLoginTokens = QStringLiteral("DELETE FROM login_tokens WHERE expires_at <= ?");
const QString kCountLoginTokens = QStringLiteral("SELECT COUNT(*) FROM login_tokens WHERE user_id = ?");

const QString kTransferColumns = QStringLiteral(
    "sender_id, transfer_id, receiver_id, file_name, file_size, sha256, state, "
    "verified_offset, updated_at");
const QString kInsertTransfer = QStringLiteral(
    "INSERT INTO file_transfers (sender_id, transfer_id, receiver_id, file_name, file_size, "
    "sha256, state, verified_offset, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
const QString kTransferByKey =
    QStringLiteral("SELECT transfer_id FROM file_transfers WHERE sender_id = ? AND transfer_id = ?");
const QString kFindTransfer = QStringLiteral("SELECT ") + kTransferColumns +
                              QStringLiteral(
                                  " FROM file_transfers WHERE sender_id = ? "
                                  "AND transfer_id = ?");
const QString kTransfersFor = QStringLiteral("SELECT ") + kTransferColumns +
                              QStringLiteral(
                                  " FROM file_transfers WHERE sender_id = ? "
                                  "OR receiver_id = ? "
                                  "ORDER BY updated_at, sender_id, transfer_id");
const QString kUpdateOffset = QStringLiteral(
    "UPDATE file_transfers SET verified_offset = ?, updated_at = ? "
    "WHERE sender_id = ? AND transfer_id = ?");
const QString kUpdateState = QStringLiteral(
    "UPDATE file_transfers SET state = ?, updated_at = ? WHERE sender_id = ? "
    "AND transfer_id = ?");
const QString kInterruptUnfinished =
    QStringLiteral("UPDATE file_transfers SET state = ?, updated_at = ? WHERE state IN (?, ?, ?)");
const QString kDeleteTransfer = QStringLiteral("DELETE FROM file_transfers WHERE sender_id = ? AND transfer_id = ?");

const QString kFindHome = QStringLiteral("SELECT node, generation FROM user_homes WHERE user_id = ?");
const QString kInsertHome =
    QStringLiteral("INSERT INTO user_homes (user_id, node, generation, updated_at) VALUES (?, ?, ?, ?)");
// Compare-and-set on the generation: of two claims that read the same row, one changes it.
const QString kClaimHome = QStringLiteral(
    "UPDATE user_homes SET node = ?, generation = ?, updated_at = ? WHERE user_id = ? AND generation = ?");
const QString kReleaseHome =
    QStringLiteral("UPDATE user_homes SET node = '', updated_at = ? WHERE user_id = ? AND node = ? AND generation = ?");
const QString kClearNode = QStringLiteral("UPDATE user_homes SET node = '', updated_at = ? WHERE node = ?");
/// Claims that lose this many races in a row report an error rather than spin.
constexpr int kClaimAttempts = 16;

// --- value conversion -------------------------------------------------------------------

QVariant sqlId(UserId id) { return QVariant(static_cast<qlonglong>(id)); }

// Unsigned 64-bit values travel as the signed 64-bit integer with the same bits: SQLite
// and SQL Server have no unsigned BIGINT, and QODBC binds qulonglong as SQL_C_UBIGINT
// into a signed SQL_BIGINT parameter, which drivers reject above 2^63-1.
QVariant sqlU64(std::uint64_t value) { return QVariant(static_cast<qlonglong>(value)); }
std::uint64_t toU64(const QVariant& value) { return static_cast<std::uint64_t>(value.toLongLong()); }
UserId toUserId(const QVariant& value) { return static_cast<UserId>(value.toLongLong()); }

// A null QString / QByteArray binds as SQL NULL, so empty values must be non-null ones.
QVariant sqlText(const QString& text) { return text.isEmpty() ? QVariant(QString(QLatin1String(""))) : QVariant(text); }
std::string toText(const QVariant& value) { return value.toString().toStdString(); }

QVariant sqlBlob(const Bytes& bytes) {
    if (bytes.empty()) return QVariant(QByteArray("", 0));
    return QVariant(QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<int>(bytes.size())));
}
Bytes toBytes(const QVariant& value) {
    const QByteArray data = value.toByteArray();
    Bytes out(static_cast<std::size_t>(data.size()));
    if (!out.empty()) std::memcpy(out.data(), data.constData(), out.size());
    return out;
}

// The case-insensitive identity of a username (db/UsernameKey.h: the engine uses the same).
QString usernameKeyOf(const std::string& username) { return QString::fromStdString(usernameKey(username)); }

Result invalid(const std::string& what) { return Result{Status::Error, what}; }

Result checkPassword(const PasswordRecord& password) {
    if (password.hash.empty() || password.salt.empty()) return invalid("a password record needs a salt and a hash");
    if (password.hash.size() > kMaxPasswordFieldSize || password.salt.size() > kMaxPasswordFieldSize)
        return invalid("password salt or hash longer than 64 bytes");
    if (password.iterations == 0 || password.iterations > INT_MAX)
        return invalid("password iteration count out of range");
    return {};
}

// --- small query helpers ------------------------------------------------------------

// The first row of a SELECT through `read`, NotFound (with `notFoundText`) when none.
template <typename Read>
auto selectOne(SqlConnection& connection, const QString& sql, const QVector<QVariant>& values, Read read,
               const std::string& notFoundText) -> decltype(read(QSqlQuery())) {
    QSqlQuery* q = nullptr;
    if (Result r = connection.execute(sql, values, &q); !r.ok()) return r;
    QueryScope scope(q);
    if (q->next()) return read(*q);
    if (q->lastError().isValid()) return connection.failure(q->lastError(), QStringLiteral("reading"));
    return Result{Status::NotFound, notFoundText};
}

// Every row of a SELECT through `read` (which returns a ValueResult<T>).
template <typename Read>
auto selectAll(SqlConnection& connection, const QString& sql, const QVector<QVariant>& values, Read read)
    -> ValueResult<std::vector<decltype(read(QSqlQuery()).value)>> {
    QSqlQuery* q = nullptr;
    if (Result r = connection.execute(sql, values, &q); !r.ok()) return r;
    QueryScope scope(q);
    std::vector<decltype(read(QSqlQuery()).value)> rows;
    while (q->next()) {
        auto row = read(*q);
        if (!row.ok()) return row.result();
        rows.push_back(std::move(row.value));
    }
    if (q->lastError().isValid()) return connection.failure(q->lastError(), QStringLiteral("reading"));
    return rows;
}

// Whether `sql` (a SELECT by key) returns a row.
ValueResult<bool> rowExists(SqlConnection& connection, const QString& sql, const QVector<QVariant>& values) {
    auto found = selectOne(
        connection, sql, values, [](const QSqlQuery&) -> ValueResult<bool> { return true; }, "");
    if (found.status == Status::NotFound) return false;
    return found;
}

// An insert that failed on its unique key reports Conflict; any other failure as it is.
// The key check runs after the failed statement (and outside any transaction, which the
// caller has rolled back), so it sees rows committed by others meanwhile.
Result conflictOr(SqlConnection& connection, Result failed, const QString& keySql, const QVector<QVariant>& key,
                  const std::string& conflictText) {
    if (failed.status != Status::Error) return failed;
    ValueResult<bool> taken = rowExists(connection, keySql, key);
    if (!taken.ok()) return taken.result();
    if (taken.value) return Result{Status::Conflict, conflictText};
    return failed;
}

// Runs an UPDATE/DELETE of any number of rows; how many it changed.
ValueResult<std::uint64_t> writeMany(SqlConnection& connection, const QString& sql, const QVector<QVariant>& values) {
    QSqlQuery* q = nullptr;
    if (Result r = connection.execute(sql, values, &q); !r.ok()) return r;
    const int changed = q->numRowsAffected();
    q->finish();
    return static_cast<std::uint64_t>(changed < 0 ? 0 : changed);
}

// Runs an UPDATE/DELETE of one row by key; NotFound when the key matches nothing.
// MySQL reports rows *changed*, not matched, so 0 rows is confirmed with a SELECT.
Result writeOne(SqlConnection& connection, const QString& sql, const QVector<QVariant>& values, const QString& keySql,
                const QVector<QVariant>& key, const std::string& notFoundText) {
    QSqlQuery* q = nullptr;
    if (Result r = connection.execute(sql, values, &q); !r.ok()) return r;
    const int affected = q->numRowsAffected();
    q->finish();
    if (affected > 0) return {};
    ValueResult<bool> exists = rowExists(connection, keySql, key);
    if (!exists.ok()) return exists.result();
    if (!exists.value) return Result{Status::NotFound, notFoundText};
    return {};
}

// The single number of a SELECT COUNT(*).
ValueResult<std::uint64_t> countRows(SqlConnection& connection, const QString& sql, const QVector<QVariant>& values) {
    auto read = [](const QSqlQuery& row) -> ValueResult<std::uint64_t> {
        return static_cast<std::uint64_t>(row.value(0).toLongLong());
    };
    return selectOne(connection, sql, values, read, "no count");
}

ValueResult<User> readUser(const QSqlQuery& q) {
    User user;
    user.id = toUserId(q.value(0));
    user.username = toText(q.value(1));
    user.displayName = toText(q.value(2));
    user.password.hash = toBytes(q.value(3));
    user.password.salt = toBytes(q.value(4));
    user.password.iterations = static_cast<std::uint32_t>(q.value(5).toLongLong());
    user.createdAtMs = q.value(6).toLongLong();
    user.lastLoginAtMs = q.value(7).toLongLong();
    user.disabled = q.value(8).toLongLong() != 0;
    return user;
}

ValueResult<UserSummary> readUserSummary(const QSqlQuery& q) {
    return UserSummary{toUserId(q.value(0)),    toText(q.value(1)),      toText(q.value(2)),
                       q.value(3).toLongLong(), q.value(4).toLongLong(), q.value(5).toLongLong() != 0};
}

// Sets one column of `id`'s user_status row with `update` (value, id), or inserts
// `newRow` when the user has none yet, inside the caller's transaction (the same in
// every dialect: no INSERT OR REPLACE / ON DUPLICATE KEY / MERGE). NotFound if there
// is no such user.
Result writeStatusIn(SqlConnection& c, UserId id, const QString& update, const QVariant& value,
                     const QVector<QVariant>& newRow) {
    ValueResult<bool> user = rowExists(c, kUserById, {sqlId(id)});
    if (!user.ok()) return user.result();
    if (!user.value) return Result{Status::NotFound, "no user with id " + std::to_string(id)};
    ValueResult<bool> hasRow = rowExists(c, kStatusById, {sqlId(id)});
    if (!hasRow.ok()) return hasRow.result();
    QSqlQuery* q = nullptr;
    Result r = hasRow.value ? c.execute(update, {value, sqlId(id)}, &q) : c.execute(kInsertStatus, newRow, &q);
    if (!r.ok()) return r;
    q->finish();
    return {};
}

// writeStatusIn in a transaction of its own.
Result writeStatus(SqlConnection& c, UserId id, const QString& update, const QVariant& value,
                   const QVector<QVariant>& newRow) {
    TransactionScope transaction(c);
    if (Result r = transaction.begin(); !r.ok()) return r;
    if (Result r = writeStatusIn(c, id, update, value, newRow); !r.ok()) return r;
    return transaction.commit();
}

ValueResult<Transfer> readTransfer(const QSqlQuery& q) {
    Transfer t;
    t.sender = toUserId(q.value(0));
    t.transferId = toU64(q.value(1));
    t.receiver = toUserId(q.value(2));
    t.fileName = toText(q.value(3));
    t.size = toU64(q.value(4));
    t.sha256 = toBytes(q.value(5));
    const int state = q.value(6).toInt();
    if (state < 0 || state > kMaxTransferState)
        return invalid("file_transfers has an unknown state " + std::to_string(state));
    t.state = static_cast<TransferState>(state);
    t.verifiedOffset = toU64(q.value(7));
    t.updatedAtMs = q.value(8).toLongLong();
    return t;
}

}  // namespace

SqlStore::SqlStore(ConnectionSpec spec, const OpenOptions& options)
    : m_connection(std::make_unique<SqlConnection>(std::move(spec), options)) {}

SqlStore::~SqlStore() = default;

Result SqlStore::ensureConnected() { return m_connection->ensureOpen(); }

std::uint64_t SqlStore::connectAttempts() const { return m_connection->connectAttempts(); }

// --- users ------------------------------------------------------------------------------

ValueResult<UserId> SqlStore::createUser(const NewUser& user) {
    const QString name = QString::fromStdString(user.username);
    const QString key = usernameKeyOf(user.username);
    if (key.isEmpty()) return invalid("the username is empty");
    if (name.size() > static_cast<int>(kMaxUsernameLength) || key.size() > static_cast<int>(kMaxUsernameLength))
        return invalid("the username is longer than 255 characters");
    const QString displayName = QString::fromStdString(user.displayName);
    if (displayName.size() > static_cast<int>(kMaxDisplayNameLength))
        return invalid("the display name is longer than 255 characters");
    if (Result r = checkPassword(user.password); !r.ok()) return r;
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;

    SqlConnection& c = *m_connection;
    TransactionScope transaction(c);
    if (Result r = transaction.begin(); !r.ok()) return r;
    QSqlQuery* q = nullptr;
    Result r = c.execute(kInsertUser,
                         {sqlText(name), sqlText(key), sqlText(displayName), sqlBlob(user.password.hash),
                          sqlBlob(user.password.salt), static_cast<qlonglong>(user.password.iterations), sqlNowMs()},
                         &q);
    if (!r.ok()) {
        transaction.rollback();
        return conflictOr(c, r, kUserIdByKey, {sqlText(key)}, "the username '" + user.username + "' is taken");
    }
    q->finish();
    // Qt's ODBC driver has no lastInsertId() for MariaDB; the unique key finds the row
    // the same way in every dialect, inside the transaction.
    if (r = c.execute(kUserIdByKey, {sqlText(key)}, &q); !r.ok()) return r;
    UserId id = kNoUser;
    {
        QueryScope scope(q);
        if (!q->next()) return c.failure(q->lastError(), QStringLiteral("reading the new user's id"));
        id = toUserId(q->value(0));
    }
    if (r = transaction.commit(); !r.ok()) return r;
    return id;
}

ValueResult<User> SqlStore::findUserByName(const std::string& username) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    const QString key = usernameKeyOf(username);
    return selectOne(*m_connection, kFindUserByKey, {sqlText(key)}, readUser, "no user named '" + username + "'");
}

ValueResult<User> SqlStore::findUserById(UserId id) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return selectOne(*m_connection, kFindUserById, {sqlId(id)}, readUser, "no user with id " + std::to_string(id));
}

ValueResult<std::vector<UserSummary>> SqlStore::listUsers() {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return selectAll(*m_connection, kListUsers, {}, readUserSummary);
}

Result SqlStore::setPassword(UserId id, const PasswordRecord& password) {
    if (Result r = checkPassword(password); !r.ok()) return r;
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return writeOne(
        *m_connection, kSetPassword,
        {sqlBlob(password.hash), sqlBlob(password.salt), static_cast<qlonglong>(password.iterations), sqlId(id)},
        kUserById, {sqlId(id)}, "no user with id " + std::to_string(id));
}

Result SqlStore::setUserDisabled(UserId id, bool disabled) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return writeStatus(*m_connection, id, kSetDisabled, disabled ? 1 : 0, {sqlId(id), disabled ? 1 : 0, 0});
}

ValueResult<std::size_t> SqlStore::recordLogins(const std::vector<LoginTime>& logins) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    TransactionScope transaction(*m_connection);
    if (Result r = transaction.begin(); !r.ok()) return r;
    std::size_t recorded = 0;
    for (const LoginTime& login : logins) {
        const auto at = static_cast<qlonglong>(login.atMs);
        const Result r = writeStatusIn(*m_connection, login.user, kSetLastLogin, at, {sqlId(login.user), 0, at});
        if (r.status == Status::NotFound) continue;  // deleted since it logged in
        if (!r.ok()) return r;
        ++recorded;
    }
    if (Result r = transaction.commit(); !r.ok()) return r;
    return recorded;
}

// --- offline queue ------------------------------------------------------------------

ValueResult<EnqueueOutcome> SqlStore::enqueueOffline(const OfflineMessage& message) {
    if (message.payload.size() > static_cast<std::size_t>(INT_MAX)) return invalid("the payload is larger than 2 GiB");
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    const QVector<QVariant> key{sqlId(message.recipient), sqlId(message.sender), sqlU64(message.messageId)};
    // One autocommitted INSERT: durable when it returns. A duplicate fails on the unique
    // key, which is the idempotence: the first copy stays.
    QSqlQuery* q = nullptr;
    Result r = m_connection->execute(
        kInsertOffline,
        {key[0], key[1], key[2], static_cast<int>(message.messageType), sqlNowMs(), sqlBlob(message.payload)}, &q);
    if (r.ok()) {
        q->finish();
        return EnqueueOutcome::Stored;
    }
    r = conflictOr(*m_connection, r, kOfflineByKey, key, "already stored");
    if (r.status == Status::Conflict) return EnqueueOutcome::AlreadyStored;
    return r;
}

ValueResult<std::vector<OfflineMessage>> SqlStore::pendingFor(UserId recipient, std::size_t limit) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    if (limit == 0) return std::vector<OfflineMessage>();
    const QVariant count = static_cast<int>(std::min<std::size_t>(limit, INT_MAX));
    auto read = [recipient](const QSqlQuery& row) -> ValueResult<OfflineMessage> {
        OfflineMessage m;
        m.seq = row.value(0).toLongLong();
        m.recipient = recipient;
        m.sender = toUserId(row.value(1));
        m.messageId = toU64(row.value(2));
        m.messageType = static_cast<std::uint16_t>(row.value(3).toUInt());
        m.createdAtMs = row.value(4).toLongLong();
        m.payload = toBytes(row.value(5));
        return m;
    };
    return m_connection->dialect() == Dialect::MsSql
               ? selectAll(*m_connection, kPendingTop, {count, sqlId(recipient)}, read)
               : selectAll(*m_connection, kPendingLimit, {sqlId(recipient), count}, read);
}

ValueResult<std::uint64_t> SqlStore::removeDelivered(UserId recipient, UserId sender, std::uint64_t upToMessageId) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    const bool high = upToMessageId > static_cast<std::uint64_t>(INT64_MAX);
    return writeMany(*m_connection, high ? kRemoveUpToHigh : kRemoveUpToLow,
                     {sqlId(recipient), sqlId(sender), sqlU64(upToMessageId)});
}

ValueResult<std::uint64_t> SqlStore::countPending(UserId recipient) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return countRows(*m_connection, kCountPending, {sqlId(recipient)});
}

// --- read receipts ------------------------------------------------------------------

Result SqlStore::saveReadReceipt(const ReadReceipt& receipt) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    const QVector<QVariant> key{sqlId(receipt.sender), sqlId(receipt.reader)};
    // Read, compare unsigned here (the column is signed), then insert or compare-and-set;
    // a writer that got in between makes the step fail, and the loop looks again.
    constexpr int kAttempts = 4;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        auto stored = selectOne(
            *m_connection, kReadReceiptUpTo, key,
            [](const QSqlQuery& row) -> ValueResult<std::uint64_t> { return toU64(row.value(0)); }, "no receipt");
        if (!stored.ok() && stored.status != Status::NotFound) return stored.result();
        if (stored.ok() && stored.value >= receipt.upTo) return {};
        if (!stored.ok()) {
            QSqlQuery* q = nullptr;
            Result r =
                m_connection->execute(kInsertReadReceipt, {key[0], key[1], sqlU64(receipt.upTo), sqlNowMs()}, &q);
            if (r.ok()) {
                q->finish();
                return {};
            }
            r = conflictOr(*m_connection, r, kReadReceiptUpTo, key, "inserted meanwhile");
            if (r.status != Status::Conflict) return r;
            continue;
        }
        auto raised = writeMany(*m_connection, kRaiseReadReceipt,
                                {sqlU64(receipt.upTo), sqlNowMs(), key[0], key[1], sqlU64(stored.value)});
        if (!raised.ok()) return raised.result();
        if (raised.value > 0) return {};
    }
    return Result{Status::Error, "the read receipt kept changing while being saved"};
}

ValueResult<std::vector<ReadReceipt>> SqlStore::readReceiptsFor(UserId sender) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return selectAll(*m_connection, kReadReceiptsFor, {sqlId(sender)},
                     [sender](const QSqlQuery& row) -> ValueResult<ReadReceipt> {
                         return ReadReceipt{sender, toUserId(row.value(0)), toU64(row.value(1))};
                     });
}

ValueResult<std::uint64_t> SqlStore::removeReadReceipt(const ReadReceipt& receipt) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return writeMany(*m_connection, kRemoveReadReceipt,
                     {sqlId(receipt.sender), sqlId(receipt.reader), sqlU64(receipt.upTo)});
}

// --- login tokens -------------------------------------------------------------------

Result SqlStore::saveLoginToken(const LoginToken& token) {
    if (token.hash.size() != kLoginTokenHashSize) return invalid("a login token hash is 32 bytes");
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    QSqlQuery* q = nullptr;
    Result r =
        m_connection->execute(kInsertLoginToken,
                              {sqlBlob(token.hash), sqlId(token.user), static_cast<qlonglong>(token.createdAtMs),
                               static_cast<qlonglong>(token.expiresAtMs), static_cast<qlonglong>(token.lastUsedAtMs)},
                              &q);
    if (r.ok()) q->finish();
    return r;
}

ValueResult<TokenCheck> SqlStore::useLoginToken(UserId user, const Bytes& hash, std::int64_t nowMs) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    struct Row {
        Bytes hash;
        std::int64_t expiresAtMs = 0;
        std::int64_t lastUsedAtMs = 0;
    };
    auto rows = selectAll(*m_connection, kLoginTokensOf, {sqlId(user)}, [](const QSqlQuery& row) -> ValueResult<Row> {
        return Row{toBytes(row.value(0)), row.value(1).toLongLong(), row.value(2).toLongLong()};
    });
    if (!rows.ok()) return rows.result();
    // Every row is compared, in constant time each: the answer's timing says nothing
    // about how much of a guess was right.
    const Row* match = nullptr;
    for (const Row& row : rows.value) {
        if (sameLoginTokenHash(row.hash, hash)) match = &row;
    }
    if (match == nullptr) return TokenCheck::Invalid;
    if (match->expiresAtMs <= nowMs) {
        auto removed = writeMany(*m_connection, kRevokeLoginToken, {sqlBlob(match->hash), sqlId(user)});
        if (!removed.ok()) return removed.result();
        return TokenCheck::Expired;
    }
    if (nowMs - match->lastUsedAtMs < kLoginTokenTouchMs) return TokenCheck::Valid;
    auto touched =
        writeMany(*m_connection, kTouchLoginToken, {static_cast<qlonglong>(nowMs), sqlBlob(match->hash), sqlId(user)});
    if (!touched.ok()) return touched.result();
    return TokenCheck::Valid;
}

ValueResult<std::uint64_t> SqlStore::revokeLoginToken(UserId user, const Bytes& hash) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return writeMany(*m_connection, kRevokeLoginToken, {sqlBlob(hash), sqlId(user)});
}

ValueResult<std::uint64_t> SqlStore::revokeLoginTokens(UserId user) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return writeMany(*m_connection, kRevokeLoginTokens, {sqlId(user)});
}

ValueResult<std::uint64_t> SqlStore::purgeExpiredLoginTokens(std::int64_t nowMs) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return writeMany(*m_connection, kPurgeLoginTokens, {static_cast<qlonglong>(nowMs)});
}

ValueResult<std::uint64_t> SqlStore::countLoginTokens(UserId user) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return countRows(*m_connection, kCountLoginTokens, {sqlId(user)});
}

// --- file transfers -----------------------------------------------------------------

Result SqlStore::saveTransfer(const Transfer& t) {
    const QString fileName = QString::fromStdString(t.fileName);
    if (fileName.size() > static_cast<int>(kMaxFileNameLength))
        return invalid("the file name is longer than 1024 characters");
    if (t.sha256.size() > 64) return invalid("the digest is longer than 64 bytes");
    if (static_cast<std::uint8_t>(t.state) > kMaxTransferState) return invalid("unknown transfer state");
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    const QVector<QVariant> key{sqlId(t.sender), sqlU64(t.transferId)};
    QSqlQuery* q = nullptr;
    Result r =
        m_connection->execute(kInsertTransfer,
                              {key[0], key[1], sqlId(t.receiver), sqlText(fileName), sqlU64(t.size), sqlBlob(t.sha256),
                               static_cast<int>(t.state), sqlU64(t.verifiedOffset), sqlNowMs()},
                              &q);
    if (r.ok()) {
        q->finish();
        return {};
    }
    return conflictOr(*m_connection, r, kTransferByKey, key, transferName(t.sender, t.transferId) + " exists already");
}

Result SqlStore::updateTransferOffset(UserId sender, std::uint64_t transferId, std::uint64_t verifiedOffset) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    const QVector<QVariant> key{sqlId(sender), sqlU64(transferId)};
    return writeOne(*m_connection, kUpdateOffset, {sqlU64(verifiedOffset), sqlNowMs(), key[0], key[1]}, kTransferByKey,
                    key, "no " + transferName(sender, transferId));
}

Result SqlStore::setTransferState(UserId sender, std::uint64_t transferId, TransferState state) {
    if (static_cast<std::uint8_t>(state) > kMaxTransferState) return invalid("unknown transfer state");
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    const QVector<QVariant> key{sqlId(sender), sqlU64(transferId)};
    return writeOne(*m_connection, kUpdateState, {static_cast<int>(state), sqlNowMs(), key[0], key[1]}, kTransferByKey,
                    key, "no " + transferName(sender, transferId));
}

ValueResult<std::uint64_t> SqlStore::interruptUnfinishedTransfers() {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    const auto state = [](TransferState s) { return QVariant(static_cast<int>(s)); };
    return writeMany(*m_connection, kInterruptUnfinished,
                     {state(TransferState::Interrupted), sqlNowMs(), state(TransferState::Offered),
                      state(TransferState::Accepted), state(TransferState::InProgress)});
}

ValueResult<Transfer> SqlStore::findTransfer(UserId sender, std::uint64_t transferId) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return selectOne(*m_connection, kFindTransfer, {sqlId(sender), sqlU64(transferId)}, readTransfer,
                     "no " + transferName(sender, transferId));
}

Result SqlStore::deleteTransfer(UserId sender, std::uint64_t transferId) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    const QVector<QVariant> key{sqlId(sender), sqlU64(transferId)};
    return writeOne(*m_connection, kDeleteTransfer, key, kTransferByKey, key, "no " + transferName(sender, transferId));
}

ValueResult<std::vector<Transfer>> SqlStore::transfersFor(UserId user) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return selectAll(*m_connection, kTransfersFor, {sqlId(user), sqlId(user)}, readTransfer);
}

// --- where users are logged in (user_homes) -----------------------------------------

ValueResult<UserHome> SqlStore::findHome(UserId user) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return selectOne(
        *m_connection, kFindHome, {sqlId(user)},
        [](const QSqlQuery& q) -> ValueResult<UserHome> {
            return UserHome{toText(q.value(0)), toU64(q.value(1))};
        },
        "user " + std::to_string(user) + " has no home");
}

ValueResult<std::uint64_t> SqlStore::claimHome(UserId user, const std::string& node) {
    if (node.empty() || node.size() > 64) return invalid("a node name is 1 to 64 characters");
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    const QVariant nodeValue = sqlText(QString::fromStdString(node));
    // Each statement is atomic on its own in every dialect, so no lock is held across
    // them: a claim that loses a race (the row changed or appeared since it was read)
    // reads again.
    for (int attempt = 0; attempt < kClaimAttempts; ++attempt) {
        ValueResult<UserHome> current = findHome(user);
        if (current.status == Status::NotFound) {
            QSqlQuery* q = nullptr;
            const Result inserted =
                m_connection->execute(kInsertHome, {sqlId(user), nodeValue, sqlU64(1), sqlNowMs()}, &q);
            if (inserted.ok()) {
                q->finish();
                return std::uint64_t{1};
            }
            const Result conflict = conflictOr(*m_connection, inserted, kFindHome, {sqlId(user)}, "");
            if (conflict.status != Status::Conflict) return conflict;
            continue;  // another node's first claim came first
        }
        if (!current.ok()) return current.result();
        const std::uint64_t next = current.value.generation + 1;
        auto changed = writeMany(*m_connection, kClaimHome,
                                 {nodeValue, sqlU64(next), sqlNowMs(), sqlId(user), sqlU64(current.value.generation)});
        if (!changed.ok()) return changed.result();
        if (changed.value == 1) return next;
    }
    return invalid("the login of user " + std::to_string(user) + " lost " + std::to_string(kClaimAttempts) +
                   " races for its home in a row");
}

ValueResult<bool> SqlStore::releaseHome(UserId user, const std::string& node, std::uint64_t generation) {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    auto changed = writeMany(*m_connection, kReleaseHome,
                             {sqlNowMs(), sqlId(user), sqlText(QString::fromStdString(node)), sqlU64(generation)});
    if (!changed.ok()) return changed.result();
    return changed.value != 0;
}

ValueResult<std::uint64_t> SqlStore::clearNode(const std::string& node) {
    if (node.empty()) return invalid("no node name");
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return writeMany(*m_connection, kClearNode, {sqlNowMs(), sqlText(QString::fromStdString(node))});
}

// --- about the database -------------------------------------------------------------

ValueResult<int> SqlStore::schemaVersion() {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return SchemaMigrator(*m_connection).currentVersion();
}

ValueResult<Dialect> SqlStore::dialect() {
    if (Result r = m_connection->ensureOpen(); !r.ok()) return r;
    return m_connection->dialect();
}

}  // namespace parley::db
