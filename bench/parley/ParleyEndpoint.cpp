#include "bench/parley/ParleyEndpoint.h"

#include "bench/parley/ParleyWire.h"
#include "shared/proto/Wire.h"

#include <algorithm>
#include <chrono>

namespace parley::bench {
namespace {

constexpr std::uint64_t kKeepaliveAfterMs = 15'000;

}  // namespace

ParleyEndpoint::ParleyEndpoint(Shared& shared, net::Reactor& loop, std::uint32_t index, std::string username)
    : Endpoint(shared, loop, index), m_username(std::move(username)), m_lastId(messageIdBase()) {}

void ParleyEndpoint::connected() { sendLogin(); }

void ParleyEndpoint::sendLogin() {
    // As ClientSession: the contact list is kept between logins (protocol 9.13).
    if (!m_shared.options.tokens) {
        send(encodeFrame(
            0, nextId(),
            proto::Login{m_username, m_shared.options.password, proto::LoginMode::Password, m_listVersion}));
    } else if (m_token.empty()) {
        send(encodeFrame(
            0, nextId(),
            proto::Login{m_username, m_shared.options.password, proto::LoginMode::PasswordAndToken, m_listVersion}));
    } else {
        send(encodeFrame(0, nextId(), proto::Login{m_username, m_token, proto::LoginMode::Token, m_listVersion}));
    }
}

void ParleyEndpoint::retrySoon() {
    m_ready = false;
    m_connection.reset();
    // Spread over 100..300 ms, as clients with jittered backoff would come back.
    loop().runAfter(std::chrono::milliseconds(100 + (m_index * 37) % 200), [this] { reconnect(); });
}

bool ParleyEndpoint::connectFailed() {
    if (m_shared.options.shape != Shape::Restart) return false;
    retrySoon();
    return true;
}

void ParleyEndpoint::sendChat(std::uint32_t to, const PayloadFields& payload) {
    const proto::MessageId id = nextId();
    if (m_chatBuilt && to == m_chatTo && payload.phase == m_chatFields.phase && payload.from == m_chatFields.from) {
        patchChat(m_chat, id, payload.seq, payload.sentNs);
    } else {
        char text[kPayloadSize];
        writePayload(text, payload);
        encodeChat(m_chat, m_userId, to, id, text);
        m_chatFields = payload;
        m_chatTo = to;
        m_chatBuilt = true;
    }
    send(std::string_view(reinterpret_cast<const char*>(m_chat), sizeof m_chat));
    m_unacked.push_back(id);
}

void ParleyEndpoint::keepalive(std::uint64_t now) {
    if (!m_ready) return;
    if (m_sends != m_sendsAtLastCheck) {
        m_sendsAtLastCheck = m_sends;
        m_quietSinceMs = now;
        return;
    }
    if (m_quietSinceMs == 0) m_quietSinceMs = now;
    if (now - m_quietSinceMs >= kKeepaliveAfterMs) {
        send(encodeFrame(m_userId, nextId(), proto::Ping{}));
        m_sendsAtLastCheck = m_sends;
        m_quietSinceMs = now;
    }
}

void ParleyEndpoint::relogin() {
    m_relogging = true;
    send(encodeFrame(m_userId, nextId(), proto::Logout{}));  // the server closes
}

bool ParleyEndpoint::closed() {
    if (!m_relogging && m_shared.options.shape == Shape::Restart) {
        m_unacked.clear();
        retrySoon();
        return true;
    }
    if (!m_relogging) return false;
    m_relogging = false;
    m_unacked.clear();
    reconnect();
    return true;
}

void ParleyEndpoint::received(net::Buffer& input) {
    proto::ProtocolError error = proto::ProtocolError::None;
    const bool ok = forEachFrame(
        input, [this](const proto::FrameView& frame) { handleFrame(frame); }, error);
    // One ACK Received per sender per read burst (docs/protocol.md 9.2).
    for (const ToAck& ack : m_toAck) {
        std::uint8_t frame[kAckFrameSize];
        encodeAckReceived(frame, m_userId, ack.sender, nextId(), ack.upTo);
        send(std::string_view(reinterpret_cast<const char*>(frame), sizeof frame));
    }
    m_toAck.clear();
    if (m_ackedThisRead != 0 && m_listener) {
        const std::uint64_t count = m_ackedThisRead;
        m_ackedThisRead = 0;
        m_listener->onAcked(*this, count);
    }
    if (!ok) fail(std::string("framing error: ") + proto::toString(error));
}

void ParleyEndpoint::handleFrame(const proto::FrameView& frame) {
    const proto::Header& header = frame.header;
    switch (header.messageType()) {
    case proto::MessageType::Chat: {
        if (frame.payloadSize < 10) break;
        const std::size_t length = proto::loadU16(frame.payload + 8);
        PayloadFields fields;
        if (10 + length == frame.payloadSize &&
            readPayload(reinterpret_cast<const char*>(frame.payload + 10), length, fields)) {
            fields.arrivedNs = m_readNs;
            if (m_listener) m_listener->onChat(*this, fields);
        }
        bool merged = false;
        for (ToAck& ack : m_toAck) {
            if (ack.sender == header.source) {
                if (header.messageId > ack.upTo) ack.upTo = header.messageId;
                merged = true;
            }
        }
        if (!merged) m_toAck.push_back({header.source, header.messageId});
        break;
    }
    case proto::MessageType::Ack: {
        if (frame.payloadSize != 9) break;
        const auto kind = static_cast<proto::AckKind>(frame.payload[0]);
        const proto::MessageId upTo = proto::loadU64(frame.payload + 1);
        if (kind == proto::AckKind::Delivered) {
            while (!m_unacked.empty() && m_unacked.front() <= upTo) {
                m_unacked.pop_front();
                ++m_ackedThisRead;
            }
        } else if (kind == proto::AckKind::Stored) {
            m_shared.stored.fetch_add(1, std::memory_order_relaxed);
        }
        break;
    }
    case proto::MessageType::LoginResult: {
        proto::Body body;
        if (proto::decodePayload(header, frame.payload, frame.payloadSize, body) != proto::ProtocolError::None) {
            fail("malformed LOGIN_RESULT");
            break;
        }
        const auto& result = std::get<proto::LoginResult>(body);
        if (result.status == proto::AuthStatus::Throttled) {
            // The server's password-check queue is full (a login storm): try again
            // when it says, as a real client does. The loop stops before the
            // endpoint is destroyed, so the timer never outlives it.
            const auto wait = std::chrono::seconds(std::max<std::uint32_t>(result.retryAfterSeconds, 1));
            loop().runAfter(wait, [this] { sendLogin(); });
            break;
        }
        if (result.status != proto::AuthStatus::Ok) {
            fail(std::string("login of ") + m_username + " refused: " + proto::toString(result.status) + " " +
                 result.text);
            break;
        }
        m_userId = result.userId;
        if (result.token) m_token = result.token->token;
        break;  // ready once the contact list is in, as a client's onReady
    }
    case proto::MessageType::Contacts: {
        if (frame.payloadSize == 0 || frame.payload[0] == 0) break;  // not the last page
        proto::Body body;
        if (proto::decodePayload(header, frame.payload, frame.payloadSize, body) != proto::ProtocolError::None) {
            fail("malformed CONTACTS");
            break;
        }
        m_listVersion = std::get<proto::Contacts>(body).version.value_or(0);
        ready();
        break;
    }
    case proto::MessageType::ContactStates:
        if (frame.payloadSize != 0 && frame.payload[0] != 0) ready();  // the last page
        break;
    case proto::MessageType::Ping: send(encodeFrame(m_userId, header.messageId, proto::Pong{})); break;
    case proto::MessageType::Error: m_shared.noteError(m_username + ": " + errorText(frame)); break;
    case proto::MessageType::Kicked: fail("kicked"); break;
    default: break;  // PRESENCE, PRESENCE_STATES, PONG, ...
    }
}

}  // namespace parley::bench
