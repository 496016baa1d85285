#include "bench/parley/ParleyEndpoint.h"

#include "bench/parley/ParleyWire.h"
#include "shared/proto/Wire.h"

namespace parley::bench {
namespace {

constexpr std::uint64_t kKeepaliveAfterMs = 15'000;

/// Calls fn(frame) for each whole frame at the front of `input` and consumes
/// them; returns false (after consuming nothing more) on a framing error.
template <class Fn>
bool forEachFrame(net::Buffer& input, Fn&& fn, proto::ProtocolError& error) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(input.peek());
    const std::size_t size = input.readableBytes();
    std::size_t used = 0;
    bool ok = true;
    while (used < size) {
        proto::FrameView frame;
        const auto status = proto::parseFrame(data + used, size - used, frame, error);
        if (status == proto::FrameStatus::NeedMore) break;
        if (status == proto::FrameStatus::Error) {
            ok = false;
            break;
        }
        used += frame.frameSize();
        fn(frame);
    }
    input.retrieve(used);
    return ok;
}

std::string errorText(const proto::FrameView& frame) {
    proto::Body body;
    if (proto::decodePayload(frame.header, frame.payload, frame.payloadSize, body) != proto::ProtocolError::None)
        return "malformed ERROR";
    const auto& error = std::get<proto::Error>(body);
    return std::string("ERROR ") + proto::toString(error.code) + ": " + error.text;
}

}  // namespace

ParleyEndpoint::ParleyEndpoint(Shared& shared, net::Reactor& loop, std::uint32_t index, std::string username)
    : Endpoint(shared, loop, index), m_username(std::move(username)), m_lastId(messageIdBase()) {}

void ParleyEndpoint::connected() {
    send(encodeFrame(0, nextId(), proto::Login{m_username, m_shared.options.password}));
}

void ParleyEndpoint::sendChat(std::uint32_t to, const PayloadFields& payload) {
    char text[kPayloadSize];
    writePayload(text, payload);
    std::uint8_t frame[kChatFrameSize];
    const proto::MessageId id = nextId();
    encodeChat(frame, m_userId, to, id, text);
    send(std::string_view(reinterpret_cast<const char*>(frame), sizeof frame));
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
    if (!m_relogging) return false;
    m_relogging = false;
    m_unacked.clear();
    reconnect();
    return true;
}

void ParleyEndpoint::received(net::Buffer& input) {
    proto::ProtocolError error = proto::ProtocolError::None;
    const bool ok = forEachFrame(input, [this](const proto::FrameView& frame) { handleFrame(frame); }, error);
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
        if (result.status != proto::AuthStatus::Ok) {
            fail(std::string("login of ") + m_username + " refused: " + proto::toString(result.status) + " " +
                 result.text);
            break;
        }
        m_userId = result.userId;
        ready();
        break;
    }
    case proto::MessageType::Ping:
        send(encodeFrame(m_userId, header.messageId, proto::Pong{}));
        break;
    case proto::MessageType::Error:
        m_shared.noteError(m_username + ": " + errorText(frame));
        break;
    case proto::MessageType::Kicked:
        fail("kicked");
        break;
    default:
        break;  // CONTACTS, PRESENCE, PONG, ...
    }
}

ParleyRegistrar::ParleyRegistrar(Shared& shared, net::Reactor& loop, std::uint32_t index)
    : Endpoint(shared, loop, index), m_lastId(messageIdBase()) {}

void ParleyRegistrar::connected() { registerNext(); }

void ParleyRegistrar::registerNext() {
    const std::size_t next = m_shared.nextToRegister.fetch_add(1);
    if (next >= m_shared.registerEnd) {
        m_done = true;
        if (m_connection) m_connection->close();
        ready();
        return;
    }
    const std::string name = userName(m_shared.options, next);
    send(encodeFrame(0, ++m_lastId, proto::Register{name, m_shared.options.password, std::string()}));
}

void ParleyRegistrar::received(net::Buffer& input) {
    proto::ProtocolError error = proto::ProtocolError::None;
    bool next = false;
    const bool ok = forEachFrame(
        input,
        [&](const proto::FrameView& frame) {
            if (frame.header.messageType() == proto::MessageType::Error) {
                m_shared.noteError("register: " + errorText(frame));
                return;
            }
            if (frame.header.messageType() != proto::MessageType::RegisterResult) return;
            proto::Body body;
            if (proto::decodePayload(frame.header, frame.payload, frame.payloadSize, body) != proto::ProtocolError::None) {
                fail("malformed REGISTER_RESULT");
                return;
            }
            const auto& result = std::get<proto::RegisterResult>(body);
            if (result.status == proto::AuthStatus::Ok) {
                m_shared.registered.fetch_add(1);
            } else if (result.status == proto::AuthStatus::UsernameTaken) {
                m_shared.alreadyThere.fetch_add(1);
            } else {
                fail(std::string("register refused: ") + proto::toString(result.status) + " " + result.text);
                return;
            }
            next = true;
        },
        error);
    if (!ok) {
        fail(std::string("framing error: ") + proto::toString(error));
        return;
    }
    if (next && !m_failed) registerNext();
}

}  // namespace parley::bench
