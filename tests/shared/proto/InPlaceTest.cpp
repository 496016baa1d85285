// The relay's in-place reads and writes of an encoded frame (Codec.h): viewChat() must
// refuse and accept exactly what decodePayload() does, and stampRelayed() writes the
// server's two stamps and nothing else.

#include <boost/test/unit_test.hpp>

#include "tests/shared/proto/ProtoTestSupport.h"

#include <string>
#include <variant>
#include <vector>

using namespace parley::proto;
using namespace parley::proto::test;

namespace {

/// A CHAT payload: timestampMs, a u16 length that may lie, the text bytes, `trailing` more.
Bytes chatPayload(std::uint64_t timestampMs, const std::string& text, std::size_t claimedLength,
                  std::size_t trailing = 0) {
    Bytes out;
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(timestampMs >> shift));
    out.push_back(static_cast<std::uint8_t>(claimedLength >> 8));
    out.push_back(static_cast<std::uint8_t>(claimedLength));
    out.insert(out.end(), text.begin(), text.end());
    out.insert(out.end(), trailing, 0x21);
    return out;
}

/// viewChat and decodePayload on the same bytes: the same verdict, and the same fields.
void checkAgree(const Bytes& payload) {
    Header header;
    header.type = static_cast<std::uint8_t>(MessageType::Chat);
    header.payloadLength = static_cast<std::uint32_t>(payload.size());
    Body body;
    const ProtocolError decoded = decodePayload(header, payload.data(), payload.size(), body);
    ChatView view;
    const ProtocolError viewed = viewChat(payload.data(), payload.size(), view);
    BOOST_TEST(viewed == decoded, toHex(payload));
    if (decoded == ProtocolError::None && viewed == ProtocolError::None) {
        const Chat& chat = std::get<Chat>(body);
        BOOST_TEST(view.timestampMs == chat.timestampMs);
        BOOST_TEST(std::string(view.text) == chat.text);
        BOOST_TEST(static_cast<const void*>(view.text.data()) == static_cast<const void*>(payload.data() + 10));
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(in_place)

BOOST_AUTO_TEST_CASE(view_chat_agrees_with_the_decoder_on_good_and_bad_payloads) {
    const Bytes golden = goldenCase("Chat").frame;
    checkAgree(Bytes(golden.begin() + kHeaderSize, golden.end()));
    // Every cut of a valid payload, and every cut of one with a non-ASCII letter past
    // the first 8-byte word (the ASCII fast path stops there).
    for (const std::string& text : {std::string("hello"), std::string("twelve bytes\xC3\xA4 and more")}) {
        const Bytes whole = chatPayload(0x0000019000000001, text, text.size());
        for (std::size_t n = 0; n <= whole.size(); ++n) checkAgree(Bytes(whole.begin(), whole.begin() + n));
        checkAgree(chatPayload(7, text, text.size(), 1));      // TrailingBytes
        checkAgree(chatPayload(7, text, text.size() + 1));     // Truncated: the length lies
        checkAgree(chatPayload(7, text, text.size() - 1, 1));  // a shorter text, then a byte
    }
    checkAgree(chatPayload(1, "", 0));                       // empty text is the engine's rule, not the codec's
    checkAgree(chatPayload(1, "abcdefgh\xC3", 9));           // a sequence cut at the end
    checkAgree(chatPayload(1, "abcdefgh\xED\xA0\x80", 11));  // a surrogate
    checkAgree(chatPayload(1, "abcdefgh\xC3\xA4", 10, 3));   // bad UTF-8 is found before trailing bytes
    checkAgree(chatPayload(1, "abcdefgh\xFF", 9, 3));
}

BOOST_AUTO_TEST_CASE(stamp_relayed_writes_source_and_timestamp_only) {
    for (const char* name : {"Chat", "Room"}) {
        BOOST_TEST_CONTEXT(name) {
            const Bytes original = goldenCase(name).frame;
            Bytes frame = original;
            stampRelayed(frame.data(), 0xA1B2C3D4, 0x0000019000000001);
            BOOST_TEST(toHex(Bytes(frame.begin() + 8, frame.begin() + 12)) == "A1 B2 C3 D4");
            BOOST_TEST(toHex(Bytes(frame.begin() + 28, frame.begin() + 36)) == "00 00 01 90 00 00 00 01");
            for (std::size_t i = 0; i < frame.size(); ++i) {
                if ((i < 8 || i >= 12) && (i < 28 || i >= 36)) BOOST_TEST(frame[i] == original[i], "byte " << i);
            }
            ChatView view;
            BOOST_TEST(viewChat(frame.data() + kHeaderSize, frame.size() - kHeaderSize, view) == ProtocolError::None);
            BOOST_TEST(view.timestampMs == 0x0000019000000001u);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
