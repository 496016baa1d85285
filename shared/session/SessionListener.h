#pragma once
// Events the client session reports to its host (the GUI or the CLI).

#include "shared/proto/Messages.h"
#include "shared/proto/ProtocolError.h"
#include "shared/session/Outbox.h"
#include "shared/session/SessionTypes.h"

#include <string>

namespace parley::session {

class ContactList;

/// Implemented by the host; passed by reference to ClientSession, which does
/// not own it. Every event is called synchronously from inside a
/// ClientSession call, on the host's thread.
///
/// Handlers may call ClientSession actions (sendChat, login, ...), and
/// may call connectionClosed() (the session then stops processing the
/// current input), but must not call receive() re-entrantly.
///
/// Two events are pure virtual because every host must act on them: close
/// the connection, then call connectionClosed(). The others default to doing
/// nothing, so a host overrides only what it shows.
class SessionListener {
public:
    virtual ~SessionListener() = default;

    // ---- the host must close the connection -----------------------------

    /// The server's byte stream is unusable (bad magic, oversized frame, ...).
    /// The session already queued an ERROR for the server and ignores further
    /// input. Close, then reconnect if ClientSession::shouldReconnect().
    virtual void onProtocolError(proto::ProtocolError error) = 0;

    /// Nothing arrived from the server for kDeadAfterMs despite PINGs. Close,
    /// then reconnect if ClientSession::shouldReconnect().
    virtual void onConnectionDead() = 0;

    // ---- state ------------------------------------------------------------

    virtual void onStateChanged(SessionState /*state*/) {}
    /// REGISTER's answer. Registering does not log in: call login() next.
    virtual void onRegisterResult(const proto::RegisterResult& /*result*/) {}
    /// LOGIN's answer (also for automatic re-logins). On Ok the state is
    /// already LoggedIn and the outbox has been (re-)sent.
    virtual void onLoginResult(const proto::LoginResult& /*result*/) {}
    /// A login with `remember` got a login token: keep it (privately) for the next
    /// start and use ClientSession::loginWithToken(). Called before onLoginResult.
    virtual void onLoginToken(const std::string& /*username*/, const proto::IssuedToken& /*token*/) {}
    /// A token login was refused (TokenInvalid, TokenExpired): forget the token and
    /// ask the user for the password. Called before onLoginResult; no retry follows.
    virtual void onPasswordNeeded(const std::string& /*username*/, const std::string& /*why*/) {}
    /// The session ended on the server's side; the server closes the
    /// connection next. Remembered credentials are cleared, so
    /// shouldReconnect() is false: do not reconnect automatically.
    virtual void onKicked(proto::KickReason /*reason*/, const std::string& /*text*/) {}
    /// The server refused something (ERROR). Informational: the server closes
    /// the connection itself when the error is fatal for it.
    virtual void onServerError(const proto::Error& /*error*/) {}

    // ---- contacts -----------------------------------------------------------

    /// The whole contact list was (re)loaded: every CONTACTS page has arrived.
    virtual void onContactsChanged(const ContactList& /*contacts*/) {}
    /// Logged in and the contact list of this login has arrived, so every
    /// sender has a name: called after each successful login (`first` only
    /// for the first one of this session object). CHAT/ROOM that arrive
    /// between LOGIN_RESULT and the contact list are held back and reported
    /// right after this, and acknowledged only then.
    virtual void onReady(bool /*first*/) {}
    /// One user's presence changed, or a new user appeared (PRESENCE).
    virtual void onPresenceChanged(const proto::Contact& /*contact*/) {}

    // ---- messages -----------------------------------------------------------

    /// A one-to-one message, reported once per (from, messageId). The ACK for
    /// it is queued after this returns, so a host that stores history here
    /// acknowledges only what it stored.
    virtual void onChatReceived(UserId /*from*/, MessageId /*messageId*/, std::uint64_t /*timestampMs*/,
                                const std::string& /*text*/) {}
    /// A message to the shared room, reported once per (from, messageId).
    virtual void onRoomMessageReceived(UserId /*from*/, MessageId /*messageId*/, std::uint64_t /*timestampMs*/,
                                       const std::string& /*text*/) {}
    /// sendChat()/sendRoom() queued `message` (state Pending); called before
    /// it is written anywhere, so that a host that persists its outbox here
    /// (and restores it with ClientSession::restoreOutbox() at the next start)
    /// loses nothing to a crash. The host drops it from its copy at any final
    /// state, or at Stored, reported by onMessageStateChanged.
    virtual void onMessageQueued(const OutgoingMessage& /*message*/) {}
    /// A message this client sent changed state. `peer` is the CHAT's
    /// destination, or kServerId for ROOM. Pending is the state sendChat()
    /// returns in and is not reported; then Stored, Delivered (Stored may be
    /// skipped), Broadcast (ROOM), Abandoned or Refused. A message
    /// the server could not take for now (ERROR ServerUnavailable) stays Pending
    /// and is re-sent by the session after a backoff, on the same connection.
    virtual void onMessageStateChanged(UserId /*peer*/, MessageId /*messageId*/, MessageState /*state*/) {}
    /// `reader` has shown this user's messages to it up to `upTo` (ACK Read,
    /// cumulative: every own message to `reader` with id <= upTo is read).
    /// Reported only when `upTo` is above the last one from `reader`.
    virtual void onRead(UserId /*reader*/, MessageId /*upTo*/) {}
    /// `from` started or stopped typing to this user.
    virtual void onTyping(UserId /*from*/, bool /*typing*/) {}
};

}  // namespace parley::session
