#pragma once
// Events the client session reports to its host (the GUI or the CLI).

#include "shared/proto/Messages.h"
#include "shared/proto/ProtocolError.h"
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
    /// One user's presence changed, or a new user appeared (PRESENCE).
    virtual void onPresenceChanged(const proto::Contact& /*contact*/) {}

    // ---- messages -----------------------------------------------------------

    /// A one-to-one message, reported once per (from, messageId). The ACK for
    /// it is queued after this returns, so a host that stores history here
    /// acknowledges only what it stored.
    virtual void onChatReceived(UserId /*from*/, MessageId /*messageId*/,
                                std::uint64_t /*timestampMs*/, const std::string& /*text*/) {}
    /// A message to the shared room, reported once per (from, messageId).
    virtual void onRoomMessageReceived(UserId /*from*/, MessageId /*messageId*/,
                                       std::uint64_t /*timestampMs*/,
                                       const std::string& /*text*/) {}
    /// A message this client sent changed state. `peer` is the CHAT's
    /// destination, or kServerId for ROOM. Pending is the state sendChat()
    /// returns in and is not reported; then Stored, Delivered (Stored may be
    /// skipped), Broadcast (ROOM), or Abandoned.
    virtual void onMessageStateChanged(UserId /*peer*/, MessageId /*messageId*/,
                                       MessageState /*state*/) {}
    /// `reader` has shown this user's messages to it up to `upTo` (ACK Read,
    /// cumulative: every own message to `reader` with id <= upTo is read).
    /// Reported only when `upTo` is above the last one from `reader`.
    virtual void onRead(UserId /*reader*/, MessageId /*upTo*/) {}
    /// `from` started or stopped typing to this user.
    virtual void onTyping(UserId /*from*/, bool /*typing*/) {}
};

}  // namespace parley::session
