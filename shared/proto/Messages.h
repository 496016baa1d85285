#pragma once
// The message catalogue: every message type, its typed payload and the
// reason/status codes carried inside payloads. docs/protocol.md gives the
// byte layout of each payload; Codec.h turns these structs into bytes and back.
//
// Payload field encodings (all integers big-endian):
//   u8 / u16 / u32 / u64   fixed-width unsigned integers
//   str                    u16 byte length, then that many bytes of valid UTF-8
//   sha256                 32 raw bytes
//   bytes*                 the rest of the payload (FILE_CHUNK data only)

#include "shared/proto/Header.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace parley::proto {

enum class MessageType : std::uint8_t {
    // session
    Register = 0x01,        ///< C→S  create an account
    RegisterResult = 0x02,  ///< S→C
    Login = 0x03,           ///< C→S
    LoginResult = 0x04,     ///< S→C
    Logout = 0x05,          ///< C→S  the server closes the connection after it
    Kicked = 0x06,          ///< S→C  the session ends; the server closes after it
    ContactsQuery = 0x07,   ///< C→S  ask for CONTACTS again
    Contacts = 0x08,        ///< S→C  every user with online state, in pages
    Presence = 0x09,        ///< S→C  one user's state changed (or a new user)
    ContactStates = 0x0A,   ///< S→C  instead of CONTACTS: the client's copy is current, the states
    PresenceStates = 0x0B,  ///< S→C  state changes of users the client knows, without names
    // messaging
    Chat = 0x10,    ///< C→S→C one-to-one text, destination = peer
    Room = 0x11,    ///< C→S→C shared room text, destination = 0, to everyone online
    Ack = 0x12,     ///< both ways, cumulative per conversation
    Typing = 0x13,  ///< C→S→C typing indicator, not stored
    // file transfer (relayed by the server)
    FileOffer = 0x20,      ///< sender→receiver: name, size, hash
    FileAccept = 0x21,     ///< receiver→sender: the "OK", with the offset to start from
    FileReject = 0x22,     ///< receiver or server→sender
    FileChunk = 0x23,      ///< sender→receiver: data at an offset
    FileDone = 0x24,       ///< sender→receiver: every byte was sent
    FileCancel = 0x25,     ///< either side, or the server, at any time
    FileCredit = 0x26,     ///< receiver→sender: may send this many more bytes
    FileResult = 0x27,     ///< receiver→sender: verified, or failed
    FileBlockHash = 0x28,  ///< sender→receiver: SHA-256 of one block, after its chunks
    // keepalive and errors
    Ping = 0x30,  ///< either way; the answer is PONG with the same messageId
    Pong = 0x31,
    Error = 0x3F,  ///< S→C or C→S: something the peer sent was refused
};

/// Outcome of REGISTER and LOGIN.
enum class AuthStatus : std::uint8_t {
    Ok = 0,
    UsernameTaken = 1,
    InvalidUsername = 2,       ///< 3..32 of [A-Za-z0-9_.-], starting with a letter or digit
    InvalidPassword = 3,       ///< fewer than 8 or more than 1024 bytes
    BadCredentials = 4,        ///< unknown user and wrong password answer alike
    Throttled = 5,             ///< too many failures; retryAfterSeconds says when to try again
    RegistrationLimited = 6,   ///< too many registrations from this address
    ServerError = 7,           ///< e.g. the database is unavailable
    AlreadyAuthenticated = 8,  ///< this connection is already logged in
    InvalidDisplayName = 9,    ///< more than 64 bytes, or control characters
    AccountDisabled = 10,      ///< LOGIN: right password, but the operator disabled the account
    TokenInvalid = 11,         ///< LOGIN with a token: unknown, revoked or not this account's
    TokenExpired = 12,         ///< LOGIN with a token: its lifetime is over
};

/// How a LOGIN proves who it is (its optional trailing field; absent = Password).
enum class LoginMode : std::uint8_t {
    Password = 0,          ///< `password` is the password; no token wanted
    PasswordAndToken = 1,  ///< `password` is the password; issue a login token ("remember me")
    Token = 2,             ///< `password` holds a login token from an earlier LOGIN_RESULT
};

