#pragma once
// The client side of the Parley protocol, written once for every client.
//
// Sans-IO, in the manner of nghttp2 and h11: no sockets, no threads, no Qt,
// no clock reads. The host (parley-cli on the platform layer, the Qt client
// on QTcpSocket) owns the connection and drives the session:
//
//   host                                 ClientSession
//   ----                                 -------------
//   TCP connected           ---------->  connectionOpened(now)   (auto re-login)
//   bytes read              ---------->  receive(data, n, now)   -> SessionListener events
//   timer, e.g. every 1 s   ---------->  tick(now)               (PING, dead detection)
//   socket closed/failed    ---------->  connectionClosed()
//   user actions            ---------->  login(), sendChat(), ...
//   write to the socket     <----------  takeOutput() or the OutputCallback
//   close the socket        <----------  onProtocolError / onConnectionDead
//   reconnect?              <----------  shouldReconnect()
//
// Two clocks: `nowMs` (connectionOpened, receive, tick) is any monotonic
// millisecond clock (std::chrono::steady_clock) and only drives the
// keepalive; `wallClockMs` (sendChat, sendRoom) is milliseconds since the
// Unix epoch and only seeds message ids (see MessageIdGenerator).
//
// Client-side delivery rules (BRIEF "Delivery semantics"):
// * Every CHAT/ROOM goes through the Outbox and stays there until an ACK
//   (Stored/Delivered, Broadcast for ROOM) covers it; state changes are
//   reported per message. Messages sent while not logged in wait there.
// * After every successful LOGIN the pending outbox is sent in the original
//   order before anything else; messages that already went out on an earlier
//   connection carry flags::kResent.
// * Incoming CHAT/ROOM are deduplicated by (source, messageId) (see
//   DuplicateFilter). Each receive() call ends with one cumulative ACK
//   Received per CHAT sender, upTo = the highest id from that sender in the
//   call, duplicates included (the sender needs the ack either way).
// * Read receipts (ACK Read) are cumulative per conversation: sendRead()
//   sends only a higher upTo than before, onRead() reports only a higher one.
// * The server sends CONTACTS on its own after a successful LOGIN;
//   queryContacts() asks again. The session is ready (onReady) once that
//   list arrived; CHAT/ROOM arriving before are held back until then, and
//   so are their ACKs.
// * A message the server refuses with ServerUnavailable (its database is
//   down) stays in the outbox and is re-sent by tick() after a Backoff
//   (kRetryFirstMs doubling to kRetryMaxMs), while the connection stays up.
// * A host that persists its outbox (onMessageQueued) puts it back with
//   restoreOutbox() before the first login.
// * FILE_* messages go to the TransferHandler (see TransferHandler.h).
//
// Threading: none. Every method must be called on one thread (the host's
// loop or GUI thread). Errors: actions return SessionError; problems with the
// server's bytes are reported through SessionListener.

#include "shared/proto/Framer.h"
#include "shared/proto/Messages.h"
#include "shared/session/Backoff.h"
#include "shared/session/Callbacks.h"
#include "shared/session/ContactList.h"
#include "shared/session/DuplicateFilter.h"
#include "shared/session/Keepalive.h"
#include "shared/session/MessageIdGenerator.h"
#include "shared/session/Outbox.h"
#include "shared/session/SessionListener.h"
#include "shared/session/SessionTypes.h"
#include "shared/session/TransferHandler.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace parley::session {

class ClientSession {
public:
    /// Re-send delays after ServerUnavailable (Backoff with jitter).
    static constexpr std::uint64_t kRetryFirstMs = 1'000;
    static constexpr std::uint64_t kRetryMaxMs = 30'000;

    /// `listener` must outlive the session.
    explicit ClientSession(SessionListener& listener);
    ClientSession(const ClientSession&) = delete;
    ClientSession& operator=(const ClientSession&) = delete;

    // ---- connection (host inputs) -----------------------------------------

    /// A connection to the server is open. Resets the framer and the
    /// keepalive; if credentials are remembered (login() was called and not
    /// cancelled) sends LOGIN at once. Opening over an open connection first
    /// closes it (as connectionClosed()).
    void connectionOpened(std::uint64_t nowMs);

