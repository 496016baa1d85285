#pragma once
// One client connection on the server: authentication, the frames it sends,
// and what is delivered to it.
//
// Lifetime: created by Server when a connection opens, stored in the
// connection's context slot and in the DeliveryTable while logged in; ends in
// onClose(). Other threads hold SessionPtr only to post() work to it.
//
// Threading: every method runs on the loop thread of the session's connection,
// except post(), loop() and the const identity accessors documented "any
// thread". Work for a session from elsewhere (a store result, a message routed
// from another loop) arrives through post().
//
// Its parts (Inbox, FileQueue, ContactsPager, LoginVerdict: docs/architecture.md,
// "A session and its parts") hold the state and rules that need no socket.
// The member functions are spread over six files by concern:
// Session.cpp (lifecycle, framing, dispatch, keepalive, limits),
// SessionAuth.cpp (register, login, contacts, presence), SessionTokens.cpp (login tokens),
// SessionDelivery.cpp (chat, room, acks, backlog, hand-off),
// SessionReceipts.cpp (read receipts: relay, store for offline senders),
// SessionFiles.cpp (file relay: pre-flight, FILE_* rules, the chunk queue).

#include "db/Result.h"
#include "db/StoreTypes.h"
#include "platform/TcpConnection.h"
#include "server-gui/engine/ContactsPager.h"
#include "server-gui/engine/FileQueue.h"
#include "server-gui/engine/FileRelay.h"
#include "server-gui/engine/Inbox.h"
#include "server-gui/engine/LoginVerdict.h"
#include "server-gui/engine/SessionTraffic.h"
#include "server-gui/engine/TokenBucket.h"
#include "server-gui/engine/UserDirectory.h"
#include "shared/proto/Framer.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace parley::db {
class Store;
}

namespace parley::server {

struct ServerCore;
struct Limits;
class Session;

/// A token issued with a password login ("remember me"), on its way to the client.
struct IssuedLoginToken {
    proto::IssuedToken wire;  ///< what LOGIN_RESULT carries
    db::Bytes hash;           ///< what the store keeps (and LOGOUT revokes)
};
using SessionPtr = std::shared_ptr<Session>;

class Session : public std::enable_shared_from_this<Session> {
public:
    enum class State : std::uint8_t {
        Unauthenticated,
        Authenticating,  ///< a REGISTER/LOGIN job is running; reading is paused
        Authenticated,
        Closing,  ///< kicked or failed: flushing the last frames, ignoring input
        Closed,
    };

    Session(ServerCore& core, net::TcpConnectionPtr connection);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // ---- loop thread: called by Server for connection events ----
    void start();
    void onMessage(net::Buffer& input);
    void onClose();
    void onCongestion(bool congested);

    // ---- any thread ----
    /// Runs `fn` on the session's loop (now, if already there). Dropped if the
    /// loop has stopped. An exception from `fn` closes this session's
    /// connection (logged); the loop goes on.
    void post(std::function<void(Session&)> fn);
    /// Sends an encoded frame shared between recipients (presence, room).
    void postFrame(std::shared_ptr<const std::string> frame);
    net::Reactor& loop() const { return m_connection->loop(); }

    // ---- loop thread: work posted by other sessions and store jobs ----
    /// A CHAT routed live to this session: `frame` is the encoded frame,
    /// source and timestamp already stamped (copied into the output and the
    /// in-flight queue).
    void deliverLive(proto::UserId sender, proto::MessageId id, std::string_view frame);
    /// A store job committing the CHAT `frame` (stamped) for `recipient`: STORED (or an
    /// ERROR) to the sender wherever it is, then a fetch by the recipient's session here or
    /// a notice to the node where it is. The caller counted it pending in the DeliveryTable.
    static void storeChat(ServerCore& core, proto::UserId recipient, proto::UserId sender, proto::MessageId id,
                          std::string_view frame);
    void sendAck(proto::AckKind kind, proto::UserId peer, proto::MessageId upTo);
    /// A frame the server makes for another session (what that session's sendBody()
    /// would send, from a thread or node where it does not run).
    static std::string encodeFor(proto::UserId source, proto::UserId destination, const proto::Body& body,
                                 proto::MessageId id = 0);
    /// ACK Read from `reader` for this session's user; stored instead if this
    /// session is closing (SessionReceipts.cpp).
    void deliverRead(proto::UserId reader, proto::MessageId upTo);
    /// Loads the read receipts stored for this user and sends them (after the
    /// CONTACTS list), then deletes them from the store.
    void fetchReadReceipts();
    /// `count` encoded frames, written at once (TcpConnection::sendNow) unless
    /// closing: presence fan-out, CONTACTS pages, PONG.
    void sendNow(std::string_view frames, std::size_t count);
    void sendError(proto::ErrorCode code, proto::MessageId id, std::uint8_t refType, const std::string& text);
    void kick(proto::KickReason reason, const std::string& text);
    /// Fetches stored messages if the delivery table allows it now.
    void startBacklogFetch();
    /// Work for this session threw `what`: logged, its connection is closed now
    /// (what was in flight to it goes to the store).
    void failed(const char* what);