enum class KickReason : std::uint8_t {
    LoggedInElsewhere = 1,  ///< a newer login for the same account took over
    Operator = 2,           ///< the operator kicked the user
    ServerShutdown = 3,
    Flooding = 4,  ///< the session kept exceeding the message rate
};

enum class PresenceState : std::uint8_t {
    Offline = 0,
    Online = 1,
};

enum class AckKind : std::uint8_t {
    Stored = 1,     ///< S→sender: committed to the database for an offline peer
    Delivered = 2,  ///< S→sender: the peer acknowledged receipt
    Received = 3,   ///< receiver→S: I have every message from you up to upTo
    Broadcast = 4,  ///< S→sender: the ROOM message was sent to everyone online
    Read = 5,       ///< receiver→S→sender: the reader has shown every message from you up to upTo
};

enum class FileRejectReason : std::uint8_t {
    Declined = 1,          ///< the receiver said no
    TooLarge = 2,          ///< over the server's maximum file size
    TooManyTransfers = 3,  ///< over the server's limit of concurrent transfers per user
    NoSpace = 4,           ///< not enough free disk space at the receiver
    PeerOffline = 5,       ///< the receiver is not logged in
    InvalidName = 6,       ///< the file name is empty or not usable
    Unavailable = 7,       ///< the server cannot take the transfer now
};

enum class FileCancelReason : std::uint8_t {
    ByUser = 1,
    PeerDisconnected = 2,
    IoError = 3,
    Timeout = 4,
    ProtocolViolation = 5,  ///< e.g. a chunk beyond the granted credit
    Operator = 6,           ///< (server) the operator aborted the transfer
};

enum class FileResultStatus : std::uint8_t {
    Verified = 0,      ///< the SHA-256 of the received file equals the offer's
    HashMismatch = 1,  ///< the file is kept aside, never shown as complete
    WriteFailed = 2,
};

/// Codes carried by ERROR (u16 on the wire).
enum class ErrorCode : std::uint16_t {
    BadMagic = 1,
    UnsupportedVersion = 2,
    PayloadTooLarge = 3,
    MalformedPayload = 4,     ///< truncated, trailing bytes, bad UTF-8, bad enum value
    UnsupportedType = 5,      ///< the receiver does not know the type; the connection stays up
    NotAuthenticated = 6,     ///< only REGISTER, LOGIN, PING, PONG and ERROR before login
    RateLimited = 7,          ///< slowed down; the connection stays up
    Flooding = 8,             ///< still over the limit after warnings; the connection is closed
    UnknownDestination = 9,   ///< no user with that id
    LoginTimeout = 10,        ///< no successful login within the time limit
    TooManyConnections = 11,  ///< from this address
    ServerUnavailable = 12,   ///< e.g. the database is down; try again later
    IdleTimeout = 13,         ///< no traffic and no PONG
    InvalidMessage = 14,      ///< well-formed but not acceptable (text too long, empty, ...)
};

using Sha256 = std::array<std::uint8_t, 32>;
using TransferId = std::uint64_t;

// ---- payloads, one struct per message type -------------------------------
//
// Each message struct names its MessageType (kType) and lists its fields in
// wire order (wireFields). Codec.cpp encodes and decodes exactly that list,
// choosing the wire encoding from each field's C++ type:
//   std::uint8_t/16/32/64 -> u8/u16/u32/u64     bool -> u8 0/1
//   enum class            -> its underlying width, only defined values accepted
//   std::string -> str    Sha256 -> sha256      Contact -> its own fields
//   std::vector<Contact>  -> u16 count, then the entries
//   std::vector<uint8_t>  -> the rest of the payload (last field only)
// operator== compares the same list.

/// Longest str field: its length is a u16.
constexpr std::size_t kMaxStringBytes = 65535;

struct Register {
    static constexpr MessageType kType = MessageType::Register;
    std::string username;
    std::string password;
    std::string displayName;  ///< may be empty: the username is shown

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.username, m.password, m.displayName);
    }
};

struct RegisterResult {
    static constexpr MessageType kType = MessageType::RegisterResult;
    AuthStatus status = AuthStatus::Ok;
    UserId userId = 0;  ///< the new account's id when status is Ok
    std::string text;   ///< human-readable detail

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.status, m.userId, m.text);
    }
};