    /// Bytes read from the connection, any split (one byte at a time works).
    /// Dispatches every whole frame, then queues the batched ACKs. Ignored
    /// while Disconnected and after a fatal error or a dead report. Must not
    /// be called from inside a listener event.
    void receive(const std::uint8_t* data, std::size_t size, std::uint64_t nowMs);

    /// Bytes still to arrive before the frame that receive() holds in part is whole (0 if
    /// none is begun): a host that reads in small slices reads the rest of a large frame
    /// (a 256 KiB file chunk) in one go rather than in sixteen turns.
    std::size_t bytesToCompleteFrame() const { return m_framer.missing(); }

    /// The host could not keep what the last receive() reported (e.g. its
    /// history store failed): the messages of that call are forgotten by the
    /// duplicate filter, so that they are reported again when the server
    /// delivers them again, and the buffered output (their ACKs) is dropped.
    /// For hosts that drain takeOutput() (with an output callback the ACKs are
    /// gone already). Close the connection next: the server then keeps them.
    void rejectLastReceive();

    /// The connection is gone (closed by either side, or failed). Drops
    /// unwritten output and partial input; the outbox and the remembered
    /// credentials survive for the next connectionOpened().
    void connectionClosed();

    /// Drives the keepalive: PING after kPingIntervalMs of silence from the
    /// server, onConnectionDead() after kDeadAfterMs. Call it at least every
    /// second or so, or at nextTickMs(). No effect while Disconnected.
    void tick(std::uint64_t nowMs);

    /// When tick() next has something to do (a `nowMs` value); meaningful
    /// only while connected.
    std::uint64_t nextTickMs() const { return m_keepalive.nextDeadlineMs(); }

    /// True if the host should reconnect after the connection is lost: the
    /// session remembers credentials (login() was called and neither logout()
    /// nor KICKED nor a definite login refusal cleared them).
    bool shouldReconnect() const { return m_credentials.has_value(); }

    // ---- output -------------------------------------------------------------

    /// Without a callback, output accumulates in a buffer the host drains
    /// with takeOutput(): the bytes to write, in order, each exactly once.
    std::vector<std::uint8_t> takeOutput();
    bool hasOutput() const { return !m_output.empty(); }
    std::size_t outputSize() const { return m_output.size(); }

    /// With a callback, each message is handed to it as soon as it is
    /// produced (and nothing accumulates). Set it before connecting; an empty
    /// function returns to buffering. Pending buffered bytes are flushed to a
    /// newly set callback.
    void setOutputCallback(OutputCallback callback);

    /// Installs the file-transfer state machine (not owned; nullptr removes it).
    void setTransferHandler(TransferHandler* handler) { m_transferHandler = handler; }

    // ---- actions --------------------------------------------------------------

    /// Sends REGISTER. Needs state Connected (not LoggingIn/LoggedIn).
    SessionError registerAccount(const std::string& username, const std::string& password,
                                 const std::string& displayName);

    /// Remembers the credentials (in memory only) for automatic re-login
    /// after every reconnect, and sends LOGIN now if Connected. While
    /// Disconnected, LOGIN goes out at the next connectionOpened().
    /// AlreadyLoggedIn while LoggingIn/LoggedIn (log out first).
    /// `remember`: ask for a login token ("remember me", protocol 9.11). When it
    /// arrives (SessionListener::onLoginToken) the session forgets the password and
    /// re-logs in with the token from then on.
    SessionError login(const std::string& username, const std::string& password, bool remember = false);
    /// As login(), with a token kept from an earlier onLoginToken (no password in
    /// memory at all). Refused tokens are reported by onPasswordNeeded, and the
    /// session does not retry them.
    SessionError loginWithToken(const std::string& username, const std::string& token);
    /// Whether the remembered login is a token (so a refusal means "ask the password").
    bool usesToken() const { return m_credentials && m_credentials->mode == proto::LoginMode::Token; }