    // ---- loop thread: file relay (SessionFiles.cpp) ----
    /// How a relayed FILE_* frame reaches this session's connection.
    enum class FileFrame : std::uint8_t {
        Data,     ///< FILE_CHUNK / FILE_BLOCK_HASH / FILE_DONE: through the chunk queue, in order
        Control,  ///< straight to the output, ahead of queued chunks
        End,      ///< straight, after dropping the queued frames of that transfer
    };
    /// A FILE_* frame for this session, source already stamped. `sender` and
    /// `id` name the transfer (sender = the transfer's sender, not the frame's).
    void deliverFile(proto::UserId sender, proto::TransferId id, FileFrame kind, std::string frame);
    /// The output buffer was written out (or fell to its low-water mark):
    /// move queued chunks and the next CONTACTS pages to it while it is small.
    void onOutputDrained();
    /// The operator ends transfer (sender, id): both sides get FILE_CANCEL Operator
    /// with `reason`. Any thread. False if it is not in progress.
    static bool abortTransfer(ServerCore& core, proto::UserId sender, proto::TransferId id, const std::string& reason);

    // ---- loop thread: identity ----
    State state() const { return m_state; }
    proto::UserId userId() const { return m_userId; }
    /// The login's generation in a cluster (Store::claimHome), 0 on a single server.
    std::uint64_t generation() const { return m_generation; }
    /// From the user directory (not kept per session: idle sessions stay small);
    /// "user <id>" if unknown.
    std::string username() const;
    /// The peer's IP address, for logs, the per-address limits and the operator
    /// (computed: not kept, an idle session is kept small).
    std::string address() const;
    /// Wall-clock milliseconds (Unix epoch) when the connection was accepted.
    std::uint64_t connectedAtMs() const { return m_connectedAtMs; }
    const SessionTraffic& traffic() const { return m_traffic; }

    // ---- loop thread: the loop's idle sweep (SessionLoop) ----
    /// No login within the login period, or nothing arrived for longer than the
    /// idle period (ServerConfig limits, on the engine's clock).
    bool timedOut(std::uint64_t nowMs) const;
    /// ERROR LoginTimeout or IdleTimeout, then close (after timedOut()).
    void closeTimedOut(std::uint64_t nowMs);
    /// This session's place in its SessionLoop's sweep list.
    std::uint32_t sweepSlot() const { return m_sweepSlot; }
    void setSweepSlot(std::uint32_t slot) { m_sweepSlot = slot; }
    /// SessionLoop::presenceQueued() when this session's CONTACTS list was
    /// started: the presence changes before it are in that list already.
    std::uint32_t presenceMark() const { return m_presenceMark; }
    /// Presence goes to this session as PRESENCE_STATES: its client keeps its contact
    /// list (LOGIN's contactsVersion) and the list is complete (protocol 9.13).
    bool takesPresenceStates() const { return m_keepsContacts && !m_contacts.active(); }

private:
    /// The engine's clock (ServerCore::clock), steady and wall milliseconds.
    std::uint64_t steadyNowMs() const;
    std::uint64_t wallNowMs() const;
    // Session.cpp
    bool handleFrame(const proto::FrameView& frame, std::uint64_t nowMs);
    /// REGISTER, LOGIN, PING, PONG and ERROR: the frames a connection may send before login.
    static bool takenBeforeLogin(proto::MessageType type);
    void handleClientError(const proto::Error& error);
    /// Not logged in (or still logging in) after the login period.
    bool loginOverdue(std::uint64_t nowMs) const;
    /// A rate limit's bucket and the start of its current throttled episode.
    struct RateGate {
        TokenBucket bucket;
        std::uint64_t throttledSinceMs = 0;  ///< 0 = not throttled
    };
    /// Takes `cost` tokens from `gate`, or slows (RateLimited) and finally cuts
    /// (Flooding) the session; false: the frame is not taken now. `what` names
    /// the frames in the ERROR text.
    bool admit(RateGate& gate, const TokenRate& rate, double cost, const char* what, std::uint64_t nowMs);
    /// The rate limit `type` falls under (messages, control frames or none), applied.
    bool admitFrame(proto::MessageType type, std::uint64_t nowMs);
    /// Counts what is left in `input` against the pre-login input budget;
    /// false (after ERROR and close) if it would pass it.
    bool holdPreLoginInput(const net::Buffer& input);

