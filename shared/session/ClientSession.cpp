#include "shared/session/ClientSession.h"

#include "shared/proto/Codec.h"
#include "shared/proto/Utf8.h"

#include <algorithm>
#include <cassert>

namespace parley::session {

namespace {

SessionError checkString(const std::string& text) {
    if (text.size() > kMaxTextBytes) {
        return SessionError::TextTooLong;
    }
    if (!proto::isValidUtf8(text.data(), text.size())) {
        return SessionError::InvalidUtf8;
    }
    return SessionError::None;
}

bool isFileType(proto::MessageType type) {
    const auto raw = static_cast<std::uint8_t>(type);
    return raw >= static_cast<std::uint8_t>(proto::MessageType::FileOffer) &&
           raw <= static_cast<std::uint8_t>(proto::MessageType::FileBlockHash);
}

/// Refusals worth retrying with the same credentials on the next connection.
bool isTransient(proto::AuthStatus status) {
    return status == proto::AuthStatus::Throttled || status == proto::AuthStatus::ServerError;
}

/// Clears a flag when receive() returns, also by exception.
class ReceiveScope {
public:
    explicit ReceiveScope(bool& flag) : m_flag(flag) { m_flag = true; }
    ~ReceiveScope() { m_flag = false; }
    ReceiveScope(const ReceiveScope&) = delete;
    ReceiveScope& operator=(const ReceiveScope&) = delete;

private:
    bool& m_flag;
};

}  // namespace

ClientSession::ClientSession(SessionListener& listener) : m_listener(listener) {}

// ---- connection --------------------------------------------------------------

void ClientSession::connectionOpened(std::uint64_t nowMs) {
    if (m_state != SessionState::Disconnected) {
        connectionClosed();
    }
    resetConnection();
    m_nowMs = nowMs;
    m_keepalive.reset(nowMs);
    setState(SessionState::Connected);
    // The listener may have logged in (or closed) from onStateChanged.
    if (m_credentials && m_state == SessionState::Connected) {
        sendLogin();
    }
}

void ClientSession::connectionClosed() {
    if (m_state == SessionState::Disconnected) {
        return;
    }
    resetConnection();
    setState(SessionState::Disconnected);
    if (m_transferHandler != nullptr) {
        m_transferHandler->onDisconnected();
    }
}

void ClientSession::resetConnection() {
    ++m_connectionGeneration;
    m_output.clear();
    m_framer = proto::Framer();
    m_contactPages.clear();
    m_relisting = false;
    m_ackBatch.clear();
    m_closeRequested = false;
    // Held messages were not acknowledged: the server delivers them again.
    m_held.clear();
    m_awaitingContacts = false;
    m_retryAtMs = 0;  // the re-login flush re-sends them
}

void ClientSession::receive(const std::uint8_t* data, std::size_t size, std::uint64_t nowMs) {
    assert(!m_inReceive && "receive() called from inside a listener event");
    if (m_state == SessionState::Disconnected || m_closeRequested || size == 0) {
        return;
    }
    const ReceiveScope scope(m_inReceive);
    m_nowMs = nowMs;
    m_reported.clear();
    const std::uint64_t generation = m_connectionGeneration;
    m_keepalive.onReceived(nowMs);
    m_framer.feed(data, size);

    proto::FrameView frame;
    while (generation == m_connectionGeneration && !m_closeRequested) {
        const proto::FrameStatus status = m_framer.next(frame);
        if (status == proto::FrameStatus::NeedMore) {
            break;
        }
        if (status == proto::FrameStatus::Error) {
            fail(m_framer.error(), 0);
            break;
        }
        handleFrame(frame);
    }
    // A listener that closed the connection mid-call also dropped the batch.
    if (generation == m_connectionGeneration) {
        flushAcks();
    }
}

void ClientSession::rejectLastReceive() {
    for (const auto& [sender, id] : m_reported) {
        m_duplicates.forget(sender, id);
    }
    m_reported.clear();
    m_output.clear();
}

void ClientSession::tick(std::uint64_t nowMs) {
    if (m_state == SessionState::Disconnected || m_closeRequested) {
        return;
    }
    m_nowMs = nowMs;
    switch (m_keepalive.poll(nowMs)) {
    case Keepalive::Action::None: break;
    case Keepalive::Action::SendPing: {
        proto::Header header;
        header.messageId = m_nextPingId++;
        send(header, proto::Ping{});
        break;
    }
    case Keepalive::Action::Dead:
        m_closeRequested = true;
        m_listener.onConnectionDead();
        return;
    }
    if (m_state == SessionState::LoggedIn && m_retryAtMs != 0 && nowMs >= m_retryAtMs) {
        resendRetries();
    }
    if (m_transferHandler != nullptr && m_state == SessionState::LoggedIn) {
        m_transferHandler->onTick(nowMs);
    }
}

void ClientSession::resendRetries() {
    m_retryAtMs = 0;
    for (const OutgoingMessage& message : m_outbox.takeRetries()) {
        transmit(message, true);
    }
}

// ---- output --------------------------------------------------------------------

std::vector<std::uint8_t> ClientSession::takeOutput() {
    std::vector<std::uint8_t> out;
    out.swap(m_output);
    return out;
}

void ClientSession::setOutputCallback(OutputCallback callback) {
    m_outputCallback = std::move(callback);
    if (m_outputCallback && !m_output.empty()) {
        const std::vector<std::uint8_t> pending = takeOutput();
        m_outputCallback(pending.data(), pending.size());
    }
}

void ClientSession::send(const proto::Header& header, const proto::Body& body) {
    // Nothing can be written without a connection; what must survive a
    // disconnect lives in the outbox, not in the output buffer.
    if (m_state == SessionState::Disconnected) {
        return;
    }
    m_keepalive.onSent(m_nowMs);
    if (m_outputCallback) {
        const std::vector<std::uint8_t> bytes = proto::encode(header, body);
        m_outputCallback(bytes.data(), bytes.size());
    } else {
        proto::encode(m_output, header, body);
    }
}

void ClientSession::sendTo(UserId destination, const proto::Body& body) {
    proto::Header header;
    header.destination = destination;
    send(header, body);
}

void ClientSession::sendError(proto::ErrorCode code, std::uint8_t refType, const std::string& text) {
    sendTo(proto::kServerId, proto::Error{code, refType, text});
}

void ClientSession::sendLogin() {
    assert(m_credentials);
    // The mode byte goes out when contactsVersion follows it or a token is involved; without
    // both it is the LOGIN of clients before tokens (what an old server is sent again).
    proto::Login login{m_credentials->username, m_credentials->secret};
    if (m_keepsContacts) {
        login.mode = m_credentials->mode;
        login.contactsVersion = m_contactsVersion;
    } else if (m_credentials->mode != proto::LoginMode::Password) {
        login.mode = m_credentials->mode;
    }
    sendTo(proto::kServerId, login);
    setState(SessionState::LoggingIn);
}

void ClientSession::transmit(const OutgoingMessage& message, bool resent) {
    proto::Header header;
    header.destination = message.peer;
    header.messageId = message.id;
    header.flags = resent ? proto::flags::kResent : std::uint16_t{0};
    if (message.type == proto::MessageType::Room) {
        send(header, proto::Room{message.timestampMs, message.text});
    } else {
        send(header, proto::Chat{message.timestampMs, message.text});
    }
}

// ---- actions -------------------------------------------------------------------

SessionError ClientSession::registerAccount(const std::string& username, const std::string& password,
                                            const std::string& displayName) {
    if (m_state == SessionState::Disconnected) {
        return SessionError::NotConnected;
    }
    if (m_state != SessionState::Connected) {
        return SessionError::AlreadyLoggedIn;
    }
    for (const std::string* field : {&username, &password, &displayName}) {
        if (const SessionError error = checkString(*field); error != SessionError::None) {
            return error;
        }
    }
    sendTo(proto::kServerId, proto::Register{username, password, displayName});
    return SessionError::None;
}

SessionError ClientSession::login(const std::string& username, const std::string& password, bool remember) {
    return startLogin({username, password, remember ? proto::LoginMode::PasswordAndToken : proto::LoginMode::Password});
}

SessionError ClientSession::loginWithToken(const std::string& username, const std::string& token) {
    return startLogin({username, token, proto::LoginMode::Token});
}

SessionError ClientSession::startLogin(Credentials credentials) {
    if (m_state == SessionState::LoggingIn || m_state == SessionState::LoggedIn) {
        return SessionError::AlreadyLoggedIn;
    }
    for (const std::string* field : {&credentials.username, &credentials.secret}) {
        if (const SessionError error = checkString(*field); error != SessionError::None) {
            return error;
        }
    }
    m_credentials = std::move(credentials);
    if (m_state == SessionState::Connected) {
        sendLogin();
    }
    return SessionError::None;
}

void ClientSession::logout() {
    m_credentials.reset();
    if (m_state == SessionState::LoggingIn || m_state == SessionState::LoggedIn) {
        sendTo(proto::kServerId, proto::Logout{});
        setState(SessionState::Connected);
    }
}

void ClientSession::leave() { m_credentials.reset(); }

SessionError ClientSession::queryContacts() {
    if (m_state != SessionState::LoggedIn) {
        return SessionError::NotLoggedIn;
    }
    sendTo(proto::kServerId, proto::ContactsQuery{});
    return SessionError::None;
}

SendResult ClientSession::sendChat(UserId to, std::string text, std::uint64_t wallClockMs) {
    if (to == proto::kServerId) {
        return {0, SessionError::InvalidRecipient};
    }
    return queueMessage(proto::MessageType::Chat, to, std::move(text), wallClockMs);
}

SessionError ClientSession::sendRead(UserId peer, MessageId upTo) {
    if (peer == proto::kServerId || peer == m_userId) {
        return SessionError::InvalidRecipient;
    }
    if (m_state != SessionState::LoggedIn) {
        return SessionError::NotLoggedIn;
    }
    MessageId& sent = m_readSent[peer];
    if (upTo > sent) {
        sent = upTo;
        sendTo(peer, proto::Ack{proto::AckKind::Read, upTo});
    }
    return SessionError::None;
}

MessageId ClientSession::readSentTo(UserId peer) const {
    const auto found = m_readSent.find(peer);
    return found == m_readSent.end() ? 0 : found->second;
}

SendResult ClientSession::sendRoom(std::string text, std::uint64_t wallClockMs) {
    return queueMessage(proto::MessageType::Room, proto::kServerId, std::move(text), wallClockMs);
}

SendResult ClientSession::queueMessage(proto::MessageType type, UserId peer, std::string text,
                                       std::uint64_t wallClockMs) {
    if (text.empty()) {
        return {0, SessionError::EmptyText};
    }
    // Refused here rather than by the server, which would answer ERROR.
    if (text.size() > kMaxChatTextBytes) {
        return {0, SessionError::TextTooLong};
    }
    if (const SessionError error = checkString(text); error != SessionError::None) {
        return {0, error};
    }
    OutgoingMessage message;
    message.type = type;
    message.peer = peer;
    message.id = m_messageIds.next(wallClockMs);
    message.timestampMs = wallClockMs;
    message.text = std::move(text);
    // When not logged in, the message waits for the flush after LOGIN_RESULT.
    const MessageId id = message.id;
    // The host persists it before any byte of it is written.
    m_listener.onMessageQueued(message);
    if (m_state == SessionState::LoggedIn) {
        transmit(message, false);
        message.transmitted = true;
    }
    m_outbox.add(std::move(message));
    return {id, SessionError::None};
}

bool ClientSession::restoreOutbox(std::vector<OutgoingMessage> messages) {
    for (const OutgoingMessage& message : messages) {
        m_messageIds.observe(message.id);
    }
    return m_outbox.restore(std::move(messages));
}

SessionError ClientSession::setTyping(UserId to, bool typing) {
    if (to == proto::kServerId) {
        return SessionError::InvalidRecipient;
    }
    if (m_state != SessionState::LoggedIn) {
        return SessionError::NotLoggedIn;
    }
    sendTo(to, proto::Typing{typing});
    return SessionError::None;
}

SessionError ClientSession::sendFileMessage(UserId to, const proto::Body& body) {
    if (!isFileType(proto::typeOf(body))) {
        return SessionError::NotAFileMessage;
    }
    if (to == proto::kServerId) {
        return SessionError::InvalidRecipient;
    }
    if (m_state != SessionState::LoggedIn) {
        return SessionError::NotLoggedIn;
    }
    sendTo(to, body);
    return SessionError::None;
}

// ---- input -----------------------------------------------------------------------

void ClientSession::setState(SessionState state) {
    if (m_state == state) {
        return;
    }
    m_state = state;
    m_listener.onStateChanged(state);
}

void ClientSession::fail(proto::ProtocolError error, std::uint8_t refType) {
    // Acknowledge what was already reported before giving up on the stream.
    flushAcks();
    sendError(proto::toErrorCode(error), refType, proto::toString(error));
    m_closeRequested = true;
    m_listener.onProtocolError(error);
}

void ClientSession::handleFrame(const proto::FrameView& frame) {
    const proto::Header header = frame.header;
    proto::Body body;
    const proto::ProtocolError error = proto::decodePayload(header, frame.payload, frame.payloadSize, body);
    if (error == proto::ProtocolError::UnknownType) {
        // A newer server: say so and carry on (version tolerance).
        sendError(proto::ErrorCode::UnsupportedType, header.type, "unsupported message type");
        return;
    }
    if (error != proto::ProtocolError::None) {
        if (proto::isFatal(error)) {
            fail(error, header.type);
        } else {
            sendError(proto::toErrorCode(error), header.type, proto::toString(error));
        }
        return;
    }
    dispatch(header, body);
}

void ClientSession::dispatch(const proto::Header& header, const proto::Body& body) {
    // decodePayload() fills the alternative that matches header.type.
    switch (header.messageType()) {
    case proto::MessageType::RegisterResult: m_listener.onRegisterResult(std::get<proto::RegisterResult>(body)); return;
    case proto::MessageType::LoginResult: handleLoginResult(std::get<proto::LoginResult>(body)); return;
    case proto::MessageType::Kicked: handleKicked(std::get<proto::Kicked>(body)); return;
    case proto::MessageType::Contacts: handleContacts(std::get<proto::Contacts>(body)); return;
    case proto::MessageType::Presence: handlePresence(std::get<proto::Presence>(body)); return;
    case proto::MessageType::ContactStates: handleContactStates(std::get<proto::ContactStates>(body)); return;
    case proto::MessageType::PresenceStates: handlePresenceStates(std::get<proto::PresenceStates>(body)); return;
    case proto::MessageType::Chat: handleChat(header, std::get<proto::Chat>(body)); return;
    case proto::MessageType::Room: handleRoom(header, std::get<proto::Room>(body)); return;
    case proto::MessageType::Ack: handleAck(header, std::get<proto::Ack>(body)); return;
    case proto::MessageType::Typing: m_listener.onTyping(header.source, std::get<proto::Typing>(body).typing); return;
    case proto::MessageType::FileOffer:
    case proto::MessageType::FileAccept:
    case proto::MessageType::FileReject:
    case proto::MessageType::FileChunk:
    case proto::MessageType::FileDone:
    case proto::MessageType::FileCancel:
    case proto::MessageType::FileCredit:
    case proto::MessageType::FileResult:
    case proto::MessageType::FileBlockHash: handleFileMessage(header, body); return;
    case proto::MessageType::Ping: {
        proto::Header pong;
        pong.messageId = header.messageId;
        send(pong, proto::Pong{});
        return;
    }
    case proto::MessageType::Pong: return;  // every byte received already counts as life (Keepalive)
    case proto::MessageType::Error: handleError(header, std::get<proto::Error>(body)); return;
    case proto::MessageType::Register:
    case proto::MessageType::Login:
    case proto::MessageType::Logout:
    case proto::MessageType::ContactsQuery:
        // Client-to-server types: a client does not handle them.
        sendError(proto::ErrorCode::UnsupportedType, header.type, "not accepted by clients");
        return;
    }
}

void ClientSession::handleError(const proto::Header& header, const proto::Error& error) {
    m_listener.onServerError(error);
    const bool loginRefused = error.code == proto::ErrorCode::MalformedPayload &&
                              error.refType == static_cast<std::uint8_t>(proto::MessageType::Login) &&
                              m_state == SessionState::LoggingIn && m_credentials;
    if (loginRefused && m_keepsContacts) {
        // A server from before CONTACT_STATES (protocol 10): the LOGIN without contactsVersion.
        m_keepsContacts = false;
        m_contactsVersion = 0;
        sendLogin();
        return;
    }
    if (loginRefused && m_credentials->mode != proto::LoginMode::Password) {
        handleLoginWithoutTokens();
        return;
    }
    if (header.messageId == 0) {
        return;
    }
    // An ERROR that names one of our messages refuses it for good: it
    // leaves the outbox rather than being re-sent after every reconnect.
    if (error.code == proto::ErrorCode::InvalidMessage || error.code == proto::ErrorCode::UnknownDestination) {
        report(m_outbox.refuse(header.messageId));
        return;
    }
    // Not taken for now (the server's database is down): try again later on
    // this connection; the receiver drops a copy it already has by its id.
    if (error.code == proto::ErrorCode::ServerUnavailable && m_outbox.deferRetry(header.messageId) &&
        m_retryAtMs == 0) {
        m_retryAtMs = m_nowMs + m_retryBackoff.nextDelayMs();
    }
}

void ClientSession::handleLoginWithoutTokens() {
    // A server from before login tokens refuses LOGIN's mode byte (protocol 10): with the
    // password, log in again as clients did then; a token alone cannot log in there.
    if (m_credentials->mode == proto::LoginMode::PasswordAndToken) {
        m_credentials->mode = proto::LoginMode::Password;
        sendLogin();
        return;
    }
    const std::string username = m_credentials->username;
    const std::string why = "the server does not support saved logins; log in with your password";
    m_credentials.reset();
    setState(SessionState::Connected);
    m_listener.onPasswordNeeded(username, why);
    m_listener.onLoginResult(proto::LoginResult{proto::AuthStatus::TokenInvalid, 0, 0, "", why});
}

void ClientSession::handleLoginResult(const proto::LoginResult& result) {
    // E.g. the answer to a LOGIN that logout() already cancelled.
    if (m_state != SessionState::LoggingIn) {
        return;
    }
    if (result.status != proto::AuthStatus::Ok) {
        const bool tokenRefused = usesToken() && (result.status == proto::AuthStatus::TokenInvalid ||
                                                  result.status == proto::AuthStatus::TokenExpired);
        const std::string username = m_credentials ? m_credentials->username : std::string();
        if (!isTransient(result.status)) {
            m_credentials.reset();  // no automatic retry with credentials that cannot work
        }
        setState(SessionState::Connected);
        if (tokenRefused) {
            m_listener.onPasswordNeeded(username, result.text);
        }
        m_listener.onLoginResult(result);
        return;
    }
    if (result.token && m_credentials) {
        // From now on the token logs in again (reconnects); the password is dropped.
        m_credentials = Credentials{m_credentials->username, result.token->token, proto::LoginMode::Token};
        m_listener.onLoginToken(m_credentials->username, *result.token);
    }

    m_userId = result.userId;
    m_displayName = result.displayName;
    std::vector<MessageStateChange> abandoned;
    if (m_outboxOwner != 0 && m_outboxOwner != result.userId) {
        // Another account: the old one's messages must not go out under its name.
        abandoned = m_outbox.abandonAll();
        m_duplicates.clear();
        m_contacts.clear();
        m_contactsVersion = 0;
        m_readSent.clear();
        m_readReported.clear();
    }
    m_outboxOwner = result.userId;

    // The outbox goes out before any event: a listener that sends from
    // onStateChanged/onLoginResult must not overtake older messages.
    m_state = SessionState::LoggedIn;
    m_outbox.clearRetries();  // the flush re-sends them
    m_retryAtMs = 0;
    for (const OutgoingMessage& message : m_outbox.pending()) {
        transmit(message, message.transmitted);
    }
    m_outbox.markAllTransmitted();
    m_awaitingContacts = true;  // the server sends CONTACTS after every login
    // ...or CONTACT_STATES, which names the users who are not offline: the others are.
    if (m_keepsContacts && m_contactsVersion != 0) m_contacts.markAllOffline();

    m_listener.onStateChanged(SessionState::LoggedIn);
    report(abandoned);
    m_listener.onLoginResult(result);
    if (m_transferHandler != nullptr) {
        m_transferHandler->onLoggedIn();
    }
}

void ClientSession::handleKicked(const proto::Kicked& kicked) {
    // Forget the credentials: reconnecting would kick the session that took
    // over, which would then kick us, and so on.
    m_credentials.reset();
    if (m_state == SessionState::LoggingIn || m_state == SessionState::LoggedIn) {
        setState(SessionState::Connected);
    }
    m_listener.onKicked(kicked.reason, kicked.text);
}

void ClientSession::handleContacts(const proto::Contacts& page) {
    m_contactPages.insert(m_contactPages.end(), page.contacts.begin(), page.contacts.end());
    if (!page.last) {
        return;
    }
    m_contacts.replace(m_contactPages);
    m_contactPages.clear();
    m_contactsVersion = m_keepsContacts ? page.version.value_or(0) : 0;
    m_relisting = false;
    m_listener.onContactsChanged(m_contacts);
    if (m_awaitingContacts && m_state == SessionState::LoggedIn) {
        becomeReady();
    }
}

void ClientSession::becomeReady() {
    const std::uint64_t generation = m_connectionGeneration;
    m_awaitingContacts = false;
    const bool first = !m_readyOnce;
    m_readyOnce = true;
    m_listener.onReady(first);
    std::vector<HeldMessage> held;
    held.swap(m_held);
    for (const HeldMessage& message : held) {
        // A listener may close the connection: the rest stays unacknowledged.
        if (generation != m_connectionGeneration) {
            return;
        }
        deliver(message.room, message.from, message.id, message.timestampMs, message.text);
    }
}

void ClientSession::handleContactStates(const proto::ContactStates& page) {
    // The list is the one of the last login (markAllOffline() at LOGIN_RESULT); the pages
    // name who is not offline, and PRESENCE between them applies in arrival order.
    bool unknown = false;
    for (const proto::ContactState& entry : page.states) {
        unknown = !m_contacts.setState(entry.userId, entry.state) || unknown;
    }
    if (!page.last) {
        return;
    }
    m_listener.onContactsChanged(m_contacts);
    if (unknown) relist();
    if (m_awaitingContacts && m_state == SessionState::LoggedIn) {
        becomeReady();
    }
}

void ClientSession::handlePresence(const proto::Presence& presence) { applyPresence(presence.contact); }

void ClientSession::handlePresenceStates(const proto::PresenceStates& changes) {
    for (const proto::ContactState& change : changes.states) {
        const proto::Contact* known = m_contacts.find(change.userId);
        if (known == nullptr) {
            relist();  // the server names only users it told us of
            continue;
        }
        proto::Contact contact = *known;
        contact.state = change.state;
        applyPresence(contact);
    }
}

void ClientSession::applyPresence(const proto::Contact& changed) {
    m_contacts.upsert(changed);
    // A list being paged in must not bring back the state this replaced.
    for (proto::Contact& contact : m_contactPages) {
        if (contact.userId == changed.userId) {
            contact = changed;
        }
    }
    m_listener.onPresenceChanged(changed);
    // An interrupted transfer to this user can resume now (protocol 9.8 rule 9).
    if (m_transferHandler != nullptr && changed.state == proto::PresenceState::Online) {
        m_transferHandler->onPeerOnline(changed.userId);
    }
}

void ClientSession::relist() {
    m_contactsVersion = 0;
    if (m_relisting || m_state != SessionState::LoggedIn) return;
    m_relisting = true;
    sendTo(proto::kServerId, proto::ContactsQuery{});
}

void ClientSession::handleChat(const proto::Header& header, const proto::Chat& chat) {
    if (m_awaitingContacts) {
        m_held.push_back({false, header.source, header.messageId, chat.timestampMs, chat.text});
        return;
    }
    deliver(false, header.source, header.messageId, chat.timestampMs, chat.text);
}

void ClientSession::handleRoom(const proto::Header& header, const proto::Room& room) {
    if (m_awaitingContacts) {
        m_held.push_back({true, header.source, header.messageId, room.timestampMs, room.text});
        return;
    }
    deliver(true, header.source, header.messageId, room.timestampMs, room.text);
}

void ClientSession::deliver(bool room, UserId from, MessageId id, std::uint64_t timestampMs, const std::string& text) {
    // One id space per sender covers CHAT and ROOM, so one filter serves both.
    const bool fresh = m_duplicates.accept(from, id);
    if (fresh) {
        m_reported.emplace_back(from, id);
    }
    if (room) {
        if (fresh) {
            m_listener.onRoomMessageReceived(from, id, timestampMs, text);
        }
        return;
    }
    noteReceived(from, id);  // acknowledged also when a duplicate: the sender needs it
    if (fresh) {
        m_listener.onChatReceived(from, id, timestampMs, text);
    }
}

void ClientSession::handleAck(const proto::Header& header, const proto::Ack& ack) {
    if (ack.kind == proto::AckKind::Read) {
        handleRead(header.source, ack.upTo);
        return;
    }
    // On S->C the conversation peer is the source (kServerId for ROOM).
    if (ack.kind == proto::AckKind::Stored) {
        m_retryBackoff.reset();  // the server can store again
    }
    report(m_outbox.acknowledge(header.source, ack.kind, ack.upTo));
}

void ClientSession::handleRead(UserId reader, MessageId upTo) {
    MessageId& reported = m_readReported[reader];
    if (upTo <= reported) {
        return;  // cumulative: a lower or repeated receipt says nothing new
    }
    reported = upTo;
    m_listener.onRead(reader, upTo);
}

void ClientSession::handleFileMessage(const proto::Header& header, const proto::Body& body) {
    if (m_transferHandler != nullptr) {
        m_transferHandler->onFileMessage(header, body);
        return;
    }
    // Without a transfer handler, decline offers so the sender is not left waiting.
    if (const auto* offer = std::get_if<proto::FileOffer>(&body)) {
        sendTo(header.source, proto::FileReject{offer->transferId, proto::FileRejectReason::Declined,
                                                "this client does not accept files"});
    }
}

void ClientSession::noteReceived(UserId sender, MessageId id) {
    const auto found = std::find_if(m_ackBatch.begin(), m_ackBatch.end(),
                                    [sender](const auto& entry) { return entry.first == sender; });
    if (found == m_ackBatch.end()) {
        m_ackBatch.emplace_back(sender, id);
    } else {
        found->second = std::max(found->second, id);
    }
}

void ClientSession::flushAcks() {
    for (const auto& [sender, upTo] : m_ackBatch) {
        sendTo(sender, proto::Ack{proto::AckKind::Received, upTo});
    }
    m_ackBatch.clear();
}

void ClientSession::report(const std::vector<MessageStateChange>& changes) {
    for (const MessageStateChange& change : changes) {
        m_listener.onMessageStateChanged(change.peer, change.id, change.state);
    }
}

}  // namespace parley::session
