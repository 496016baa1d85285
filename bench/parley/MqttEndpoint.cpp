#include "bench/parley/MqttEndpoint.h"

#include <cstring>

namespace parley::bench {
namespace {

constexpr std::uint8_t kConnect = 1, kConnAck = 2, kPublish = 3, kPubAck = 4, kSubscribe = 8, kSubAck = 9,
                       kPingReq = 12, kPingResp = 13;

void putU16(std::string& out, std::size_t v) {
    out.push_back(static_cast<char>((v >> 8) & 0xFF));
    out.push_back(static_cast<char>(v & 0xFF));
}

void putString(std::string& out, const std::string& s) {
    putU16(out, s.size());
    out += s;
}

/// The remaining-length varint (MQTT 3.1.1, 2.2.3).
void putLength(std::string& out, std::size_t length) {
    do {
        auto byte = static_cast<std::uint8_t>(length % 128);
        length /= 128;
        if (length > 0) byte = static_cast<std::uint8_t>(byte | 0x80);
        out.push_back(static_cast<char>(byte));
    } while (length > 0);
}

std::string packet(std::uint8_t first, const std::string& body) {
    std::string out(1, static_cast<char>(first));
    putLength(out, body.size());
    out += body;
    return out;
}

std::size_t writeTopic(char* out, std::uint32_t user) {
    // "u/" + decimal
    char digits[16];
    std::size_t n = 0;
    do {
        digits[n++] = static_cast<char>('0' + user % 10);
        user /= 10;
    } while (user != 0);
    out[0] = 'u';
    out[1] = '/';
    for (std::size_t i = 0; i < n; ++i) out[2 + i] = digits[n - 1 - i];
    return 2 + n;
}

}  // namespace

MqttEndpoint::MqttEndpoint(Shared& shared, net::Reactor& loop, std::uint32_t index)
    : Endpoint(shared, loop, index), m_qos(shared.options.qos) {}

void MqttEndpoint::connected() {
    std::string connect;
    putString(connect, "MQTT");
    connect.push_back(4);     // protocol level 3.1.1
    connect.push_back(0x02);  // clean session
    putU16(connect, 0);       // keepalive off
    putString(connect, "pb" + std::to_string(m_index) + "-" + m_shared.runTag);

    char topic[16];
    const std::size_t topicSize = writeTopic(topic, m_index);
    std::string subscribe;
    putU16(subscribe, 1);  // packet id
    putString(subscribe, std::string(topic, topicSize));
    subscribe.push_back(static_cast<char>(m_qos));

    // Pipelined: the broker handles CONNECT before SUBSCRIBE.
    send(packet(kConnect << 4, connect) + packet((kSubscribe << 4) | 0x02, subscribe));
}

void MqttEndpoint::sendChat(std::uint32_t to, const PayloadFields& payload) {
    PrebuiltFrame& frame = m_frame;
    if (!frame.fits(to, payload)) {
        char topic[16];
        const std::size_t topicSize = writeTopic(topic, to);
        const std::size_t remaining = 2 + topicSize + (m_qos > 0 ? 2 : 0) + kPayloadSize;  // < 128: one length byte
        std::size_t n = 0;
        frame.bytes[n++] = static_cast<char>((kPublish << 4) | (m_qos << 1));
        frame.bytes[n++] = static_cast<char>(remaining);
        frame.bytes[n++] = 0;
        frame.bytes[n++] = static_cast<char>(topicSize);
        std::memcpy(frame.bytes + n, topic, topicSize);
        n += topicSize;
        if (m_qos > 0) n += 2;  // the packet id, below
        frame.payloadAt = n;
        writePayload(frame.bytes + n, payload);
        frame.size = n + kPayloadSize;
        frame.remember(to, payload);
    } else {
        frame.patch(payload);
    }
    if (m_qos > 0) {
        if (++m_lastPacketId == 0) m_lastPacketId = 1;
        frame.bytes[frame.payloadAt - 2] = static_cast<char>(m_lastPacketId >> 8);
        frame.bytes[frame.payloadAt - 1] = static_cast<char>(m_lastPacketId & 0xFF);
        m_unacked.push_back(m_lastPacketId);
    }
    send(std::string_view(frame.bytes, frame.size));
}

void MqttEndpoint::received(net::Buffer& input) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(input.peek());
    const std::size_t size = input.readableBytes();
    std::size_t used = 0;
    while (used + 2 <= size) {
        std::size_t length = 0;
        std::size_t multiplier = 1;
        std::size_t header = 1;
        bool complete = false;
        while (used + header < size && header <= 4) {
            const std::uint8_t byte = data[used + header];
            length += (byte & 0x7F) * multiplier;
            multiplier *= 128;
            ++header;
            if ((byte & 0x80) == 0) {
                complete = true;
                break;
            }
        }
        if (!complete) {
            if (header > 4) {
                fail("malformed remaining length");
                return;
            }
            break;
        }
        if (used + header + length > size) break;
        handlePacket(data[used], data + used + header, length);
        used += header + length;
        if (m_failed) return;
    }
    input.retrieve(used);
    if (!m_out.empty()) {
        send(m_out);
        m_out.clear();
    }
    if (m_ackedThisRead != 0 && m_listener) {
        const std::uint64_t count = m_ackedThisRead;
        m_ackedThisRead = 0;
        m_listener->onAcked(*this, count);
    }
}

void MqttEndpoint::handlePacket(std::uint8_t first, const std::uint8_t* body, std::size_t size) {
    switch (first >> 4) {
    case kConnAck:
        if (size < 2 || body[1] != 0) fail("CONNACK refused (" + std::to_string(size < 2 ? -1 : body[1]) + ")");
        else m_connAcked = true;
        break;
    case kSubAck:
        if (size < 3 || body[2] == 0x80) fail("SUBACK refused");
        else if (m_connAcked) ready();
        break;
    case kPublish: {
        const int qos = (first >> 1) & 3;
        if (size < 2) return fail("short PUBLISH");
        const std::size_t topicSize = (std::size_t{body[0]} << 8) | body[1];
        std::size_t offset = 2 + topicSize;
        if (qos > 0) {
            if (offset + 2 > size) return fail("short PUBLISH");
            m_out.push_back(static_cast<char>(kPubAck << 4));
            m_out.push_back(2);
            m_out.push_back(static_cast<char>(body[offset]));
            m_out.push_back(static_cast<char>(body[offset + 1]));
            offset += 2;
        }
        if (offset > size) return fail("short PUBLISH");
        PayloadFields fields;
        if (readPayload(reinterpret_cast<const char*>(body + offset), size - offset, fields) && m_listener) {
            fields.arrivedNs = m_readNs;
            m_listener->onChat(*this, fields);
        }
        break;
    }
    case kPubAck: {
        if (size < 2) return fail("short PUBACK");
        const auto id = static_cast<std::uint16_t>((body[0] << 8) | body[1]);
        if (m_unacked.empty() || m_unacked.front() != id) {
            m_shared.noteError("PUBACK out of order");
            // Still remove it wherever it is, to keep the window honest.
            for (auto it = m_unacked.begin(); it != m_unacked.end(); ++it) {
                if (*it == id) {
                    m_unacked.erase(it);
                    ++m_ackedThisRead;
                    break;
                }
            }
            break;
        }
        m_unacked.pop_front();
        ++m_ackedThisRead;
        break;
    }
    case kPingResp: break;
    case kPingReq:
        m_out.push_back(static_cast<char>(kPingResp << 4));
        m_out.push_back(0);
        break;
    default: break;
    }
}

}  // namespace parley::bench