struct Login {
    static constexpr MessageType kType = MessageType::Login;
    std::string username;
    std::string password;  ///< or the login token, with LoginMode::Token
    /// Trailing and optional: a LOGIN without it is a password login as before tokens.
    std::optional<LoginMode> mode;
    /// Trailing and optional, only after `mode`: the client keeps its contact list between
    /// logins and takes CONTACT_STATES and PRESENCE_STATES; the version of the copy it holds
    /// (CONTACTS' `version`), 0 for none (docs/protocol.md 9.13).
    std::optional<std::uint64_t> contactsVersion;

    // Constructors (not an aggregate) so that Login{name, password} stays valid
    // code without naming the optional field.
    Login() = default;
    Login(std::string user, std::string secret, std::optional<LoginMode> how = std::nullopt,
          std::optional<std::uint64_t> version = std::nullopt)
        : username(std::move(user)), password(std::move(secret)), mode(how), contactsVersion(version) {}

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.username, m.password, m.mode, m.contactsVersion);
    }
};

/// A login token handed out by LOGIN_RESULT (64 lowercase hex characters).
struct IssuedToken {
    std::string token;
    std::uint64_t expiresAtMs = 0;  ///< Unix milliseconds

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.token, m.expiresAtMs);
    }
};

struct LoginResult {
    static constexpr MessageType kType = MessageType::LoginResult;
    AuthStatus status = AuthStatus::Ok;
    UserId userId = 0;
    std::uint32_t retryAfterSeconds = 0;  ///< with Throttled
    std::string displayName;
    std::string text;
    /// Trailing and optional: only in answer to LoginMode::PasswordAndToken, with Ok.
    std::optional<IssuedToken> token;

    // As Login: the five-field form stays valid without naming the token.
    LoginResult() = default;
    LoginResult(AuthStatus s, UserId id, std::uint32_t retryAfter, std::string display, std::string detail,
                std::optional<IssuedToken> issued = std::nullopt)
        : status(s),
          userId(id),
          retryAfterSeconds(retryAfter),
          displayName(std::move(display)),
          text(std::move(detail)),
          token(std::move(issued)) {}

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.status, m.userId, m.retryAfterSeconds, m.displayName, m.text, m.token);
    }
};

struct Logout {
    static constexpr MessageType kType = MessageType::Logout;
    template <class Self>
    static auto wireFields(Self&) {
        return std::tuple<>();
    }
};

struct Kicked {
    static constexpr MessageType kType = MessageType::Kicked;
    KickReason reason = KickReason::LoggedInElsewhere;
    std::string text;

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.reason, m.text);
    }
};

struct ContactsQuery {
    static constexpr MessageType kType = MessageType::ContactsQuery;
    template <class Self>
    static auto wireFields(Self&) {
        return std::tuple<>();
    }
};

/// One entry of CONTACTS, and the whole payload of PRESENCE.
struct Contact {
    UserId userId = 0;
    PresenceState state = PresenceState::Offline;
    std::string username;
    std::string displayName;

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.userId, m.state, m.username, m.displayName);
    }
};

/// Bytes one Contact takes inside a CONTACTS payload (for paging under kMaxPayload).
inline std::size_t encodedSize(const Contact& c) { return 4 + 1 + 2 + c.username.size() + 2 + c.displayName.size(); }

struct Contacts {
    static constexpr MessageType kType = MessageType::Contacts;
    bool last = true;               ///< false: more pages follow
    std::vector<Contact> contacts;  ///< at most 65535 per page
    /// Trailing and optional: on the last page, to a client whose LOGIN carried
    /// `contactsVersion`: the version of the list, for its next LOGIN (9.13).
    std::optional<std::uint64_t> version;

    // As Login: the two-field form stays valid without naming the version.
    Contacts() = default;
    Contacts(bool isLast, std::vector<Contact> list, std::optional<std::uint64_t> listVersion = std::nullopt)
        : last(isLast), contacts(std::move(list)), version(listVersion) {}

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.last, m.contacts, m.version);
    }
};

struct Presence {
    static constexpr MessageType kType = MessageType::Presence;
    Contact contact;

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.contact);
    }
};

