#include "server-gui/engine/Session.h"

#include "platform/CatchAll.h"
#include "server-gui/engine/ConnectionBounds.h"
#include "server-gui/engine/ServerCore.h"
#include "server-gui/engine/SessionLoop.h"
#include "server-gui/engine/Validation.h"
#include "shared/proto/Codec.h"
#include "shared/text/Printable.h"

#include <algorithm>
#include <chrono>
#include <string>

namespace parley::server {

using proto::ErrorCode;
using proto::MessageType;

namespace {

TokenRate messageRate(const Limits& limits) { return {limits.messagesPerSecond, limits.messageBurst}; }
TokenRate controlRate(const Limits& limits) { return {limits.controlFramesPerSecond, limits.controlFrameBurst}; }

/// The frames under the message rate (once logged in).
bool isMessage(MessageType type) {
    return type == MessageType::Chat || type == MessageType::Room || type == MessageType::Typing;
}

}  // namespace

Session::Session(ServerCore& core, net::TcpConnectionPtr connection)
    : m_core(core),
      m_connection(std::move(connection)),
      m_messageGate{TokenBucket(messageRate(core.config.limits))},
      m_controlGate{TokenBucket(controlRate(core.config.limits))},
      m_offerBucket(fileOfferRate(core.config.limits)) {}

Session::~Session() = default;

std::uint64_t Session::steadyNowMs() const { return m_core.clock.steadyMs(); }

std::uint64_t Session::wallNowMs() const { return m_core.clock.wallMs(); }

void Session::start() {
    m_lastActivityMs = m_acceptedSteadyMs = steadyNowMs();
    m_connectedAtMs = wallNowMs();
    // Both time limits (login, idle) are checked a few times per period by the
    // loop's sweep on the engine's clock: no timer per session (a storm of
    // connections would insert and cancel one each), nothing re-armed per frame.
    const Limits& limits = m_core.config.limits;
    const auto checkEvery = std::chrono::milliseconds(
        std::max<std::uint32_t>(std::min(limits.idleTimeoutMs, limits.loginTimeoutMs) / 4, 10));
    SessionLoop::of(loop()).watch(shared_from_this(), checkEvery);
}

std::string Session::username() const {
    std::string name = m_core.users.username(m_userId);
    return name.empty() ? "user " + std::to_string(m_userId) : name;
}

std::string Session::address() const { return m_connection->peerAddress().ip(); }

void Session::post(std::function<void(Session&)> fn) {
    loop().runInLoop([self = shared_from_this(), fn = std::move(fn)] {
        net::catchAll([&] { fn(*self); }, [&self](const char* what) { self->failed(what); });
    });
}

void Session::postFrame(std::shared_ptr<const std::string> frame) {
    post([frame = std::move(frame)](Session& s) {
        if (s.m_state == State::Authenticated) s.sendRaw(*frame);
    });
}

void Session::failed(const char* what) {
    m_core.log(LogLevel::Error, "closing the connection of " + (m_userId != 0 ? username() : address()) + ": " + what +
                                    " while serving it");
    m_connection->forceClose();
}

void Session::onMessage(net::Buffer& input) {
    const std::uint64_t now = steadyNowMs();
    const auto takesInput = [this] {
        return m_state < State::Closing && !m_closing && !m_readingPaused && m_state != State::Authenticating;
    };
    if (takesInput()) {
        // The state that sets the payload limit holds for the whole scan: a LOGIN stops it
        // (Authenticating), and the next scan starts once the login is decided.
        const std::uint32_t maxPayload =
            m_state == State::Authenticated ? proto::kMaxPayload : m_core.config.limits.preLoginMaxPayload;
        const auto* data = reinterpret_cast<const std::uint8_t*>(input.peek());
        const proto::FrameScan scan = proto::scanFrames(
            data, input.readableBytes(),
            [&](const proto::FrameView& frame) {
                if (!handleFrame(frame, now)) return proto::FrameAction::Leave;  // not taken now: stays
                m_lastActivityMs = now;  // idle means no complete frame, not no byte
                ServerStats::add(m_core.stats.framesIn);
                ServerStats::add(m_core.stats.bytesIn, frame.frameSize());
                m_traffic.bytesIn += frame.frameSize();
                const auto type = static_cast<proto::MessageType>(frame.header.type);
                if (type == proto::MessageType::Chat || type == proto::MessageType::Room) {
                    ++m_traffic.messagesIn;
                    ServerStats::add(m_core.stats.chatBytesIn, frame.frameSize());
                }
                return takesInput() ? proto::FrameAction::Next : proto::FrameAction::Stop;
            },
            maxPayload);
        input.retrieve(scan.consumed);
        if (scan.status == proto::FrameStatus::Error) {
            // Past magic and version, a whole header names the frame (protocol 8).
            const bool named = input.readableBytes() >= proto::kHeaderSize &&
                               scan.error != proto::ProtocolError::BadMagic &&
                               scan.error != proto::ProtocolError::UnsupportedVersion;
            const proto::Header header =
                named ? proto::decodeHeader(reinterpret_cast<const std::uint8_t*>(input.peek())) : proto::Header{};
            protocolFailure(scan.error, named ? header.type : 0, header.messageId);
            return;
        }
    }
    if (m_state != State::Authenticated && m_state < State::Closing) holdPreLoginInput(input);
}

bool Session::holdPreLoginInput(const net::Buffer& input) {
    if (m_core.preLoginInput.resize(m_preLoginInputHeld, input.readableBytes())) return true;
    m_core.logPeerCaused("pre-login input budget", LogLevel::Warn,
                         "closed a connection from " + address() +
                             ": the unfinished input of connections that have not logged in is at its budget");
    sendError(ErrorCode::ServerUnavailable, 0, 0,
              "the server holds too much unfinished input before login; try again later");
    closeAfterFlush();
    return false;
}

bool Session::admitFrame(MessageType type, std::uint64_t nowMs) {
    const Limits& limits = m_core.config.limits;
    const bool authenticated = m_state == State::Authenticated;
    if (authenticated && isMessage(type)) return admit(m_messageGate, messageRate(limits), 1.0, "messages", nowMs);
    const bool fileData =
        type == MessageType::FileChunk || type == MessageType::FileBlockHash || type == MessageType::FileDone;
    if (authenticated && fileData) return true;  // paced by the credit window
    double cost = 1.0;                           // everything else, unknown types and frames refused before login too
    if (type == MessageType::ContactsQuery) {
        const double perToken = std::max<std::uint32_t>(limits.contactsPerControlToken, 1);
        cost = std::max(1.0, static_cast<double>(m_core.users.size()) / perToken);
    }
    const TokenRate rate = controlRate(limits);
    return admit(m_controlGate, rate, std::min(cost, rate.burst), "control frames", nowMs);
}

bool Session::handleFrame(const proto::FrameView& frame, std::uint64_t nowMs) {
    const proto::Header& header = frame.header;
    if (!admitFrame(header.messageType(), nowMs)) return false;
    if (!proto::isKnownType(header.type)) {
        // A newer peer: say so and carry on (docs/protocol.md, "Versioning").
        sendError(ErrorCode::UnsupportedType, header.messageId, header.type,
                  "message type " + std::to_string(header.type) + " is not supported");
        return true;
    }
    const MessageType type = header.messageType();
    if (m_state != State::Authenticated && !takenBeforeLogin(type)) {
        sendError(ErrorCode::NotAuthenticated, header.messageId, header.type, "log in first");
        return true;
    }
    // CHAT and FILE_CHUNK, the relay's hot path, are checked in place on the frame
    // and never decoded into a copy.
    proto::Body body;
    if (type != MessageType::Chat && type != MessageType::FileChunk) {
        const proto::ProtocolError error = proto::decodePayload(header, frame.payload, frame.payloadSize, body);
        if (error != proto::ProtocolError::None) {
            protocolFailure(error, header.type, header.messageId);
            return true;
        }
    }
    switch (type) {
    case MessageType::Register: handleRegister(std::get<proto::Register>(body), header.messageId); break;
    case MessageType::Login: handleLogin(std::get<proto::Login>(body), header.messageId); break;
    case MessageType::Ping:
        // A lone answer on an otherwise idle connection: written at once, so
        // that the keep-alives of thousands of idle users take no buffers.
        sendNow(encodeFrame(proto::kServerId, header.messageId, proto::Pong{}), 1);
        break;
    case MessageType::Pong: break;
    case MessageType::Error: handleClientError(std::get<proto::Error>(body)); break;
    case MessageType::Logout:
        revokeOwnToken();
        closeAfterFlush();
        break;
    case MessageType::ContactsQuery: sendContacts(ContactsAnswer::Full); break;
    case MessageType::Chat: {
        proto::ChatView chat;
        const proto::ProtocolError error = proto::viewChat(frame.payload, frame.payloadSize, chat);
        if (error != proto::ProtocolError::None) protocolFailure(error, header.type, header.messageId);
        else handleChat(frame, chat.text, nowMs);
        break;
    }
    case MessageType::Room: handleRoom(frame, std::get<proto::Room>(body), nowMs); break;
    case MessageType::Ack: handleAck(header, std::get<proto::Ack>(body)); break;
    case MessageType::Typing: handleTyping(header, std::get<proto::Typing>(body)); break;
    case MessageType::FileOffer: handleFileOffer(frame, std::get<proto::FileOffer>(body)); break;
    case MessageType::FileChunk: handleFileChunk(frame); break;
    case MessageType::FileAccept:
    case MessageType::FileReject:
    case MessageType::FileDone:
    case MessageType::FileCancel:
    case MessageType::FileCredit:
    case MessageType::FileResult:
    case MessageType::FileBlockHash: handleFileControl(frame, body); break;
    default:
        // Server-to-client types (LOGIN_RESULT, CONTACTS, ...) from a client.
        sendError(ErrorCode::InvalidMessage, header.messageId, header.type,
                  std::string(proto::toString(type)) + " is not sent by clients");
        break;
    }
    return true;
}

bool Session::takenBeforeLogin(MessageType type) {
    // docs/protocol.md, section 7 (NotAuthenticated). ERROR too: a receiver
    // never answers an ERROR with an ERROR.
    return type == MessageType::Register || type == MessageType::Login || type == MessageType::Ping ||
           type == MessageType::Pong || type == MessageType::Error;
}

void Session::handleClientError(const proto::Error& error) {
    const std::string who = m_state == State::Authenticated ? username() : "a connection from " + address();
    m_core.logPeerCaused(
        "errors reported by clients", LogLevel::Info,
        who + " reported an error: " + proto::toString(error.code) + " " + text::printable(error.text));
    // The client closes after a closing ERROR; so does the server (protocol section 8).
    if (proto::closesConnection(error.code)) closeAfterFlush();
}

bool Session::admit(RateGate& gate, const TokenRate& rate, double cost, const char* what, std::uint64_t nowMs) {
    const auto& limits = m_core.config.limits;
    if (gate.bucket.tryTake(nowMs, rate, cost)) {
        // Out of the episode once the client has let the bucket refill halfway.
        if (gate.throttledSinceMs != 0 && gate.bucket.tokens() >= rate.burst / 2) gate.throttledSinceMs = 0;
        return true;
    }
    if (gate.throttledSinceMs == 0) {
        gate.throttledSinceMs = nowMs;
        sendError(ErrorCode::RateLimited, 0, 0,
                  "more than " + std::to_string(static_cast<unsigned>(rate.perSecond)) + " " + what +
                      " per second: slowing down");
    } else if (nowMs - gate.throttledSinceMs > limits.floodCutAfterMs) {
        sendError(ErrorCode::Flooding, 0, 0,
                  std::string("kept sending over the rate limit of ") + what + "; disconnected");
        m_core.logPeerCaused("flooding", LogLevel::Warn,
                             "cut " + username() + " (" + address() + ") for flooding with " + what);
        closeAfterFlush();
        return false;
    }
    // Nothing is dropped: the frame stays in the input buffer and reading
    // resumes when the tokens it needs are due.
    const double msPerToken = 1000.0 / std::max(rate.perSecond, 0.001);
    const double missing = std::max(cost - gate.bucket.tokens(), 1.0);
    pauseReading(static_cast<std::uint64_t>(msPerToken * missing) + 1);
    return false;
}

void Session::pauseReading(std::uint64_t resumeAfterMs) {
    if (m_readingPaused) return;
    m_readingPaused = true;
    m_connection->stopReading();
    std::weak_ptr<Session> weak = weak_from_this();
    m_resumeTimer = loop().runAfter(std::chrono::milliseconds(resumeAfterMs), [weak] {
        if (auto self = weak.lock()) {
            self->m_resumeTimer = net::kInvalidTimerId;
            self->resumeReading();
        }
    });
}

void Session::resumeReading() {
    if (!m_readingPaused || m_state >= State::Closing) return;
    m_readingPaused = false;
    m_connection->startReading();  // re-offers what is still buffered
}

void Session::protocolFailure(proto::ProtocolError error, std::uint8_t refType, proto::MessageId id) {
    ServerStats::add(m_core.stats.protocolErrors);
    m_core.logPeerCaused("protocol errors", LogLevel::Warn,
                         "protocol error from " + address() + ": " + proto::toString(error));
    // A receiver never answers an ERROR with an ERROR (protocol section 8), not even
    // a malformed one: that rule wins, and the connection just closes.
    if (refType != static_cast<std::uint8_t>(MessageType::Error))
        sendError(proto::toErrorCode(error), id, refType, std::string("protocol error: ") + proto::toString(error));
    closeAfterFlush();
}

std::string Session::encodeFor(proto::UserId source, proto::UserId destination, const proto::Body& body,
                               proto::MessageId id) {
    proto::Header header;
    header.source = source;
    header.destination = destination;
    header.messageId = id;
    const auto bytes = proto::encode(header, body);
    return std::string(bytes.begin(), bytes.end());
}

void Session::sendBody(proto::UserId source, proto::MessageId id, const proto::Body& body) {
    sendRaw(encodeFrame(source, id, body));
}

std::string_view Session::encodeFrame(proto::UserId source, proto::MessageId id, const proto::Body& body) {
    proto::Header header;
    header.source = source;
    header.destination = m_userId;
    header.messageId = id;
    // Encoded into the loop's reused buffer: an ACK costs no allocation.
    std::vector<std::uint8_t>& bytes = SessionLoop::of(loop()).encodeBuffer();
    proto::encode(bytes, header, body);
    return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

void Session::sendRaw(std::string_view frame) {
    if (m_connection->send(frame)) countOut(1, frame.size());
}

void Session::countOut(std::size_t frames, std::size_t bytes) {
    ServerStats::add(m_core.stats.framesOut, frames);
    ServerStats::add(m_core.stats.bytesOut, bytes);
    m_traffic.bytesOut += bytes;
}

void Session::sendError(ErrorCode code, proto::MessageId id, std::uint8_t refType, const std::string& text) {
    sendBody(proto::kServerId, id, proto::Error{code, refType, text});
}

void Session::sendAck(proto::AckKind kind, proto::UserId peer, proto::MessageId upTo) {
    if (m_state != State::Authenticated) return;
    sendBody(peer, 0, proto::Ack{kind, upTo});
}

void Session::kick(proto::KickReason reason, const std::string& text) {
    if (m_state >= State::Closing) return;
    sendBody(proto::kServerId, 0, proto::Kicked{reason, text});
    closeAfterFlush();
}

void Session::closeAfterFlush() {
    if (m_state >= State::Closing || m_closing) return;
    // Keep the logged-in identity until onClose() so the hand-off finds it.
    if (m_state != State::Authenticated) m_state = State::Closing;
    else m_closing = true;
    releaseTransfers();  // the peers learn now, not after the last frames are flushed
    m_connection->close();
}

bool Session::loginOverdue(std::uint64_t nowMs) const {
    // Authenticating counts too: a login whose store job outlasts the limit has
    // taken too long for the client as well.
    return m_state < State::Authenticated && nowMs - m_acceptedSteadyMs > m_core.config.limits.loginTimeoutMs;
}

bool Session::timedOut(std::uint64_t nowMs) const {
    if (m_state >= State::Closing) return false;
    return loginOverdue(nowMs) || nowMs - m_lastActivityMs > m_core.config.limits.idleTimeoutMs;
}

void Session::closeTimedOut(std::uint64_t nowMs) {
    if (!timedOut(nowMs)) return;
    if (loginOverdue(nowMs)) {
        sendError(ErrorCode::LoginTimeout, 0, 0, "no successful login within the time limit");
    } else {
        const std::uint64_t idleMs = nowMs - m_lastActivityMs;
        sendError(ErrorCode::IdleTimeout, 0, 0, "no traffic for " + std::to_string(idleMs / 1000) + " s");
    }
    closeAfterFlush();
}

void Session::cancelTimers() {
    if (m_resumeTimer != net::kInvalidTimerId) loop().cancel(m_resumeTimer);
    m_resumeTimer = net::kInvalidTimerId;
}

void Session::onCongestion(bool congested) {
    m_inbox.setCongested(congested);
    if (m_state != State::Authenticated) return;
    const bool fetchNow = m_core.delivery.setCongested(m_userId, shared_from_this(), congested);
    if (fetchNow) startBacklogFetch();
}

void Session::releaseHome() const {
    if (!m_core.remote->clustered()) return;
    // Keyed by the user, after the hand-off's store jobs; a newer claim is left alone.
    ServerCore& core = m_core;
    core.store.submit(m_userId, [&core, user = m_userId, generation = m_generation](db::Store& store) {
        const auto released = store.releaseHome(user, core.remote->nodeName(), generation);
        if (!released.ok())
            core.log(LogLevel::Warn,
                     "cannot record that user " + std::to_string(user) + " logged out: " + released.error);
    });
}

void Session::onClose() {
    cancelTimers();
    SessionLoop::of(loop()).unwatch(*this);
    if (m_state == State::Authenticated) {
        const bool wasOnline = m_core.delivery.online(m_userId).get() == this;
        handOffInFlight();
        releaseTransfers();
        if (wasOnline) {
            // Not offline for anyone when a newer login on another node took over.
            if (m_core.remote->loggedOut(presenceOf(proto::PresenceState::Offline), m_generation))
                broadcastPresence(proto::PresenceState::Offline);
            m_core.observer.onUserOffline(m_userId, username());
        }
        releaseHome();
    }
    m_state = State::Closed;
    m_core.preLoginInput.resize(m_preLoginInputHeld, 0);
    m_core.connections.release(address());
    ServerStats::sub(m_core.stats.connectionsOpen);
}

}  // namespace parley::server
