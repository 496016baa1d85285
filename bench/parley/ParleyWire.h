#pragma once
// Parley frames as the bench writes and reads them: raw bytes through
// shared/proto (header codec, parseFrame), no client session core.

#include "platform/Buffer.h"
#include "shared/proto/Codec.h"
#include "shared/proto/Framer.h"

#include <cstdint>
#include <string>

namespace parley::bench {

/// A whole CHAT frame with a kPayloadSize-byte text: 28 + 8 + 2 + 64 bytes.
constexpr std::size_t kChatFrameSize = proto::kHeaderSize + 8 + 2 + 64;

/// Writes a CHAT frame carrying `text` (kPayloadSize bytes) into `out`.
void encodeChat(std::uint8_t* out, proto::UserId source, proto::UserId destination, proto::MessageId id,
                const char* text);

/// Rewrites the per-message fields of a CHAT frame from encodeChat(): message id,
/// and the payload's seq and send time.
void patchChat(std::uint8_t* frame, proto::MessageId id, std::uint64_t seq, std::uint64_t sentNs);

/// An ACK Received frame (28 + 9 bytes) into `out`.
constexpr std::size_t kAckFrameSize = proto::kHeaderSize + 9;
void encodeAckReceived(std::uint8_t* out, proto::UserId source, proto::UserId sender, proto::MessageId id,
                       proto::MessageId upTo);

/// Any message, through the codec (login, register, ping: not on the hot path).
std::string encodeFrame(proto::UserId source, proto::MessageId id, const proto::Body& body);

/// Calls fn(frame) for each whole frame at the front of `input`, then consumes
/// them; returns false (with `error` set) on a framing error, after handing
/// over the frames before it.
template <class Fn>
bool forEachFrame(net::Buffer& input, Fn&& fn, proto::ProtocolError& error) {
    const auto* data = reinterpret_cast<const std::uint8_t*>(input.peek());
    const proto::FrameScan scan = proto::scanFrames(data, input.readableBytes(), [&fn](const proto::FrameView& frame) {
        fn(frame);
        return proto::FrameAction::Next;
    });
    input.retrieve(scan.consumed);
    error = scan.error;
    return scan.status != proto::FrameStatus::Error;
}

/// "ERROR <code>: <text>" of an ERROR frame, for the log.
std::string errorText(const proto::FrameView& frame);

/// The recommended message-id base: unix time in ms * 1024 (docs/protocol.md, section 2).
proto::MessageId messageIdBase();

}  // namespace parley::bench
