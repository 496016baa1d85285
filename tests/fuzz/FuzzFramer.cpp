// libFuzzer target: the framer and the payload decoder on arbitrary bytes.
//
// For each input it checks, beyond "no crash, no sanitizer report":
//   * the Framer, fed the input in chunks of 1..64 bytes, yields exactly the
//     frames (and the final status and error) that parseFrame finds when given
//     the whole input at once;
//   * every frame either decodes, or is refused with an error that is
//     UnknownType exactly when the type is unknown;
//   * a decoded frame encodes back to the very same bytes (the encoding is
//     canonical), and that encoding decodes to an equal message;
//   * for CHAT and ROOM (one layout), the relay's in-place view (viewChat) gives
//     the decoder's verdict and, when both accept, its timestamp and text.

#include "shared/proto/Codec.h"
#include "tests/fuzz/FuzzCheck.h"
#include "shared/proto/Framer.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <variant>
#include <vector>

namespace {

using namespace parley::proto;

void check(bool ok, const char* what) { parley::fuzz::check(ok, "FuzzFramer", what); }

/// The in-place view against the decoder, on a frame of a CHAT-shaped type.
void checkChatView(const FrameView& frame, ProtocolError decoded, const Body& body) {
    ChatView view;
    const ProtocolError viewed = viewChat(frame.payload, frame.payloadSize, view);
    check(viewed == decoded, "viewChat and decodePayload disagree on a CHAT payload");
    if (viewed != ProtocolError::None) {
        return;
    }
    const auto* chat = std::get_if<Chat>(&body);
    const auto* room = std::get_if<Room>(&body);
    check(chat != nullptr || room != nullptr, "a CHAT or ROOM decoded to another type");
    const std::uint64_t timestampMs = chat ? chat->timestampMs : room->timestampMs;
    const std::string& text = chat ? chat->text : room->text;
    check(view.timestampMs == timestampMs && view.text == text, "viewChat read other fields than the decoder");
}

void checkFrame(const FrameView& frame) {
    Body body;
    const ProtocolError error = decodePayload(frame.header, frame.payload, frame.payloadSize, body);
    const std::uint8_t type = frame.header.type;
    if (type == static_cast<std::uint8_t>(MessageType::Chat) || type == static_cast<std::uint8_t>(MessageType::Room)) {
        checkChatView(frame, error, body);
    }
    if (error != ProtocolError::None) {
        check((error == ProtocolError::UnknownType) == !isKnownType(frame.header.type),
              "UnknownType must mean exactly: a type this version does not know");
        return;
    }
    check(typeOf(body) == frame.header.messageType(), "decoded body of another type");

    std::vector<std::uint8_t> again;
    encode(again, frame.header, body);
    check(again.size() == frame.frameSize() && std::equal(again.begin(), again.end(), frame.frameBegin()),
          "re-encoding a decoded frame changed its bytes");

    Body second;
    check(decodePayload(frame.header, again.data() + kHeaderSize, again.size() - kHeaderSize, second) ==
              ProtocolError::None,
          "a re-encoded frame does not decode");
    check(second == body, "a re-encoded frame decodes to another message");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Reference: the stateless parser over the whole input.
    struct Span {
        std::size_t offset;
        std::size_t size;
    };
    std::vector<Span> frames;
    std::size_t pos = 0;
    ProtocolError refError = ProtocolError::None;
    FrameStatus refStatus = FrameStatus::NeedMore;
    for (;;) {
        FrameView view;
        refStatus = parseFrame(data + pos, size - pos, view, refError);
        if (refStatus != FrameStatus::Complete) {
            break;
        }
        checkFrame(view);
        frames.push_back({pos, view.frameSize()});
        pos += view.frameSize();
    }

    // The Framer, fed in chunks whose lengths come from a generator seeded by
    // the input size (deterministic per input).
    Framer framer;
    std::uint32_t state = static_cast<std::uint32_t>(size) * 2654435761u + 1u;
    std::size_t fed = 0;
    std::size_t seen = 0;
    FrameStatus status = FrameStatus::NeedMore;
    while (fed < size && status != FrameStatus::Error) {
        state = state * 1103515245u + 12345u;
        const std::size_t n = std::min<std::size_t>(1 + (state >> 16) % 64, size - fed);
        framer.feed(data + fed, n);
        fed += n;
        FrameView view;
        while ((status = framer.next(view)) == FrameStatus::Complete) {
            check(seen < frames.size(), "the framer found a frame parseFrame did not");
            const Span& expected = frames[seen++];
            check(view.frameSize() == expected.size &&
                      std::equal(view.frameBegin(), view.frameBegin() + view.frameSize(), data + expected.offset),
                  "the framer's frame differs from parseFrame's");
        }
    }
    check(seen == frames.size(), "the framer missed frames");
    check(status == refStatus, "the framer ended in another state than parseFrame");
    check(framer.error() == refError, "the framer reports another error than parseFrame");
    if (status == FrameStatus::NeedMore) {
        check(framer.buffered() == size - pos, "the framer holds other bytes than the tail");
    }
    return 0;
}
