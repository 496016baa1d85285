// Golden frames: bytes typed in from docs/protocol.md (ProtoTestSupport.cpp),
// checked in both directions against the codec.

#include <boost/test/unit_test.hpp>

#include "tests/shared/proto/ProtoTestSupport.h"

#include <set>

using namespace parley::proto;
using namespace parley::proto::test;

BOOST_AUTO_TEST_SUITE(golden)

BOOST_AUTO_TEST_CASE(every_message_type_has_a_golden_frame) {
    std::set<std::uint8_t> covered;
    for (const GoldenCase& c : goldenCases()) {
        covered.insert(c.message.header.type);
    }
    for (int t = 0; t < 256; ++t) {
        const auto type = static_cast<std::uint8_t>(t);
        BOOST_TEST_CONTEXT("type " << t) { BOOST_TEST(covered.count(type) == (isKnownType(type) ? 1u : 0u)); }
    }
}

BOOST_AUTO_TEST_CASE(encode_produces_the_golden_bytes) {
    for (const GoldenCase& c : goldenCases()) {
        BOOST_TEST_CONTEXT(c.name) { BOOST_TEST(toHex(encodeFrame(c.message)) == toHex(c.frame)); }
    }
}

BOOST_AUTO_TEST_CASE(encode_ignores_the_given_type_and_length) {
    for (const GoldenCase& c : goldenCases()) {
        BOOST_TEST_CONTEXT(c.name) {
            Header wrong = c.message.header;
            wrong.type = 0xEE;
            wrong.payloadLength = 12345;
            BOOST_TEST(toHex(encode(wrong, c.message.body)) == toHex(c.frame));
        }
    }
}

BOOST_AUTO_TEST_CASE(encode_appends_to_the_callers_buffer) {
    Bytes out = {0xAA, 0xBB};
    Bytes expected = out;
    for (const GoldenCase& c : goldenCases()) {
        encode(out, c.message.header, c.message.body);
        expected.insert(expected.end(), c.frame.begin(), c.frame.end());
    }
    BOOST_TEST(toHex(out) == toHex(expected));
}

BOOST_AUTO_TEST_CASE(encode_payload_is_the_frame_without_its_header) {
    for (const GoldenCase& c : goldenCases()) {
        BOOST_TEST_CONTEXT(c.name) {
            const Bytes payload(c.frame.begin() + kHeaderSize, c.frame.end());
            BOOST_TEST(toHex(encodePayload(c.message.body)) == toHex(payload));
        }
    }
}

BOOST_AUTO_TEST_CASE(decode_yields_the_golden_message) {
    for (const GoldenCase& c : goldenCases()) {
        BOOST_TEST_CONTEXT(c.name) {
            Message decoded;
            BOOST_TEST(decodeFrame(c.frame, decoded) == ProtocolError::None);
            BOOST_CHECK(decoded.header == c.message.header);
            BOOST_TEST(typeOf(decoded.body) == c.message.header.messageType());
            BOOST_CHECK(decoded.body == c.message.body);
        }
    }
}

BOOST_AUTO_TEST_CASE(decode_header_reads_every_field) {
    // Distinct bytes in every position show each field is read from its own offset.
    const Bytes raw = hexBytes("504C 01 10 A1A2 0000 | B1B2B3B4 | C1C2C3C4 | D1D2D3D4D5D6D7D8 | 00000005");
    const Header h = decodeHeader(raw.data());
    BOOST_TEST(h.magic == 0x504C);
    BOOST_TEST(h.version == 1);
    BOOST_TEST(h.type == 0x10);
    BOOST_TEST(h.flags == 0xA1A2);
    BOOST_TEST(h.reserved == 0);
    BOOST_TEST(h.source == 0xB1B2B3B4u);
    BOOST_TEST(h.destination == 0xC1C2C3C4u);
    BOOST_TEST(h.messageId == 0xD1D2D3D4D5D6D7D8ull);
    BOOST_TEST(h.payloadLength == 5u);

    Bytes back(kHeaderSize);
    encodeHeader(h, back.data());
    BOOST_TEST(toHex(back) == toHex(raw));
}

BOOST_AUTO_TEST_SUITE_END()
