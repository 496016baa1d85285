#pragma once
// The Store over Qt Sql (QSQLITE, QODBC). Create it with openStore() (db/Store.h).
//
// Ownership and threading: owns one named database connection, created lazily in the
// constructing thread; use and destroy the SqlStore in that thread only.
// Errors: as Store; statements are prepared once per connection with bound values only.

#include "db/ConnectionString.h"
#include "db/Store.h"

#include <memory>

namespace parley::db {

class SqlConnection;

class SqlStore final : public Store {
public:
    /// Does not connect; the first call (or ensureConnected()) does.
    SqlStore(ConnectionSpec spec, const OpenOptions& options);
    ~SqlStore() override;

    /// Connects (and migrates, if the options say so) unless connected already.
    Result ensureConnected();
    std::uint64_t connectAttempts() const override;

    ValueResult<UserId> createUser(const NewUser& user) override;
    ValueResult<User> findUserByName(const std::string& username) override;
    ValueResult<User> findUserById(UserId id) override;
    ValueResult<std::vector<UserSummary>> listUsers() override;
    Result setPassword(UserId id, const PasswordRecord& password) override;
    Result setUserDisabled(UserId id, bool disabled) override;
    ValueResult<std::size_t> recordLogins(const std::vector<LoginTime>& logins) override;

    ValueResult<EnqueueOutcome> enqueueOffline(const OfflineMessage& message) override;
    ValueResult<std::vector<OfflineMessage>> pendingFor(UserId recipient, std::size_t limit) override;
    ValueResult<std::uint64_t> removeDelivered(UserId recipient, UserId sender, std::uint64_t upToMessageId) override;
    ValueResult<std::uint64_t> countPending(UserId recipient) override;

    Result saveReadReceipt(const ReadReceipt& receipt) override;
    ValueResult<std::vector<ReadReceipt>> readReceiptsFor(UserId sender) override;
    ValueResult<std::uint64_t> removeReadReceipt(const ReadReceipt& receipt) override;

    Result saveLoginToken(const LoginToken& token) override;
    ValueResult<TokenCheck> useLoginToken(UserId user, const Bytes& hash, std::int64_t nowMs) override;
    ValueResult<std::uint64_t> revokeLoginToken(UserId user, const Bytes& hash) override;
    ValueResult<std::uint64_t> revokeLoginTokens(UserId user) override;
    ValueResult<std::uint64_t> purgeExpiredLoginTokens(std::int64_t nowMs) override;
    ValueResult<std::uint64_t> countLoginTokens(UserId user) override;

    Result saveTransfer(const Transfer& transfer) override;
    Result updateTransferOffset(UserId sender, std::uint64_t transferId, std::uint64_t verifiedOffset) override;
    Result setTransferState(UserId sender, std::uint64_t transferId, TransferState state) override;
    ValueResult<Transfer> findTransfer(UserId sender, std::uint64_t transferId) override;
    Result deleteTransfer(UserId sender, std::uint64_t transferId) override;
    ValueResult<std::vector<Transfer>> transfersFor(UserId user) override;
    ValueResult<std::uint64_t> interruptUnfinishedTransfers() override;

    ValueResult<std::uint64_t> claimHome(UserId user, const std::string& node) override;
    ValueResult<bool> releaseHome(UserId user, const std::string& node, std::uint64_t generation) override;
    ValueResult<UserHome> findHome(UserId user) override;
    ValueResult<std::uint64_t> clearNode(const std::string& node) override;

    ValueResult<int> schemaVersion() override;
    ValueResult<Dialect> dialect() override;

private:
    std::unique_ptr<SqlConnection> m_connection;
};

}  // namespace parley::db