    void pauseReading(std::uint64_t resumeAfterMs);
    void resumeReading();
    /// ERROR for a refused frame (`refType`/`id` name it when known), then close.
    void protocolFailure(proto::ProtocolError error, std::uint8_t refType, proto::MessageId id);
    void sendBody(proto::UserId source, proto::MessageId id, const proto::Body& body);
    /// `body` encoded into the loop's reused buffer (valid until the next call).
    std::string_view encodeFrame(proto::UserId source, proto::MessageId id, const proto::Body& body);
    void sendRaw(std::string_view frame);
    void closeAfterFlush();
    void cancelTimers();
    /// In a cluster: the user's home row no longer names this login (a store job).
    void releaseHome() const;
    /// Counts frames written to the connection (server totals and this session's).
    void countOut(std::size_t frames, std::size_t bytes);

    // SessionAuth.cpp
    // `requestId` is the REGISTER/LOGIN frame's messageId, echoed in the result.
    void handleRegister(const proto::Register& request, proto::MessageId requestId);
    void handleLogin(const proto::Login& request, proto::MessageId requestId);
    void registerFinished(db::Status status, proto::UserId id, const proto::Register& request,
                          proto::MessageId requestId, const std::string& error);
    /// Where a login is recorded in a cluster (Store::claimHome): its generation orders
    /// it against logins on other nodes. A single server claims nothing (ok, 0).
    struct HomeClaim {
        bool ok = true;
        std::uint64_t generation = 0;
        std::string error;
    };
    /// On the login's store worker, once the credentials are right.
    static HomeClaim claimHome(ServerCore& core, db::Store& store, proto::UserId user);
    /// False (and the LOGIN answered ServerError) when the claim failed.
    bool refuseUnclaimed(const HomeClaim& claim, proto::MessageId requestId);
    void loginFinished(db::Status status, bool passwordOk, const db::User& user, proto::MessageId requestId,
                       const std::string& error, std::optional<IssuedLoginToken> issued, const HomeClaim& claim);
    void completeLogin(const db::User& user, proto::MessageId requestId, std::uint64_t generation,
                       std::optional<proto::IssuedToken> token = std::nullopt);
    /// Tells the login throttle what a decided login of `username` means (LoginVerdict).
    void applyThrottleStep(ThrottleStep step, const std::string& username);
    void recordLogin() const;
    /// After a login: CONTACT_STATES when the client holds the current list; a
    /// CONTACTS_QUERY always gets the whole list.
    enum class ContactsAnswer { StatesIfCurrent, Full };
    void sendContacts(ContactsAnswer answer);
    void pumpContacts();
    /// This session's user in `state`, with the names from the directory.
    proto::Presence presenceOf(proto::PresenceState state) const;
    void broadcastPresence(proto::PresenceState state) const;

    // SessionTokens.cpp
    /// LOGIN with LoginMode::Token: a SHA-256 and a lookup on a store worker, no PBKDF2.
    void handleTokenLogin(const proto::Login& request, proto::MessageId requestId);
    void tokenLoginFinished(db::Status status, db::TokenCheck check, const db::User& user, db::Bytes hash,
                            proto::MessageId requestId, const std::string& error, const HomeClaim& claim);
    /// A password LOGIN asked for a token: made and saved on the hashing worker.
    static std::optional<IssuedLoginToken> issueLoginToken(ServerCore& core, db::Store& store, proto::UserId user);
    /// LOGOUT: the token this session logged in with (or was given) is revoked.
    void revokeOwnToken();

