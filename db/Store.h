#pragma once
// The Store: users, the offline message queue, read receipts for offline senders,
// login tokens and resumable file transfers.
//
// Threading: a Store belongs to the thread that opened it (one database connection per
// thread, as Qt Sql requires). Call it and destroy it in that thread only; to use the
// database from other threads, submit jobs to a StorePool.
//
// Errors: every call returns a Result/ValueResult (db/Result.h); nothing throws. A database
// that goes away gives Status::Unavailable, and a later call reconnects by itself (with
// a backoff between failed attempts: OpenOptions::reconnectFirstMs).

#include "db/ConnectionString.h"
#include "db/Result.h"
#include "db/StoreTypes.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace parley::db {

/// The schema version this build creates and expects (schema_version table).
constexpr int kSchemaVersion = 5;

class Store {
public:
    Store() = default;
    virtual ~Store() = default;
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // --- users ---------------------------------------------------------------------
    // Usernames are unique without regard to case: the store keeps a key made of the
    // name in Unicode NFC, case-folded, with a UNIQUE index on it.

    /// Adds a user; returns the new id. Conflict when the name (in any case) is taken;
    /// Error for an empty or too long name, or a too long display name / password field.
    virtual ValueResult<UserId> createUser(const NewUser& user) = 0;
    /// Case-insensitive lookup. NotFound when there is no such user.
    virtual ValueResult<User> findUserByName(const std::string& username) = 0;
    virtual ValueResult<User> findUserById(UserId id) = 0;
    /// Every user, by id.
    virtual ValueResult<std::vector<UserSummary>> listUsers() = 0;
    /// Replaces the password hash (e.g. re-hashed with more iterations). NotFound if no user.
    virtual Result setPassword(UserId id, const PasswordRecord& password) = 0;
    /// The operator disables (or enables again) an account. NotFound if no user.
    virtual Result setUserDisabled(UserId id, bool disabled) = 0;
    /// Records successful logins, all in one transaction (one disk sync for a whole
    /// batch: the server gathers them, a restart brings thousands at once). Users
    /// that no longer exist are skipped; the value is how many were recorded.
    virtual ValueResult<std::size_t> recordLogins(const std::vector<LoginTime>& logins) = 0;

    // --- offline queue -------------------------------------------------------------

    /// Queues a message for an offline recipient. Idempotent on (recipient, sender,
    /// messageId): a re-sent message is stored once (AlreadyStored, first copy kept).
    /// When it returns Ok the message is committed durably (it survives SIGKILL of the
    /// process; with SQLite's default synchronous=FULL also a power cut).
    virtual ValueResult<EnqueueOutcome> enqueueOffline(const OfflineMessage& message) = 0;
    /// Up to `limit` queued messages for `recipient`, ordered by unsigned message id, then
    /// sender. Ids increase per sender in send order, so each sender's messages come in
    /// the order they were sent, whatever order they were stored in.
    virtual ValueResult<std::vector<OfflineMessage>> pendingFor(UserId recipient, std::size_t limit) = 0;
    /// Cumulative ack: deletes the messages from `sender` to `recipient` whose message id
    /// is <= upToMessageId (unsigned 64-bit comparison). Returns how many were deleted.
    virtual ValueResult<std::uint64_t> removeDelivered(UserId recipient, UserId sender,
                                                       std::uint64_t upToMessageId) = 0;
    virtual ValueResult<std::uint64_t> countPending(UserId recipient) = 0;

    // --- read receipts for offline senders, one per (sender, reader) -----------------

    /// Keeps the higher of the stored and the given upTo (unsigned) for (sender, reader);
    /// a lower or equal one changes nothing. Committed durably when it returns Ok.
    virtual Result saveReadReceipt(const ReadReceipt& receipt) = 0;
    /// Every receipt held for `sender`, by reader id.
    virtual ValueResult<std::vector<ReadReceipt>> readReceiptsFor(UserId sender) = 0;
    /// Deletes the (sender, reader) receipt if it still holds exactly receipt.upTo (one
    /// raised meanwhile stays for the next delivery). Returns how many were deleted (0/1).
    virtual ValueResult<std::uint64_t> removeReadReceipt(const ReadReceipt& receipt) = 0;

    // --- login tokens, stored as their SHA-256 only (db/LoginToken.h) ---------------
    /// Keeps a newly issued token. Error for a hash that is not 32 bytes.
    virtual Result saveLoginToken(const LoginToken& token) = 0;
    /// Compares `hash` in constant time with each token of `user`. A valid one gets
    /// last_used = nowMs when the stored one is kLoginTokenTouchMs old or more (a commit
    /// per login would make 10,000 reconnects 10,000 disk syncs); an expired one
    /// (expiresAtMs <= nowMs) is deleted.
    virtual ValueResult<TokenCheck> useLoginToken(UserId user, const Bytes& hash, std::int64_t nowMs) = 0;
    /// Logout: deletes that token of `user`. Returns how many were deleted (0/1).
    virtual ValueResult<std::uint64_t> revokeLoginToken(UserId user, const Bytes& hash) = 0;
    /// Password reset, disabling, "Revoke sessions": deletes every token of `user`.
    virtual ValueResult<std::uint64_t> revokeLoginTokens(UserId user) = 0;
    /// Deletes every token with expiresAtMs <= nowMs. Returns how many.
    virtual ValueResult<std::uint64_t> purgeExpiredLoginTokens(std::int64_t nowMs) = 0;
    /// How many tokens `user` has (the operator's view, tests).
    virtual ValueResult<std::uint64_t> countLoginTokens(UserId user) = 0;

