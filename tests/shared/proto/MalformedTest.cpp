// Every class of malformed input is refused, each with its own ProtocolError
// (mosquitto 01-bad-initial-packets.py, in memory).

#include <boost/test/unit_test.hpp>

#include "tests/shared/proto/ProtoTestSupport.h"

#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace parley::proto;
using namespace parley::proto::test;

namespace {

/// `frame` with `bytes` written over its payload from `payloadOffset` on.
Bytes patched(const Bytes& frame, std::size_t payloadOffset, std::initializer_list<std::uint8_t> bytes) {
    Bytes out = frame;
    std::size_t i = kHeaderSize + payloadOffset;
    for (std::uint8_t b : bytes) {
        out.at(i++) = b;
    }
    return out;
}

/// The error parseFrame reports for `bytes` (which must not be NeedMore).
ProtocolError parseError(const Bytes& bytes, std::uint32_t maxPayload = kMaxPayload) {
    FrameView view;
    ProtocolError error = ProtocolError::None;
    const FrameStatus status = parseFrame(bytes.data(), bytes.size(), view, error, maxPayload);
    BOOST_TEST(status == (error == ProtocolError::None ? FrameStatus::Complete : FrameStatus::Error));
    return error;
}

/// A CHAT frame whose text is the given raw bytes (possibly not UTF-8).
Bytes chatWithRawText(const Bytes& text) {
    Bytes frame = hexBytes("504C 01 10 0000 0000 | 00000007 | 00000009 | 0000000000000001");
    const auto length = static_cast<std::uint32_t>(8 + 2 + text.size());
    frame.insert(frame.end(), {0, 0, 0, 0});
    frame = withPayloadLength(std::move(frame), length);
    frame.insert(frame.end(), {0, 0, 0, 0, 0, 0, 0, 1});  // timestampMs
    frame.push_back(static_cast<std::uint8_t>(text.size() >> 8));
    frame.push_back(static_cast<std::uint8_t>(text.size()));
    frame.insert(frame.end(), text.begin(), text.end());
    return frame;
}

ProtocolError decodeError(const Bytes& frame) {
    Message out;
    return decodeFrame(frame, out);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(malformed)

// ---- header ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(bad_magic) {
    const Bytes& ping = goldenCase("Ping").frame;
    BOOST_TEST(parseError(patched(ping, 0, {})) == ProtocolError::None);
    Bytes wrong = ping;
    wrong[0] = 0x51;
    BOOST_TEST(parseError(wrong) == ProtocolError::BadMagic);
    wrong = ping;
    wrong[1] = 0x4D;
    BOOST_TEST(parseError(wrong) == ProtocolError::BadMagic);
    wrong = ping;
    wrong[0] = 0x4C;  // byte-swapped magic: a little-endian writer
    wrong[1] = 0x50;
    BOOST_TEST(parseError(wrong) == ProtocolError::BadMagic);
    BOOST_TEST(validateHeader(decodeHeader(wrong.data())) == ProtocolError::BadMagic);
}

BOOST_AUTO_TEST_CASE(bad_magic_is_refused_before_the_header_is_complete) {
    for (const char* text : {"G", "GET / HTTP/1.1", "P", "PX"}) {
        BOOST_TEST_CONTEXT(text) {
            const std::string s(text);
            const Bytes bytes(s.begin(), s.end());
            FrameView view;
            ProtocolError error = ProtocolError::None;
            const FrameStatus status = parseFrame(bytes.data(), bytes.size(), view, error);
            const bool prefixOfMagic = s == "P";
            BOOST_TEST(status == (prefixOfMagic ? FrameStatus::NeedMore : FrameStatus::Error));
            BOOST_TEST(error == (prefixOfMagic ? ProtocolError::None : ProtocolError::BadMagic));
        }
    }
}

BOOST_AUTO_TEST_CASE(unsupported_version) {
    const std::uint8_t versions[] = {0x00, 0x02, 0xFF};
    for (std::uint8_t version : versions) {
        BOOST_TEST_CONTEXT("version " << int{version}) {
            Bytes frame = goldenCase("Ping").frame;
            frame[2] = version;
            BOOST_TEST(parseError(frame) == ProtocolError::UnsupportedVersion);
            // Known from the third byte on.
            const Bytes prefix(frame.begin(), frame.begin() + 3);
            FrameView view;
            ProtocolError error = ProtocolError::None;
            BOOST_TEST(parseFrame(prefix.data(), prefix.size(), view, error) == FrameStatus::Error);
            BOOST_TEST(error == ProtocolError::UnsupportedVersion);
        }
    }
}

BOOST_AUTO_TEST_CASE(reserved_not_zero) {
    for (int reserved : {0x0001, 0x0100, 0x8000, 0xFFFF}) {
        BOOST_TEST_CONTEXT("reserved " << reserved) {
            Bytes frame = goldenCase("Chat").frame;
            frame[6] = static_cast<std::uint8_t>(reserved >> 8);
            frame[7] = static_cast<std::uint8_t>(reserved);
            BOOST_TEST(parseError(frame) == ProtocolError::ReservedNotZero);
        }
    }
}

BOOST_AUTO_TEST_CASE(payload_too_large_is_refused_with_only_the_header) {
    const Bytes header(goldenCase("Ping").frame);  // 28 bytes, payloadLength 0
    for (std::uint32_t length : {kMaxPayload + 1, 0x7FFFFFFFu, 0xFFFFFFFFu}) {
        BOOST_TEST_CONTEXT("length " << length) {
            BOOST_TEST(parseError(withPayloadLength(header, length)) == ProtocolError::PayloadTooLarge);
        }
    }
    // Exactly the limit is allowed: the parser waits for it.
    const Bytes atLimit = withPayloadLength(header, kMaxPayload);
    FrameView view;
    ProtocolError error = ProtocolError::None;
    BOOST_TEST(parseFrame(atLimit.data(), atLimit.size(), view, error) == FrameStatus::NeedMore);
    BOOST_TEST(error == ProtocolError::None);
    // A caller's own, smaller limit.
    BOOST_TEST(parseError(withPayloadLength(header, 101), 100) == ProtocolError::PayloadTooLarge);
    BOOST_TEST(parseFrame(withPayloadLength(header, 100).data(), kHeaderSize, view, error, 100) ==
               FrameStatus::NeedMore);
    BOOST_TEST(validateHeader(decodeHeader(withPayloadLength(header, 101).data()), 100) ==
               ProtocolError::PayloadTooLarge);
}

// ---- payload -----------------------------------------------------------------

// Where a golden payload may end before its optional trailing field (a valid,
// shorter message: the payload of a sender from before that field).
bool optionalTailAt(const std::string& golden, std::size_t cut) {
    if (golden == "Login/PasswordAndToken") return cut == 15;
    if (golden == "Login/Token") return cut == 71;
    if (golden == "Login/contactsVersion") return cut == 15 || cut == 16;  // without both, or the version
    if (golden == "LoginResult/Token") return cut == 16;
    if (golden == "Contacts/version") return cut == 3;
    return false;
}

BOOST_AUTO_TEST_CASE(truncated_at_every_cut_of_every_field) {
    for (const GoldenCase& c : goldenCases()) {
        const std::size_t payload = c.frame.size() - kHeaderSize;
        // FILE_CHUNK data is "the rest": only its two u64 fields can be cut.
        const std::size_t fixed = c.message.header.messageType() == MessageType::FileChunk ? 16 : payload;
        for (std::size_t cut = 0; cut < fixed; ++cut) {
            if (optionalTailAt(c.name, cut)) {
                BOOST_TEST(decodeError(withPayloadCut(c.frame, cut)) == ProtocolError::None);
                continue;
            }
            BOOST_TEST_CONTEXT(c.name << " cut to " << cut << " payload bytes") {
                BOOST_TEST(decodeError(withPayloadCut(c.frame, cut)) == ProtocolError::Truncated);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(trailing_bytes) {
    for (const GoldenCase& c : goldenCases()) {
        if (c.message.header.messageType() == MessageType::FileChunk) {
            continue;  // any extra byte is chunk data
        }
        if (c.name == "Login" || c.name.rfind("Login/", 0) == 0 || c.name == "LoginResult/Throttled" ||
            c.name == "LoginResult/Ok" || c.name == "Contacts" || c.name == "Contacts/empty") {
            continue;  // the extra byte starts the optional field: optional_trailing_fields
        }
        const std::uint8_t extras[] = {0x00, 0x01, 0xFF};
        for (std::uint8_t extra : extras) {
            BOOST_TEST_CONTEXT(c.name << " + " << int{extra}) {
                Bytes frame = c.frame;
                frame.push_back(extra);
                frame = withPayloadLength(frame, static_cast<std::uint32_t>(frame.size() - kHeaderSize));
                BOOST_TEST(decodeError(frame) == ProtocolError::TrailingBytes);
            }
        }
    }
}

// LOGIN and LOGIN_RESULT end with an optional field (section 6): a byte after
// the old layout is read as that field, not refused as trailing.
BOOST_AUTO_TEST_CASE(optional_trailing_fields) {
    const auto plus = [](const char* golden, Bytes extra) {
        Bytes frame = goldenCase(golden).frame;
        frame.insert(frame.end(), extra.begin(), extra.end());
        return withPayloadLength(frame, static_cast<std::uint32_t>(frame.size() - kHeaderSize));
    };
    BOOST_TEST(decodeError(plus("Login", {0x00})) == ProtocolError::None);
    BOOST_TEST(decodeError(plus("Login", {0x02})) == ProtocolError::None);
    BOOST_TEST(decodeError(plus("Login", {0x03})) == ProtocolError::InvalidValue);
    // mode, then contactsVersion (u64) after it.
    BOOST_TEST(decodeError(plus("Login", {0x01, 0x00})) == ProtocolError::Truncated);
    BOOST_TEST(decodeError(plus("Login", Bytes(9, 0x00))) == ProtocolError::None);
    BOOST_TEST(decodeError(plus("Login", Bytes(10, 0x00))) == ProtocolError::TrailingBytes);
    BOOST_TEST(decodeError(plus("Login/contactsVersion", {0x00})) == ProtocolError::TrailingBytes);
    // CONTACTS' version.
    BOOST_TEST(decodeError(plus("Contacts/empty", {0x00})) == ProtocolError::Truncated);
    BOOST_TEST(decodeError(plus("Contacts/empty", Bytes(8, 0x00))) == ProtocolError::None);
    BOOST_TEST(decodeError(plus("Contacts/empty", Bytes(9, 0x00))) == ProtocolError::TrailingBytes);
    BOOST_TEST(decodeError(plus("Contacts/version", {0x00})) == ProtocolError::TrailingBytes);
    BOOST_TEST(decodeError(plus("LoginResult/Ok", {0x00})) == ProtocolError::Truncated);
    BOOST_TEST(decodeError(plus("LoginResult/Ok", {0x00, 0x00})) == ProtocolError::Truncated);
    BOOST_TEST(decodeError(plus("LoginResult/Ok", Bytes(10, 0x00))) == ProtocolError::None);
    BOOST_TEST(decodeError(plus("LoginResult/Ok", Bytes(11, 0x00))) == ProtocolError::TrailingBytes);
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_a_string_field) {
    const std::vector<std::pair<const char*, Bytes>> bad = {
        {"overlong 2-byte C0", {0xC0, 0xAF}},
        {"overlong 2-byte C1", {0xC1, 0xBF}},
        {"overlong 3-byte", {0xE0, 0x80, 0xAF}},
        {"overlong 3-byte max", {0xE0, 0x9F, 0xBF}},
        {"overlong 4-byte", {0xF0, 0x80, 0x80, 0xAF}},
        {"overlong 4-byte max", {0xF0, 0x8F, 0xBF, 0xBF}},
        {"high surrogate", {0xED, 0xA0, 0x80}},
        {"low surrogate", {0xED, 0xBF, 0xBF}},
        {"above U+10FFFF", {0xF4, 0x90, 0x80, 0x80}},
        {"lead F5", {0xF5, 0x80, 0x80, 0x80}},
        {"byte FF", {0xFF}},
        {"lone continuation 80", {0x80}},
        {"lone continuation BF", {0xBF}},
        {"truncated 2-byte", {0xC3}},
        {"truncated 3-byte", {0xE2, 0x82}},
        {"truncated 4-byte", {0xF0, 0x9F, 0x91}},
        {"lead then ASCII", {0xE2, 0x41, 0x41}},
    };
    for (const auto& [name, sequence] : bad) {
        BOOST_TEST_CONTEXT(name) {
            BOOST_TEST(decodeError(chatWithRawText(sequence)) == ProtocolError::InvalidUtf8);
            Bytes embedded = {'o', 'k', ' '};
            embedded.insert(embedded.end(), sequence.begin(), sequence.end());
            embedded.insert(embedded.end(), {' ', 'o', 'k', '.', '.', '.', '.', '.', '.'});
            BOOST_TEST(decodeError(chatWithRawText(embedded)) == ProtocolError::InvalidUtf8);
        }
    }
    BOOST_TEST(decodeError(chatWithRawText({0xE2, 0x82, 0xAC})) == ProtocolError::None);
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_other_string_fields) {
    // "Zoë" (5A 6F C3 AB) -> 5A 6F C3 C3: the display name, the last field.
    BOOST_TEST(decodeError(patched(goldenCase("Register").frame, 27, {0xC3})) == ProtocolError::InvalidUtf8);
    // Contacts: first entry's username "alice" -> "al\x80ce".
    BOOST_TEST(decodeError(patched(goldenCase("Contacts").frame, 3 + 7 + 2, {0x80})) == ProtocolError::InvalidUtf8);
    // Error text.
    BOOST_TEST(decodeError(patched(goldenCase("Error").frame, 5, {0xED, 0xA0, 0x80})) == ProtocolError::InvalidUtf8);
}

BOOST_AUTO_TEST_CASE(a_sequence_is_not_completed_by_the_next_field) {
    // fileName ends in E2 82 and the next field (size) starts with AC: the
    // bytes E2 82 AC would be "€", but a str is validated on its own.
    const Bytes frame = hexBytes(
        "504C 01 20 0000 0000 | 00000007 | 00000009 | 0000000000000020 | 00000038"
        "0000000100000002"                                                  // transferId
        "0002 E282"                                                         // fileName
        "AC00000000000000"                                                  // size
        "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"  // sha256
        "00400000");                                                        // blockSize
    BOOST_TEST(decodeError(frame) == ProtocolError::InvalidUtf8);
}

BOOST_AUTO_TEST_CASE(invalid_enum_values) {
    struct EnumCase {
        const char* golden;
        std::size_t offset;  // in the payload
        std::vector<std::uint8_t> bad;
        std::vector<std::uint8_t> good;
    };
    const EnumCase cases[] = {
        {"RegisterResult", 0, {13, 0xFF}, {0, 12}},  // AuthStatus 0..12
        {"LoginResult/Throttled", 0, {13, 0x80}, {11, 12}},
        {"Login/Token", 71, {3, 0xFF}, {0, 1}},  // LoginMode 0..2
        {"Kicked", 0, {0, 5, 0xFF}, {1, 4}},     // KickReason 1..4
        {"Contacts", 7, {2, 0xFF}, {0, 1}},      // PresenceState of entry 1
        {"Contacts", 21, {2}, {1}},              // ... and of entry 2
        {"Presence", 4, {2, 0xFF}, {0}},
        {"Ack", 0, {0, 6}, {1, 5}},            // AckKind 1..5
        {"FileReject", 8, {0, 8}, {1, 7}},     // FileRejectReason 1..7
        {"FileCancel", 8, {0, 7}, {1, 6}},     // FileCancelReason 1..6
        {"FileResult", 8, {3, 0xFF}, {0, 2}},  // FileResultStatus 0..2
    };
    for (const EnumCase& c : cases) {
        const Bytes& frame = goldenCase(c.golden).frame;
        for (std::uint8_t v : c.bad) {
            BOOST_TEST_CONTEXT(c.golden << " @" << c.offset << " = " << int{v}) {
                BOOST_TEST(decodeError(patched(frame, c.offset, {v})) == ProtocolError::InvalidValue);
            }
        }
        for (std::uint8_t v : c.good) {
            BOOST_TEST_CONTEXT(c.golden << " @" << c.offset << " = " << int{v}) {
                BOOST_TEST(decodeError(patched(frame, c.offset, {v})) == ProtocolError::None);
            }
        }
    }
    // ErrorCode is a u16: 1..14.
    const Bytes& error = goldenCase("Error").frame;
    const std::uint8_t highs[] = {0x00, 0x01, 0xFF};
    const std::uint8_t lows[] = {0x00, 0x01, 0x0E, 0x0F, 0xFF};
    for (std::uint8_t hi : highs) {
        for (std::uint8_t lo : lows) {
            BOOST_TEST_CONTEXT("ErrorCode " << int{hi} << ":" << int{lo}) {
                const bool known = hi == 0 && lo >= 1 && lo <= 14;
                BOOST_TEST(decodeError(patched(error, 0, {hi, lo})) ==
                           (known ? ProtocolError::None : ProtocolError::InvalidValue));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(invalid_bool_values) {
    for (const char* name : {"Contacts", "Typing"}) {
        const std::uint8_t values[] = {0x02, 0x80, 0xFF};
        for (std::uint8_t v : values) {
            BOOST_TEST_CONTEXT(name << " = " << int{v}) {
                BOOST_TEST(decodeError(patched(goldenCase(name).frame, 0, {v})) == ProtocolError::InvalidValue);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(contacts_count_larger_than_the_entries_present) {
    const Bytes& two = goldenCase("Contacts").frame;
    BOOST_TEST(decodeError(patched(two, 1, {0x00, 0x03})) == ProtocolError::Truncated);
    BOOST_TEST(decodeError(patched(two, 1, {0xFF, 0xFF})) == ProtocolError::Truncated);
    const Bytes& empty = goldenCase("Contacts/empty").frame;
    BOOST_TEST(decodeError(patched(empty, 1, {0x00, 0x01})) == ProtocolError::Truncated);
    // And fewer: the entry left over is trailing bytes.
    BOOST_TEST(decodeError(patched(two, 1, {0x00, 0x01})) == ProtocolError::TrailingBytes);
}

BOOST_AUTO_TEST_CASE(unknown_types_are_refused_without_being_fatal) {
    const std::uint8_t types[] = {0x00, 0x0C, 0x0F, 0x14, 0x1F, 0x29, 0x2F, 0x32, 0x3E, 0x40, 0x7E, 0xFF};
    for (std::uint8_t type : types) {
        BOOST_TEST_CONTEXT("type " << int{type}) {
            BOOST_TEST(!isKnownType(type));
            Bytes frame = goldenCase("Ping").frame;
            frame[3] = type;
            frame.insert(frame.end(), {1, 2, 3});
            frame = withPayloadLength(frame, 3);
            const ProtocolError error = decodeError(frame);
            BOOST_TEST(error == ProtocolError::UnknownType);
            BOOST_TEST(!isFatal(error));
            BOOST_TEST(toErrorCode(error) == ErrorCode::UnsupportedType);
        }
    }
}

BOOST_AUTO_TEST_CASE(each_class_has_its_own_error) {
    // The classes above, side by side: all distinct, all fatal but UnknownType.
    const ProtocolError all[] = {
        ProtocolError::BadMagic,        ProtocolError::UnsupportedVersion, ProtocolError::ReservedNotZero,
        ProtocolError::PayloadTooLarge, ProtocolError::Truncated,          ProtocolError::TrailingBytes,
        ProtocolError::InvalidUtf8,     ProtocolError::InvalidValue,       ProtocolError::UnknownType,
    };
    std::set<std::string> names;
    for (ProtocolError e : all) {
        names.insert(toString(e));
        BOOST_TEST_CONTEXT(e) { BOOST_TEST(isFatal(e) == (e != ProtocolError::UnknownType)); }
    }
    BOOST_TEST(names.size() == std::size(all));
    BOOST_TEST(!isFatal(ProtocolError::None));
}

BOOST_AUTO_TEST_SUITE_END()
