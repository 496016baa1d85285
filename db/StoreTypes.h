#pragma once
// Plain value types the Store reads and writes. Strings are UTF-8.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace parley::db {

using UserId = std::uint32_t;
constexpr UserId kNoUser = 0;  ///< ids handed out by the store start at 1

using Bytes = std::vector<std::uint8_t>;

/// Length limits the store enforces (in UTF-16 code units, which is never less than
/// the character count the SQL column types count). Longer input gives Status::Error.
constexpr std::size_t kMaxUsernameLength = 255;
constexpr std::size_t kMaxDisplayNameLength = 255;
constexpr std::size_t kMaxFileNameLength = 1024;
constexpr std::size_t kMaxPasswordFieldSize = 64;  ///< bytes of salt and of hash

/// A salted PBKDF2 password hash as produced by PasswordHasher (never the password).
struct PasswordRecord {
    Bytes salt;
    Bytes hash;
    std::uint32_t iterations = 0;
};

struct NewUser {
    std::string username;  ///< unique, compared case-insensitively (see Store)
    std::string displayName;
    PasswordRecord password;
};

struct User {
    UserId id = kNoUser;
    std::string username;  ///< as registered (original case)
    std::string displayName;
    PasswordRecord password;
    std::int64_t createdAtMs = 0;    ///< Unix time, milliseconds
    std::int64_t lastLoginAtMs = 0;  ///< 0: no login recorded
    bool disabled = false;           ///< set by the operator: logins are refused
};

struct UserSummary {
    UserId id = kNoUser;
    std::string username;
    std::string displayName;
    std::int64_t createdAtMs = 0;
    std::int64_t lastLoginAtMs = 0;  ///< 0: no login recorded
    bool disabled = false;
};

/// A message held for a recipient who was offline.
struct OfflineMessage {
    std::int64_t seq = 0;  ///< set by the store on insert, increasing (input ignored)
    UserId recipient = kNoUser;
    UserId sender = kNoUser;
    std::uint64_t messageId = 0;  ///< client-generated; the full 64-bit range is kept
    std::uint16_t messageType = 0;
    std::int64_t createdAtMs = 0;  ///< set by the store on enqueue (input ignored)
    Bytes payload;                 ///< any bytes, may be empty
};

/// A read receipt held for a sender who was offline: `reader` has shown every message
/// from `sender` with id <= upTo (cumulative; one row per (sender, reader)).
struct ReadReceipt {
    UserId sender = kNoUser;  ///< whose messages were read: the receipt's recipient
    UserId reader = kNoUser;
    std::uint64_t upTo = 0;  ///< a message id; compared unsigned
};

/// A login token as the store keeps it: SHA-256 of the token (db/LoginToken.h), never the
/// token itself. Times are Unix milliseconds.
struct LoginToken {
    Bytes hash;  ///< 32 bytes; unique
    UserId user = kNoUser;
    std::int64_t createdAtMs = 0;
    std::int64_t expiresAtMs = 0;
    std::int64_t lastUsedAtMs = 0;
};

/// A successful login, for the operator's "last login" (Store::recordLogins).
struct LoginTime {
    UserId user = kNoUser;
    std::int64_t atMs = 0;  ///< Unix milliseconds
};

/// Store::useLoginToken records a token's last use to within this much.
constexpr std::int64_t kLoginTokenTouchMs = 3'600'000;

/// What Store::useLoginToken found.
enum class TokenCheck {
    Valid,    ///< a token of that user, not expired (its last use is now recorded)
    Expired,  ///< it was one, but its time is up (it is deleted)
    Invalid   ///< no such token for that user: never issued, revoked, or another user's
};

enum class EnqueueOutcome {
    Stored,        ///< newly written
    AlreadyStored  ///< (recipient, sender, messageId) was already queued; the first copy is kept
};

/// Stored as its number: keep the values stable.
enum class TransferState : std::uint8_t {
    Offered = 0,
    Accepted = 1,
    InProgress = 2,
    Interrupted = 3,  ///< a connection dropped; resumable from verifiedOffset
    Completed = 4,
    Cancelled = 5,
    Rejected = 6,
};
constexpr std::uint8_t kMaxTransferState = 6;

/// Where a user is logged in across a cluster (Store::claimHome).
struct UserHome {
    std::string node;  ///< empty: nowhere
    std::uint64_t generation = 0;
};

/// A file transfer, keyed by (sender, transferId), kept so that it can resume.
struct Transfer {
    UserId sender = kNoUser;
    std::uint64_t transferId = 0;  ///< sender-chosen, full 64-bit range
    UserId receiver = kNoUser;
    std::string fileName;
    std::uint64_t size = 0;
    Bytes sha256;  ///< digest of the whole file (32 bytes), may be empty
    TransferState state = TransferState::Offered;
    std::uint64_t verifiedOffset = 0;
    std::int64_t updatedAtMs = 0;  ///< set by the store on every write (input ignored)
};

/// "transfer ID of user SENDER": how logs and errors name a transfer (its key).
inline std::string transferName(UserId sender, std::uint64_t transferId) {
    return "transfer " + std::to_string(transferId) + " of user " + std::to_string(sender);
}

}  // namespace parley::db
