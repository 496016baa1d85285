// The catalogue: type numbers and names, enum ranges, error mapping, and the
// in-place patches the server applies to frames it relays.

#include <boost/test/unit_test.hpp>

#include "tests/shared/proto/ProtoTestSupport.h"

#include <set>
#include <string>

using namespace parley::proto;
using namespace parley::proto::test;

namespace {

/// Checks that exactly the raw values lo..hi are known and named.
template <class E>
void checkEnumRange(int lo, int hi, int maxRaw = 255) {
    std::set<std::string> names;
    for (int raw = 0; raw <= maxRaw; ++raw) {
        const auto value = static_cast<E>(raw);
        const bool defined = raw >= lo && raw <= hi;
        const std::string name = toString(value);
        BOOST_TEST_CONTEXT("raw value " << raw) {
            BOOST_TEST(isKnownValue(value) == defined);
            BOOST_TEST((name != "UNKNOWN") == defined);
        }
        if (defined) {
            names.insert(name);
        }
    }
    BOOST_TEST(names.size() == static_cast<std::size_t>(hi - lo + 1));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(messages)

BOOST_AUTO_TEST_CASE(type_numbers_and_names) {
    BOOST_TEST(static_cast<int>(MessageType::Register) == 0x01);
    BOOST_TEST(static_cast<int>(MessageType::Presence) == 0x09);
    BOOST_TEST(static_cast<int>(MessageType::ContactStates) == 0x0A);
    BOOST_TEST(static_cast<int>(MessageType::PresenceStates) == 0x0B);
    BOOST_TEST(static_cast<int>(MessageType::Chat) == 0x10);
    BOOST_TEST(static_cast<int>(MessageType::Typing) == 0x13);
    BOOST_TEST(static_cast<int>(MessageType::FileOffer) == 0x20);
    BOOST_TEST(static_cast<int>(MessageType::FileBlockHash) == 0x28);
    BOOST_TEST(static_cast<int>(MessageType::Ping) == 0x30);
    BOOST_TEST(static_cast<int>(MessageType::Error) == 0x3F);
    BOOST_TEST(std::string(toString(MessageType::ContactsQuery)) == "CONTACTS_QUERY");
    BOOST_TEST(std::string(toString(MessageType::FileBlockHash)) == "FILE_BLOCK_HASH");
    BOOST_TEST(std::string(toString(MessageType::Error)) == "ERROR");
    BOOST_TEST(std::string(toString(static_cast<MessageType>(0x7E))) == "UNKNOWN");
}

BOOST_AUTO_TEST_CASE(known_types_are_exactly_the_named_ones) {
    std::set<std::string> names;
    for (int raw = 0; raw < 256; ++raw) {
        const auto type = static_cast<std::uint8_t>(raw);
        const std::string name = toString(static_cast<MessageType>(type));
        BOOST_TEST_CONTEXT("type " << raw) { BOOST_TEST(isKnownType(type) == (name != "UNKNOWN")); }
        if (isKnownType(type)) {
            names.insert(name);
        }
    }
    BOOST_TEST(names.size() == std::variant_size_v<Body>);
}

BOOST_AUTO_TEST_CASE(type_of_a_body_is_its_alternatives_type) {
    for (const Message& m : sampleMessages()) {
        const MessageType type = typeOf(m.body);
        BOOST_TEST(isKnownType(static_cast<std::uint8_t>(type)));
        std::visit([&](const auto& b) { BOOST_TEST(std::decay_t<decltype(b)>::kType == type); }, m.body);
    }
    BOOST_TEST(typeOf(Body{Chat{}}) == MessageType::Chat);
    BOOST_TEST(typeOf(Body{FileCredit{}}) == MessageType::FileCredit);
}

BOOST_AUTO_TEST_CASE(enum_ranges) {
    checkEnumRange<AuthStatus>(0, 12);
    checkEnumRange<LoginMode>(0, 2);
    checkEnumRange<KickReason>(1, 4);
    checkEnumRange<PresenceState>(0, 1);
    checkEnumRange<AckKind>(1, 5);
    checkEnumRange<FileRejectReason>(1, 7);
    checkEnumRange<FileCancelReason>(1, 6);
    checkEnumRange<FileResultStatus>(0, 2);
    checkEnumRange<ErrorCode>(1, 14, 0x0200);
}

BOOST_AUTO_TEST_CASE(protocol_errors_map_to_error_codes) {
    BOOST_TEST(toErrorCode(ProtocolError::BadMagic) == ErrorCode::BadMagic);
    BOOST_TEST(toErrorCode(ProtocolError::UnsupportedVersion) == ErrorCode::UnsupportedVersion);
    BOOST_TEST(toErrorCode(ProtocolError::PayloadTooLarge) == ErrorCode::PayloadTooLarge);
    BOOST_TEST(toErrorCode(ProtocolError::UnknownType) == ErrorCode::UnsupportedType);
    for (ProtocolError e : {ProtocolError::ReservedNotZero, ProtocolError::Truncated, ProtocolError::TrailingBytes,
                            ProtocolError::InvalidUtf8, ProtocolError::InvalidValue}) {
        BOOST_TEST_CONTEXT(e) { BOOST_TEST(toErrorCode(e) == ErrorCode::MalformedPayload); }
    }
    BOOST_TEST(std::string(toString(ProtocolError::None)) == "None");
    BOOST_TEST(std::string(toString(static_cast<ProtocolError>(200))) == "UNKNOWN");
}

BOOST_AUTO_TEST_CASE(patch_source_and_destination_in_place) {
    Bytes frame = goldenCase("Chat").frame;
    const Bytes original = frame;
    patchSource(frame.data(), 0xA1B2C3D4);
    patchDestination(frame.data(), 0x00000102);
    BOOST_TEST(toHex(Bytes(frame.begin() + 8, frame.begin() + 16)) == "A1 B2 C3 D4 00 00 01 02");

    Message decoded;
    BOOST_TEST(decodeFrame(frame, decoded) == ProtocolError::None);
    BOOST_TEST(decoded.header.source == 0xA1B2C3D4u);
    BOOST_TEST(decoded.header.destination == 0x102u);
    BOOST_CHECK(decoded.body == goldenCase("Chat").message.body);
    // Nothing else moved.
    for (std::size_t i = 0; i < frame.size(); ++i) {
        if (i < 8 || i >= 16) {
            BOOST_TEST(frame[i] == original[i], "byte " << i);
        }
    }
}

BOOST_AUTO_TEST_CASE(patch_timestamp_in_place) {
    for (const char* name : {"Chat", "Room"}) {
        BOOST_TEST_CONTEXT(name) {
            Bytes frame = goldenCase(name).frame;
            patchTimestamp(frame.data(), 0x0000019000000001);
            BOOST_TEST(toHex(Bytes(frame.begin() + 28, frame.begin() + 36)) == "00 00 01 90 00 00 00 01");
            Message decoded;
            BOOST_TEST(decodeFrame(frame, decoded) == ProtocolError::None);
            const auto ts = std::visit(
                [](const auto& b) -> std::uint64_t {
                    if constexpr (std::is_same_v<std::decay_t<decltype(b)>, Chat> ||
                                  std::is_same_v<std::decay_t<decltype(b)>, Room>) {
                        return b.timestampMs;
                    } else {
                        return 0;
                    }
                },
                decoded.body);
            BOOST_TEST(ts == 0x0000019000000001ull);
        }
    }
}

BOOST_AUTO_TEST_CASE(payload_structs_compare_field_by_field) {
    BOOST_CHECK((Chat{1, "a"} == Chat{1, "a"}));
    BOOST_CHECK((Chat{1, "a"} != Chat{1, "b"}));
    BOOST_CHECK((Chat{1, "a"} != Chat{2, "a"}));
    BOOST_CHECK(Ping{} == Ping{});
    FileOffer a;
    FileOffer b;
    b.sha256[31] = 1;
    BOOST_CHECK(a != b);
    BOOST_CHECK((Body{Chat{1, "a"}} != Body{Room{1, "a"}}));
    BOOST_CHECK((Contacts{true, {Contact{}}} != Contacts{true, {}}));
    Message m1{Header{}, Ping{}};
    Message m2 = m1;
    BOOST_CHECK(m1 == m2);
    m2.header.flags = flags::kResent;
    BOOST_CHECK(m1 != m2);
}

BOOST_AUTO_TEST_SUITE_END()
