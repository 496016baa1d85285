#include "bench/parley/ParleyWire.h"

#include "bench/parley/Payload.h"
#include "shared/proto/Wire.h"

#include <chrono>
#include <cstring>

namespace parley::bench {

void encodeChat(std::uint8_t* out, proto::UserId source, proto::UserId destination, proto::MessageId id,
                const char* text) {
    proto::Header header;
    header.type = static_cast<std::uint8_t>(proto::MessageType::Chat);
    header.source = source;
    header.destination = destination;
    header.messageId = id;
    header.payloadLength = 8 + 2 + kPayloadSize;
    proto::encodeHeader(header, out);
    proto::storeU64(out + proto::kHeaderSize, 0);  // the server stamps its clock
    proto::storeU16(out + proto::kHeaderSize + 8, static_cast<std::uint16_t>(kPayloadSize));
    std::memcpy(out + proto::kHeaderSize + 10, text, kPayloadSize);
}

void patchChat(std::uint8_t* frame, proto::MessageId id, std::uint64_t seq, std::uint64_t sentNs) {
    proto::storeU64(frame + 16, id);  // the header's messageId (shared/proto/Header.h)
    patchPayload(reinterpret_cast<char*>(frame + proto::kHeaderSize + 10), seq, sentNs);
}

void encodeAckReceived(std::uint8_t* out, proto::UserId source, proto::UserId sender, proto::MessageId id,
                       proto::MessageId upTo) {
    proto::Header header;
    header.type = static_cast<std::uint8_t>(proto::MessageType::Ack);
    header.source = source;
    header.destination = sender;
    header.messageId = id;
    header.payloadLength = 9;
    proto::encodeHeader(header, out);
    out[proto::kHeaderSize] = static_cast<std::uint8_t>(proto::AckKind::Received);
    proto::storeU64(out + proto::kHeaderSize + 1, upTo);
}

std::string encodeFrame(proto::UserId source, proto::MessageId id, const proto::Body& body) {
    proto::Header header;
    header.source = source;
    header.messageId = id;
    const auto bytes = proto::encode(header, body);
    return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::string errorText(const proto::FrameView& frame) {
    proto::Body body;
    if (proto::decodePayload(frame.header, frame.payload, frame.payloadSize, body) != proto::ProtocolError::None)
        return "malformed ERROR";
    const auto& error = std::get<proto::Error>(body);
    return std::string("ERROR ") + proto::toString(error.code) + ": " + error.text;
}

proto::MessageId messageIdBase() {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    return static_cast<proto::MessageId>(ms) * 1024;
}

}  // namespace parley::bench