    // SessionDelivery.cpp
    /// `text` views the frame's payload, already checked to be well-formed.
    void handleChat(const proto::FrameView& frame, std::string_view text, std::uint64_t nowMs);
    void handleRoom(const proto::FrameView& frame, const proto::Room& room, std::uint64_t nowMs);
    void handleAck(const proto::Header& header, const proto::Ack& ack);
    void handleTyping(const proto::Header& header, const proto::Typing& typing);
    void storeOffline(db::OfflineMessage message) const { storeOffline(m_core, std::move(message)); }
    void backlogFetched(std::uint64_t epoch, db::ValueResult<std::vector<db::OfflineMessage>> rows);
    void handOffInFlight();
    static void storeOffline(ServerCore& core, db::OfflineMessage message);

    // SessionReceipts.cpp
    void handleRead(const proto::Header& header, const proto::Ack& ack);
    static void storeReadReceipt(ServerCore& core, db::ReadReceipt receipt);
    void readReceiptsFetched(db::ValueResult<std::vector<db::ReadReceipt>> rows);
    /// Sends the fetched receipts once the CONTACTS list is out (pumpContacts calls again).
    void sendDueReceipts();

    // SessionFiles.cpp
    /// Limits::fileOffersPerSecond / fileOfferBurst.
    static TokenRate fileOfferRate(const Limits& limits);
    void handleFileOffer(const proto::FrameView& frame, const proto::FileOffer& offer);
    void handleFileChunk(const proto::FrameView& frame);
    void handleFileControl(const proto::FrameView& frame, const proto::Body& body);
    void relayFileFrame(const proto::FrameView& frame, const FileRelay::Verdict& verdict);
    void pumpFileQueue();
    void dropFileQueue(proto::UserId sender, proto::TransferId id);
    /// Ends every transfer this session takes part in (it is closing).
    void releaseTransfers();

    ServerCore& m_core;
    net::TcpConnectionPtr m_connection;
    State m_state = State::Unauthenticated;
    proto::UserId m_userId = 0;
    db::Bytes m_tokenHash;           ///< SHA-256 of this session's login token, if it has one
    std::uint64_t m_generation = 0;  ///< this login's claim in a cluster (HomeClaim); 0 alone

    RateGate m_messageGate;
    RateGate m_controlGate;
    TokenBucket m_offerBucket;              ///< FILE_OFFERs (each is database work)
    std::uint64_t m_preLoginInputHeld = 0;  ///< this session's share of ServerCore::preLoginInput
    bool m_readingPaused = false;
    bool m_closing = false;        ///< close() requested while logged in: ignore further input
    bool m_keepsContacts = false;  ///< LOGIN carried contactsVersion (protocol 9.13)
    std::uint64_t m_lastActivityMs = 0;
    std::uint64_t m_acceptedSteadyMs = 0;  ///< engine clock at start(): the login period's start
    net::TimerId m_resumeTimer = net::kInvalidTimerId;
    std::uint32_t m_sweepSlot = 0;
    std::uint32_t m_presenceMark = 0;
    std::uint64_t m_connectedAtMs = 0;
    std::uint64_t m_clientContactsVersion = 0;  ///< of the list the client holds (0: none)
    SessionTraffic m_traffic;

    // Delivery to this session: what is unacknowledged, backlog fetching, congestion.
    Inbox m_inbox;

    // Read receipts; allocated by the first one, so an idle session does not carry it.
    struct Receipts {
        /// The highest upTo passed on per sender, from this session's user as reader.
        std::unordered_map<proto::UserId, proto::MessageId> sent;
        std::vector<db::ReadReceipt> due;  ///< fetched from the store, waiting for CONTACTS
        bool fetching = false;
        bool fetchAgain = false;
    };
    Receipts& receipts();
    std::unique_ptr<Receipts> m_receipts;

    // CONTACTS still to send, page by page as the socket takes them.
    ContactsPager m_contacts;

    // File frames relayed to this session wait here while its output buffer is
    // large; ServerStats::fileBytesQueued counts their bytes.
    FileQueue m_fileQueue;
};

}  // namespace parley::server
