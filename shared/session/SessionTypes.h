#pragma once
// Value types and constants of the client session core (see ClientSession.h).

#include "shared/proto/Messages.h"

#include <cstddef>
#include <cstdint>

namespace parley::session {

using proto::MessageId;
using proto::UserId;

/// Send a PING after this much silence from the server (milliseconds).
constexpr std::uint64_t kPingIntervalMs = 15'000;
/// Report the connection dead after this much silence from the server.
constexpr std::uint64_t kDeadAfterMs = 45'000;
/// Longest credential field: a `str` carries a u16 length.
constexpr std::size_t kMaxTextBytes = proto::kMaxStringBytes;
/// Longest CHAT/ROOM text the server accepts (docs/protocol.md, "Limits").
constexpr std::size_t kMaxChatTextBytes = 16 * 1024;

/// Where the session stands. Transitions:
///
///   Disconnected --connectionOpened--> Connected --login/auto re-login--> LoggingIn
///   LoggingIn --LOGIN_RESULT Ok--> LoggedIn      LoggingIn --refused--> Connected
///   LoggedIn --logout()/KICKED--> Connected      any --connectionClosed--> Disconnected
enum class SessionState : std::uint8_t {
    Disconnected,  ///< no connection; actions queue in the outbox
    Connected,     ///< connection open, not logged in (REGISTER and LOGIN allowed)
    LoggingIn,     ///< LOGIN sent, waiting for LOGIN_RESULT
    LoggedIn,      ///< authenticated; messages flow
};

/// Delivery state of one message this client sent (CHAT or ROOM).
enum class MessageState : std::uint8_t {
    Pending,    ///< in the outbox, not yet acknowledged (the state sendChat returns in)
    Stored,     ///< the server committed it for an offline peer; a Delivered may follow
    Delivered,  ///< the peer acknowledged it: final
    Broadcast,  ///< ROOM: sent to everyone online: final
    Abandoned,  ///< dropped unsent because a different account logged in: final
    Refused,    ///< the server refused it (ERROR naming its id, e.g. unknown recipient): final
};

/// Why an action was refused. Nothing was sent or queued when it is not None.
enum class SessionError : std::uint8_t {
    None = 0,
    NotConnected,      ///< REGISTER needs an open connection
    NotLoggedIn,       ///< the action needs state LoggedIn
    AlreadyLoggedIn,   ///< LOGIN/REGISTER while LoggingIn or LoggedIn
    EmptyText,         ///< CHAT/ROOM text is empty
    TextTooLong,       ///< a text over kMaxChatTextBytes, or a credential over kMaxTextBytes
    InvalidUtf8,       ///< a text or credential is not valid UTF-8
    InvalidRecipient,  ///< CHAT/TYPING/FILE_* to kServerId
    NotAFileMessage,   ///< sendFileMessage() given a non-FILE_* body
};

/// Result of sendChat()/sendRoom(): the new message's id, or why it was refused.
struct SendResult {
    MessageId id = 0;  ///< 0 when refused
    SessionError error = SessionError::None;

    explicit operator bool() const { return error == SessionError::None; }
};

const char* toString(SessionState state);
const char* toString(MessageState state);
const char* toString(SessionError error);

}  // namespace parley::session