    /// Forgets the credentials (no more automatic re-login) and, if logged in
    /// or logging in, sends LOGOUT (the server then closes the connection).
    /// The outbox is kept: it goes out at the next login of the same account
    /// and is Abandoned if another account logs in.
    void logout();
    /// Forgets the credentials like logout() but sends nothing: the host closes the
    /// connection, and a login token stays valid at the server for the next start
    /// (LOGOUT would revoke it).
    void leave();

    /// Asks for the contact list again (CONTACTS_QUERY). Needs LoggedIn.
    SessionError queryContacts();

    /// Queues a one-to-one message: sent now if LoggedIn, otherwise after the
    /// next successful login. Returns the new message's id (state Pending).
    SendResult sendChat(UserId to, std::string text, std::uint64_t wallClockMs);

    /// The same for the shared room (destination kServerId; final state
    /// Broadcast).
    SendResult sendRoom(std::string text, std::uint64_t wallClockMs);

    /// Sends TYPING. Not queued: NotLoggedIn unless LoggedIn.
    SessionError setTyping(UserId to, bool typing);

    /// Read receipt: the user has seen every message from `peer` up to `upTo`
    /// (call it when the conversation is visible and the window active, with
    /// the highest id from that peer it shows). Sends ACK Read unless `upTo`
    /// is not above what was sent to `peer` before (then nothing, None).
    /// Not queued: NotLoggedIn unless LoggedIn; InvalidRecipient for
    /// kServerId or the own id.
    SessionError sendRead(UserId peer, MessageId upTo);
    /// The highest `upTo` sent to `peer` by sendRead() for this account (0: none).
    MessageId readSentTo(UserId peer) const;

    /// For the TransferHandler: sends one FILE_* message to `to`. Not queued:
    /// NotLoggedIn unless LoggedIn.
    SessionError sendFileMessage(UserId to, const proto::Body& body);

    // ---- accessors ------------------------------------------------------------

    SessionState state() const { return m_state; }
    bool isLoggedIn() const { return m_state == SessionState::LoggedIn; }
    /// This account's id and display name, from the last successful login; 0
    /// and empty before the first.
    UserId userId() const { return m_userId; }
    const std::string& displayName() const { return m_displayName; }
    /// The username remembered for re-login; empty if none.
    std::string username() const { return m_credentials ? m_credentials->username : std::string(); }

    const ContactList& contacts() const { return m_contacts; }
    const Outbox& outbox() const { return m_outbox; }
    std::size_t outboxSize() const { return m_outbox.size(); }
    std::size_t pendingFor(UserId peer) const { return m_outbox.pendingFor(peer); }

    /// Logged in and the contact list of this login arrived (see onReady).
    bool isReady() const { return m_state == SessionState::LoggedIn && !m_awaitingContacts; }

    /// Puts a persisted outbox back (see SessionListener::onMessageQueued):
    /// before the first sendChat(); the ids are observed by messageIds(), the
    /// messages go out after the next successful login (with kResent).
    /// False, nothing restored, if the outbox is not empty.
    bool restoreOutbox(std::vector<OutgoingMessage> messages);

    /// Replaces the re-send backoff (tests inject their random source).
    void setRetryBackoff(Backoff backoff) { m_retryBackoff = std::move(backoff); }
    /// When tick() re-sends the messages refused with ServerUnavailable (a
    /// `nowMs` value), 0 if none wait.
    std::uint64_t nextRetryMs() const { return m_retryAtMs; }

    /// Message ids: e.g. observe() the highest id found in stored history.
    MessageIdGenerator& messageIds() { return m_messageIds; }

private:
    struct Credentials {
        std::string username;
        std::string secret;  ///< the password, or the login token with LoginMode::Token
        proto::LoginMode mode = proto::LoginMode::Password;
    };

    SessionError startLogin(Credentials credentials);
    void resetConnection();
    void setState(SessionState state);
    void send(const proto::Header& header, const proto::Body& body);
    void sendTo(UserId destination, const proto::Body& body);
    void sendError(proto::ErrorCode code, std::uint8_t refType, const std::string& text);
    void sendLogin();
    void transmit(const OutgoingMessage& message, bool resent);
    SendResult queueMessage(proto::MessageType type, UserId peer, std::string text, std::uint64_t wallClockMs);
    void fail(proto::ProtocolError error, std::uint8_t refType);