    // --- file transfers, keyed by (sender, transferId) ------------------------------

    /// Records a new transfer. Conflict if (sender, transferId) already exists.
    virtual Result saveTransfer(const Transfer& transfer) = 0;
    /// NotFound if the transfer does not exist.
    virtual Result updateTransferOffset(UserId sender, std::uint64_t transferId, std::uint64_t verifiedOffset) = 0;
    virtual Result setTransferState(UserId sender, std::uint64_t transferId, TransferState state) = 0;
    virtual ValueResult<Transfer> findTransfer(UserId sender, std::uint64_t transferId) = 0;
    virtual Result deleteTransfer(UserId sender, std::uint64_t transferId) = 0;
    /// Transfers where `user` is sender or receiver, least recently updated first.
    virtual ValueResult<std::vector<Transfer>> transfersFor(UserId user) = 0;
    /// Marks every transfer still Offered, Accepted or InProgress as Interrupted (at a
    /// server start: no connection of theirs survived). Returns how many changed.
    virtual ValueResult<std::uint64_t> interruptUnfinishedTransfers() = 0;

    // --- where users are logged in, for a cluster on one database (user_homes) -------

    /// A login of `user` on `node`: the user's home becomes `node` with the next
    /// generation, which is returned (1 for a user's first claim). Generations order the
    /// logins of every node on this database: two claims at once get two generations.
    virtual ValueResult<std::uint64_t> claimHome(UserId user, const std::string& node) = 0;
    /// The session of `generation` on `node` ended: the user is home nowhere, unless a
    /// newer claim took the row meanwhile (then nothing changes). Returns whether it did.
    virtual ValueResult<bool> releaseHome(UserId user, const std::string& node, std::uint64_t generation) = 0;
    /// The user's home; NotFound if the user was never claimed. An empty node: nowhere.
    virtual ValueResult<UserHome> findHome(UserId user) = 0;
    /// Every user still claimed by `node` is home nowhere (the node starts again, or
    /// was declared dead). Returns how many.
    virtual ValueResult<std::uint64_t> clearNode(const std::string& node) = 0;

    // --- about the database ------------------------------------------------------------

    /// The version recorded in schema_version (kSchemaVersion after a successful open).
    virtual ValueResult<int> schemaVersion() = 0;
    /// The dialect in use; known once connected (Sqlite for sqlite:, else the hint or
    /// what was detected).
    virtual ValueResult<Dialect> dialect() = 0;
    /// How often this store has tried to open its database connection, successful or
    /// not (the reconnect backoff is visible here).
    virtual std::uint64_t connectAttempts() const = 0;
};

struct OpenOptions {
    /// Connect (and migrate) inside openStore, so that a bad string or an unreachable
    /// database is reported there. false: connect on the first call instead.
    bool connectNow = true;
    /// Create or upgrade the schema on the first successful connection.
    bool migrate = true;
    /// SQLite: synchronous=FULL (default) or NORMAL. Both survive SIGKILL of the process
    /// in WAL mode; only FULL also keeps the last commits over a power cut / OS crash.
    bool sqliteFullSync = true;
    /// SQLite: the page cache of each connection, KiB (PRAGMA cache_size). The file's
    /// pages sit in the OS page cache already; this one only needs the hot index
    /// pages, and SQLite's default (2 MiB) per store worker showed up as server memory.
    int sqliteCacheKiB = 256;
    /// SQLite: how long a writer waits for another connection's lock before Unavailable.
    int busyTimeoutMs = 5000;
    /// ODBC: login timeout (SQL_ATTR_LOGIN_TIMEOUT) for unreachable hosts.
    int connectTimeoutSeconds = 5;
    /// ODBC: a connection unused for this long is checked (SELECT 1) before its next
    /// statement and silently replaced if the server dropped it meanwhile (MariaDB's
    /// wait_timeout, a restarted server, a NAT timeout). 0: check before every call.
    int idleCheckSeconds = 30;
    /// After a failed connect, calls fail at once with Unavailable for this long before
    /// the next attempt, doubling with each failure up to reconnectMaxMs; a success
    /// resets it. A database that is down is not asked 100 times a second.
    int reconnectFirstMs = 200;
    int reconnectMaxMs = 5000;
};

/// Opens a store for the calling thread; see ConnectionString.h for the string.
/// On success `value` is non-null. Failures: Error (bad string, missing Qt driver, schema
/// newer than this build), Unavailable (cannot connect; with connectNow).
ValueResult<std::unique_ptr<Store>> openStore(const std::string& connectionString, const OpenOptions& options = {});

/// Call once on a long-lived thread (the GUI or main thread) before openStore() runs on
/// a short-lived one (a "Test connection" worker). StorePool::start() does it for its
/// workers. Qt Sql keeps a driver made on the first thread that touches it; made on a
/// thread that ends first, it is freed twice at process exit.
void prepareStoreThreads();

}  // namespace parley::db