/// A user's state without its names: an entry of CONTACT_STATES and PRESENCE_STATES.
struct ContactState {
    UserId userId = 0;
    PresenceState state = PresenceState::Offline;

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.userId, m.state);
    }
};
inline bool operator==(const ContactState& a, const ContactState& b) {
    return a.userId == b.userId && a.state == b.state;
}
constexpr std::size_t encodedSize(const ContactState&) { return 4 + 1; }

/// The answer to a LOGIN whose `contactsVersion` is the server's: the client's list is
/// current; these pages name every user who is not Offline (9.13).
struct ContactStates {
    static constexpr MessageType kType = MessageType::ContactStates;
    bool last = true;  ///< false: more pages follow
    std::vector<ContactState> states;

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.last, m.states);
    }
};

/// PRESENCE for a client that keeps its list (9.13): changes of users it knows, in order.
struct PresenceStates {
    static constexpr MessageType kType = MessageType::PresenceStates;
    std::vector<ContactState> states;

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.states);
    }
};

struct Chat {
    static constexpr MessageType kType = MessageType::Chat;
    std::uint64_t timestampMs = 0;  ///< milliseconds since the Unix epoch; the server stamps it
    std::string text;

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.timestampMs, m.text);
    }
};

struct Room {
    static constexpr MessageType kType = MessageType::Room;
    std::uint64_t timestampMs = 0;
    std::string text;

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.timestampMs, m.text);
    }
};

/// Cumulative: acknowledges every message of the conversation with
/// messageId <= upTo. The conversation peer is the header's destination on
/// C→S and its source on S→C.
struct Ack {
    static constexpr MessageType kType = MessageType::Ack;
    AckKind kind = AckKind::Received;
    MessageId upTo = 0;

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.kind, m.upTo);
    }
};

struct Typing {
    static constexpr MessageType kType = MessageType::Typing;
    bool typing = true;

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.typing);
    }
};

struct FileOffer {
    static constexpr MessageType kType = MessageType::FileOffer;
    TransferId transferId = 0;  ///< chosen by the sender, unique among its transfers
    std::string fileName;       ///< a suggestion only: receivers sanitise it
    std::uint64_t size = 0;
    Sha256 sha256{};
    std::uint32_t blockSize = 0;  ///< FILE_BLOCK_HASH granularity, e.g. 4 MiB

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.transferId, m.fileName, m.size, m.sha256, m.blockSize);
    }
};

struct FileAccept {
    static constexpr MessageType kType = MessageType::FileAccept;
    TransferId transferId = 0;
    std::uint64_t offset = 0;  ///< start (or restart) from this verified offset

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.transferId, m.offset);
    }
};

struct FileReject {
    static constexpr MessageType kType = MessageType::FileReject;
    TransferId transferId = 0;
    FileRejectReason reason = FileRejectReason::Declined;
    std::string text;

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.transferId, m.reason, m.text);
    }
};

/// Most data one FILE_CHUNK may carry (a protocol rule, not a decoder check).
constexpr std::size_t kMaxChunkData = 256 * 1024;
/// Allowed FILE_OFFER blockSize range (protocol 9.8); 4 MiB is the usual choice.
constexpr std::uint32_t kMinBlockSize = 64 * 1024;
constexpr std::uint32_t kMaxBlockSize = 64 * 1024 * 1024;
constexpr std::uint32_t kDefaultBlockSize = 4 * 1024 * 1024;
/// Most credit a receiver may have outstanding for one transfer: granted and
/// not yet used by chunk data, counted over the whole transfer. It bounds
/// what the server and the receiver buffer per transfer (protocol 9.8).
constexpr std::uint64_t kMaxCreditWindow = 16 * 1024 * 1024;

struct FileChunk {
    static constexpr MessageType kType = MessageType::FileChunk;
    TransferId transferId = 0;
    std::uint64_t offset = 0;
    std::vector<std::uint8_t> data;  ///< the rest of the payload

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.transferId, m.offset, m.data);
    }
};

struct FileDone {
    static constexpr MessageType kType = MessageType::FileDone;
    TransferId transferId = 0;
    std::uint64_t size = 0;

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.transferId, m.size);
    }
};