    void handleFrame(const proto::FrameView& frame);
    void dispatch(const proto::Header& header, const proto::Body& body);
    void handleLoginWithoutTokens();
    void handleLoginResult(const proto::LoginResult& result);
    void handleKicked(const proto::Kicked& kicked);
    void handleContacts(const proto::Contacts& page);
    void handleContactStates(const proto::ContactStates& page);
    void handlePresence(const proto::Presence& presence);
    void handlePresenceStates(const proto::PresenceStates& changes);
    /// One user's new entry or state, to the list (and the pages being received).
    void applyPresence(const proto::Contact& contact);
    /// The list names an id the server's frames do not: ask for the whole list again.
    void relist();
    void handleChat(const proto::Header& header, const proto::Chat& chat);
    void handleRoom(const proto::Header& header, const proto::Room& room);
    void handleError(const proto::Header& header, const proto::Error& error);
    /// One incoming CHAT (room=false) or ROOM, after the contact list.
    void deliver(bool room, UserId from, MessageId id, std::uint64_t timestampMs, const std::string& text);
    void becomeReady();
    void resendRetries();
    void handleAck(const proto::Header& header, const proto::Ack& ack);
    void handleRead(UserId reader, MessageId upTo);
    void handleFileMessage(const proto::Header& header, const proto::Body& body);
    void noteReceived(UserId sender, MessageId id);
    void flushAcks();
    void report(const std::vector<MessageStateChange>& changes);

    SessionListener& m_listener;
    TransferHandler* m_transferHandler = nullptr;
    OutputCallback m_outputCallback;
    std::vector<std::uint8_t> m_output;

    SessionState m_state = SessionState::Disconnected;
    std::optional<Credentials> m_credentials;
    UserId m_userId = 0;
    std::string m_displayName;
    UserId m_outboxOwner = 0;  ///< the account the outbox belongs to; 0 = the next to log in

    proto::Framer m_framer;
    Keepalive m_keepalive;
    MessageId m_nextPingId = 1;
    /// Bumped by every open and close, so that receive() notices a listener
    /// that closed the connection from inside an event.
    std::uint64_t m_connectionGeneration = 0;
    bool m_closeRequested = false;  ///< fatal error or dead: input is ignored
    bool m_inReceive = false;

    Outbox m_outbox;
    MessageIdGenerator m_messageIds;
    DuplicateFilter m_duplicates;
    ContactList m_contacts;
    std::vector<proto::Contact> m_contactPages;  ///< CONTACTS pages so far (last=false)
    /// The version of m_contacts (CONTACTS' `version`), sent with the next LOGIN so that an
    /// unchanged list comes back as states only (protocol 9.13); 0: none.
    std::uint64_t m_contactsVersion = 0;
    bool m_keepsContacts = true;  ///< false: the server refused LOGIN's contactsVersion (older)
    bool m_relisting = false;     ///< a CONTACTS_QUERY for an unknown id is on its way
    /// (sender, highest id) of the CHATs in the current receive() call.
    std::vector<std::pair<UserId, MessageId>> m_ackBatch;
    /// (sender, id) of the CHAT/ROOM reported by the last receive() call.
    std::vector<std::pair<UserId, MessageId>> m_reported;

    /// A CHAT/ROOM that arrived before the contact list of this login.
    struct HeldMessage {
        bool room = false;
        UserId from = 0;
        MessageId id = 0;
        std::uint64_t timestampMs = 0;
        std::string text;
    };
    bool m_awaitingContacts = false;  ///< logged in, the contact list not yet in
    bool m_readyOnce = false;
    std::vector<HeldMessage> m_held;

    std::uint64_t m_nowMs = 0;  ///< the last `nowMs` the host passed in
    Backoff m_retryBackoff{kRetryFirstMs, kRetryMaxMs};
    std::uint64_t m_retryAtMs = 0;  ///< 0: no re-send planned

    /// Read receipts, cumulative per conversation: the highest upTo sent to a
    /// peer and reported from a reader (for this account).
    std::unordered_map<UserId, MessageId> m_readSent;
    std::unordered_map<UserId, MessageId> m_readReported;
};

}  // namespace parley::session
