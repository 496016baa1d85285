// Encode -> frame -> decode round trips with varied and edge values.

#include <boost/test/unit_test.hpp>

#include "tests/shared/proto/ProtoTestSupport.h"

#include <set>
#include <string>

using namespace parley::proto;
using namespace parley::proto::test;

BOOST_AUTO_TEST_SUITE(round_trip)

BOOST_AUTO_TEST_CASE(samples_cover_every_body_alternative) {
    std::set<MessageType> types;
    for (const Message& m : sampleMessages()) {
        types.insert(typeOf(m.body));
    }
    BOOST_TEST(types.size() == std::variant_size_v<Body>);
}

BOOST_AUTO_TEST_CASE(every_sample_survives_a_round_trip) {
    for (const Message& m : sampleMessages()) {
        BOOST_TEST_CONTEXT(toString(typeOf(m.body))) {
            const Bytes frame = encodeFrame(m);
            BOOST_TEST(frame.size() - kHeaderSize <= kMaxPayload);
            Message decoded;
            BOOST_TEST(decodeFrame(frame, decoded) == ProtocolError::None);
            BOOST_TEST(decoded.header.type == static_cast<std::uint8_t>(typeOf(m.body)));
            BOOST_TEST(decoded.header.payloadLength == frame.size() - kHeaderSize);
            BOOST_TEST(decoded.header.source == m.header.source);
            BOOST_TEST(decoded.header.destination == m.header.destination);
            BOOST_TEST(decoded.header.messageId == m.header.messageId);
            BOOST_TEST(decoded.header.flags == m.header.flags);
            BOOST_CHECK(decoded.body == m.body);
            // The encoding is canonical: decoding and encoding again gives the same bytes.
            BOOST_CHECK(encodeFrame(decoded) == frame);
        }
    }
}

BOOST_AUTO_TEST_CASE(decoding_into_a_used_body_replaces_every_field) {
    // decodePayload reuses the alternative already in `out`; nothing of the
    // previous value may survive.
    Body body = Contacts{
        false, {Contact{1, PresenceState::Online, "old", "Old"}, Contact{2, PresenceState::Online, "older", "Older"}}};
    const Contacts next{true, {Contact{3, PresenceState::Offline, "new", ""}}};
    const Bytes payload = encodePayload(next);
    Header h;
    h.type = static_cast<std::uint8_t>(MessageType::Contacts);
    BOOST_TEST(decodePayload(h, payload.data(), payload.size(), body) == ProtocolError::None);
    BOOST_CHECK(body == Body{next});

    Body chunk = FileChunk{9, 9, Bytes(100, 0xFF)};
    const FileChunk shorter{1, 2, {0x01}};
    const Bytes chunkPayload = encodePayload(shorter);
    h.type = static_cast<std::uint8_t>(MessageType::FileChunk);
    BOOST_TEST(decodePayload(h, chunkPayload.data(), chunkPayload.size(), chunk) == ProtocolError::None);
    BOOST_CHECK(chunk == Body{shorter});
}

BOOST_AUTO_TEST_CASE(a_full_contacts_page_of_65535_entries) {
    Contacts page;
    page.contacts.resize(0xFFFF);
    for (std::size_t i = 0; i < page.contacts.size(); ++i) {
        page.contacts[i].userId = static_cast<UserId>(i);
        page.contacts[i].username = "u";
    }
    const Message m{Header{}, page};
    const Bytes frame = encodeFrame(m);
    BOOST_TEST(frame.size() == kHeaderSize + 3 + 0xFFFF * (encodedSize(page.contacts[0])));
    Message decoded;
    BOOST_TEST(decodeFrame(frame, decoded) == ProtocolError::None);
    BOOST_CHECK(decoded.body == m.body);
}

BOOST_AUTO_TEST_CASE(encoded_size_of_a_contact_matches_the_encoder) {
    const Contact contacts[] = {Contact{}, Contact{1, PresenceState::Online, "abc", "\xC3\xA9"}};
    for (const Contact& c : contacts) {
        const Bytes one = encodePayload(Body{Contacts{true, {c}}});
        BOOST_TEST(one.size() == 3 + encodedSize(c));
    }
}

#ifdef NDEBUG
// Over-long fields are caller bugs: asserted in debug builds, so only release
// builds can check what reaches the wire then. It must still decode.
BOOST_AUTO_TEST_CASE(release_builds_cut_an_overlong_string_at_a_utf8_boundary) {
    std::string text(kMaxStringBytes - 1, 'a');
    text += "\xE2\x82\xAC";  // € straddles the 65535-byte limit
    const Message m{Header{}, Chat{1, text}};
    Message decoded;
    BOOST_TEST(decodeFrame(encodeFrame(m), decoded) == ProtocolError::None);
    BOOST_CHECK((decoded.body == Body{Chat{1, std::string(kMaxStringBytes - 1, 'a')}}));
}

BOOST_AUTO_TEST_CASE(release_builds_cut_an_oversized_payload_to_the_limit) {
    const Message chunk{Header{}, FileChunk{1, 2, Bytes(kMaxPayload, 0x11)}};
    Message decoded;
    BOOST_TEST(decodeFrame(encodeFrame(chunk), decoded) == ProtocolError::None);
    BOOST_TEST(std::get<FileChunk>(decoded.body).data.size() == kMaxPayload - 16);

    Contacts big;
    big.contacts.assign(100, Contact{1, PresenceState::Online, std::string(20000, 'n'), ""});
    const Bytes frame = encodeFrame(Message{Header{}, big});
    BOOST_TEST(frame.size() - kHeaderSize <= kMaxPayload);
    BOOST_TEST(decodeFrame(frame, decoded) == ProtocolError::None);
    BOOST_TEST(std::get<Contacts>(decoded.body).contacts.size() == 52u);  // 3 + 52 * 20009 <= 1 MiB
}
#endif

BOOST_AUTO_TEST_SUITE_END()