struct FileCancel {
    static constexpr MessageType kType = MessageType::FileCancel;
    TransferId transferId = 0;
    FileCancelReason reason = FileCancelReason::ByUser;
    std::string text;

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.transferId, m.reason, m.text);
    }
};

struct FileCredit {
    static constexpr MessageType kType = MessageType::FileCredit;
    TransferId transferId = 0;
    std::uint32_t bytes = 0;  ///< additional bytes the sender may send

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.transferId, m.bytes);
    }
};

struct FileResult {
    static constexpr MessageType kType = MessageType::FileResult;
    TransferId transferId = 0;
    FileResultStatus status = FileResultStatus::Verified;
    std::string text;

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.transferId, m.status, m.text);
    }
};

struct FileBlockHash {
    static constexpr MessageType kType = MessageType::FileBlockHash;
    TransferId transferId = 0;
    std::uint64_t offset = 0;  ///< start of the block
    std::uint32_t length = 0;  ///< block length (the last block may be short)
    Sha256 sha256{};

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.transferId, m.offset, m.length, m.sha256);
    }
};

struct Ping {
    static constexpr MessageType kType = MessageType::Ping;
    template <class Self>
    static auto wireFields(Self&) {
        return std::tuple<>();
    }
};

struct Pong {
    static constexpr MessageType kType = MessageType::Pong;
    template <class Self>
    static auto wireFields(Self&) {
        return std::tuple<>();
    }
};

struct Error {
    static constexpr MessageType kType = MessageType::Error;
    ErrorCode code = ErrorCode::MalformedPayload;
    std::uint8_t refType = 0;  ///< type of the message that caused it, 0 if none
    std::string text;

    template <class Self>
    static auto wireFields(Self& m) {
        return std::tie(m.code, m.refType, m.text);
    }
};

/// Payload structs (and Contact) compare field by field, over wireFields.
template <class T, class = decltype(T::wireFields(std::declval<const T&>()))>
bool operator==(const T& a, const T& b) {
    return T::wireFields(a) == T::wireFields(b);
}
template <class T, class = decltype(T::wireFields(std::declval<const T&>()))>
bool operator!=(const T& a, const T& b) {
    return !(a == b);
}

/// Any decoded payload. The alternative determines the MessageType.
using Body =
    std::variant<Register, RegisterResult, Login, LoginResult, Logout, Kicked, ContactsQuery, Contacts, Presence,
                 ContactStates, PresenceStates, Chat, Room, Ack, Typing, FileOffer, FileAccept, FileReject, FileChunk,
                 FileDone, FileCancel, FileCredit, FileResult, FileBlockHash, Ping, Pong, Error>;

/// A whole message: header plus typed payload.
struct Message {
    Header header;
    Body body;
};

inline bool operator==(const Message& a, const Message& b) { return a.header == b.header && a.body == b.body; }
inline bool operator!=(const Message& a, const Message& b) { return !(a == b); }

/// The MessageType of a body alternative.
MessageType typeOf(const Body& body);

/// True for the types this version knows.
bool isKnownType(std::uint8_t type);

/// "CHAT", "FILE_OFFER", ... ; "UNKNOWN" for others.
const char* toString(MessageType type);
const char* toString(ErrorCode code);
/// Whether the sender of an ERROR with `code` closes the connection after it
/// (docs/protocol.md, section 7); the receiver of such an ERROR closes too.
bool closesConnection(ErrorCode code);
const char* toString(AuthStatus status);
const char* toString(KickReason reason);
const char* toString(FileRejectReason reason);
const char* toString(FileCancelReason reason);
const char* toString(FileResultStatus status);
const char* toString(PresenceState state);
const char* toString(AckKind kind);
const char* toString(LoginMode mode);

/// True if `value` is defined by this version: decodePayload refuses the
/// others with ProtocolError::InvalidValue.
bool isKnownValue(AuthStatus value);
bool isKnownValue(KickReason value);
bool isKnownValue(PresenceState value);
bool isKnownValue(AckKind value);
bool isKnownValue(LoginMode value);
bool isKnownValue(FileRejectReason value);
bool isKnownValue(FileCancelReason value);
bool isKnownValue(FileResultStatus value);
bool isKnownValue(ErrorCode value);

}  // namespace parley::proto
