#include "tests/shared/proto/ProtoTestSupport.h"

#include <algorithm>
#include <stdexcept>

namespace parley::proto::test {

namespace {

int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

Header header(UserId source, UserId destination, MessageId messageId, std::uint16_t flagBits = 0) {
    Header h;
    h.source = source;
    h.destination = destination;
    h.messageId = messageId;
    h.flags = flagBits;
    return h;
}

Sha256 shaPattern(std::uint8_t first, int step) {
    Sha256 h{};
    for (std::size_t i = 0; i < h.size(); ++i) {
        h[i] = static_cast<std::uint8_t>(first + step * static_cast<int>(i));
    }
    return h;
}

Contact contact(UserId id, PresenceState state, std::string username, std::string displayName) {
    Contact c;
    c.userId = id;
    c.state = state;
    c.username = std::move(username);
    c.displayName = std::move(displayName);
    return c;
}

}  // namespace

Bytes hexBytes(std::string_view hex) {
    Bytes out;
    int high = -1;
    for (char c : hex) {
        if (c == ' ' || c == '|') {
            continue;
        }
        const int d = hexDigit(c);
        if (d < 0) {
            throw std::invalid_argument("hexBytes: not a hex digit");
        }
        if (high < 0) {
            high = d;
        } else {
            out.push_back(static_cast<std::uint8_t>(high * 16 + d));
            high = -1;
        }
    }
    if (high >= 0) {
        throw std::invalid_argument("hexBytes: odd number of digits");
    }
    return out;
}

std::string toHex(const std::uint8_t* data, std::size_t size) {
    static const char kDigits[] = "0123456789ABCDEF";
    std::string s;
    s.reserve(size * 3);
    for (std::size_t i = 0; i < size; ++i) {
        if (i != 0) {
            s += ' ';
        }
        s += kDigits[data[i] >> 4];
        s += kDigits[data[i] & 0x0F];
    }
    return s;
}

std::string toHex(const Bytes& bytes) { return toHex(bytes.data(), bytes.size()); }

const char* const kGoldenToken = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// The golden frames. Each is typed in from the layouts in docs/protocol.md;
// none comes from the encoder. Header line: magic, version, type, flags,
// reserved | source | destination | messageId | payloadLength.
const std::vector<GoldenCase>& goldenCases() {
    static const std::vector<GoldenCase> cases = [] {
        std::vector<GoldenCase> v;
        auto add = [&v](std::string name, Header h, MessageType type, std::uint32_t length, Body body,
                        std::string_view hex) {
            h.type = static_cast<std::uint8_t>(type);
            h.payloadLength = length;
            v.push_back({std::move(name), Message{h, std::move(body)}, hexBytes(hex)});
        };

        add("Register", header(0, 0, 1), MessageType::Register, 0x1C, Register{"alice", "correct horse", "Zo\xC3\xAB"},
            "504C 01 01 0000 0000 | 00000000 | 00000000 | 0000000000000001 | 0000001C"
            "0005 616C696365"                  // username "alice"
            "000D 636F727265637420686F727365"  // password "correct horse"
            "0004 5A6FC3AB");                  // displayName "Zoë" (ë = C3 AB)

        add("RegisterResult", header(0, 0, 1), MessageType::RegisterResult, 0x0C,
            RegisterResult{AuthStatus::UsernameTaken, 0x01020304, "taken"},
            "504C 01 02 0000 0000 | 00000000 | 00000000 | 0000000000000001 | 0000000C"
            "01"                 // status UsernameTaken
            "01020304"           // userId
            "0005 74616B656E");  // text "taken"

        add("Login", header(0, 0, 2), MessageType::Login, 0x0F, Login{"bob", "hunter22"},
            "504C 01 03 0000 0000 | 00000000 | 00000000 | 0000000000000002 | 0000000F"
            "0003 626F62"              // username "bob"
            "0008 68756E7465723232");  // password "hunter22"

        // With the optional trailing LoginMode (section 6): "remember me", then a token login.
        add("Login/PasswordAndToken", header(0, 0, 2), MessageType::Login, 0x10,
            Login{"bob", "hunter22", LoginMode::PasswordAndToken},
            "504C 01 03 0000 0000 | 00000000 | 00000000 | 0000000000000002 | 00000010"
            "0003 626F62"            // username "bob"
            "0008 68756E7465723232"  // password "hunter22"
            "01");                   // mode PasswordAndToken

        add("Login/Token", header(0, 0, 4), MessageType::Login, 0x48, Login{"bob", kGoldenToken, LoginMode::Token},
            "504C 01 03 0000 0000 | 00000000 | 00000000 | 0000000000000004 | 00000048"
            "0003 626F62"  // username "bob"
            "0040"         // the token: 64 characters "0123456789abcdef" x 4
            "30313233343536373839616263646566 30313233343536373839616263646566"
            "30313233343536373839616263646566 30313233343536373839616263646566"
            "02");  // mode Token

        // Then contactsVersion: the client keeps its list (9.13), here of version 0x0102030405060708.
        add("Login/contactsVersion", header(0, 0, 3), MessageType::Login, 0x18,
            Login{"bob", "hunter22", LoginMode::Password, 0x0102030405060708},
            "504C 01 03 0000 0000 | 00000000 | 00000000 | 0000000000000003 | 00000018"
            "0003 626F62"            // username "bob"
            "0008 68756E7465723232"  // password "hunter22"
            "00"                     // mode Password
            "0102030405060708");     // contactsVersion

        add("LoginResult/Throttled", header(0, 0, 2), MessageType::LoginResult, 0x14,
            LoginResult{AuthStatus::Throttled, 42, 300, "Bob", "wait"},
            "504C 01 04 0000 0000 | 00000000 | 00000000 | 0000000000000002 | 00000014"
            "05"               // status Throttled
            "0000002A"         // userId 42
            "0000012C"         // retryAfterSeconds 300
            "0003 426F62"      // displayName "Bob"
            "0004 77616974");  // text "wait"

        add("LoginResult/Token", header(0, 42, 2), MessageType::LoginResult, 0x5A,
            LoginResult{AuthStatus::Ok, 42, 0, "Bob", "", IssuedToken{kGoldenToken, 1700000000000}},
            "504C 01 04 0000 0000 | 00000000 | 0000002A | 0000000000000002 | 0000005A"
            "00"           // status Ok
            "0000002A"     // userId 42
            "00000000"     // retryAfterSeconds
            "0003 426F62"  // displayName "Bob"
            "0000"         // text ""
            "0040"         // token (optional, trailing)
            "30313233343536373839616263646566 30313233343536373839616263646566"
            "30313233343536373839616263646566 30313233343536373839616263646566"
            "0000018BCFE56800");  // expiresAtMs 1700000000000

        add("LoginResult/Ok", header(0, 0xFFFFFFFF, 3), MessageType::LoginResult, 0x13,
            LoginResult{AuthStatus::Ok, 0xFFFFFFFF, 0, "\xE6\x97\xA5\xE6\x9C\xAC", ""},
            "504C 01 04 0000 0000 | 00000000 | FFFFFFFF | 0000000000000003 | 00000013"
            "00"                  // status Ok
            "FFFFFFFF"            // userId 2^32-1
            "00000000"            // retryAfterSeconds
            "0006 E697A5 E69CAC"  // displayName "日本"
            "0000");              // text ""

        add("Logout", header(7, 0, 0x8000000000000000), MessageType::Logout, 0, Logout{},
            "504C 01 05 0000 0000 | 00000007 | 00000000 | 8000000000000000 | 00000000");

        add("Kicked", header(0, 7, 4), MessageType::Kicked, 6, Kicked{KickReason::LoggedInElsewhere, "bye"},
            "504C 01 06 0000 0000 | 00000000 | 00000007 | 0000000000000004 | 00000006"
            "01"             // reason LoggedInElsewhere
            "0003 627965");  // text "bye"

        add("ContactsQuery", header(7, 0, 5), MessageType::ContactsQuery, 0, ContactsQuery{},
            "504C 01 07 0000 0000 | 00000007 | 00000000 | 0000000000000005 | 00000000");

        add("Contacts", header(0, 7, 6), MessageType::Contacts, 0x21,
            Contacts{false,
                     {contact(1, PresenceState::Online, "alice", ""), contact(0x00ABCDEF, PresenceState::Offline, "bob",
                                                                              "B\xC3\xB8"
                                                                              "b")}},
            "504C 01 08 0000 0000 | 00000000 | 00000007 | 0000000000000006 | 00000021"
            "00"                                       // last false
            "0002"                                     // count 2
            "00000001 01 0005 616C696365 0000"         // 1, Online, "alice", ""
            "00ABCDEF 00 0003 626F62 0004 42C3B862");  // Offline, "bob", "Bøb"

        add("Contacts/empty", header(0, 7, 7), MessageType::Contacts, 3, Contacts{true, {}},
            "504C 01 08 0000 0000 | 00000000 | 00000007 | 0000000000000007 | 00000003"
            "01"      // last true
            "0000");  // count 0

        // The last page to a client that keeps its list: with the list's version (9.13).
        add("Contacts/version", header(0, 7, 11), MessageType::Contacts, 0x0B, Contacts{true, {}, 0x0102030405060708},
            "504C 01 08 0000 0000 | 00000000 | 00000007 | 000000000000000B | 0000000B"
            "01"                  // last true
            "0000"                // count 0
            "0102030405060708");  // version

        add("ContactStates", header(0, 7, 9), MessageType::ContactStates, 0x0D,
            ContactStates{true, {{1, PresenceState::Online}, {5, PresenceState::Online}}},
            "504C 01 0A 0000 0000 | 00000000 | 00000007 | 0000000000000009 | 0000000D"
            "01"             // last true
            "0002"           // count 2
            "00000001 01"    // 1 Online
            "00000005 01");  // 5 Online

        add("PresenceStates", header(0, 7, 10), MessageType::PresenceStates, 0x07,
            PresenceStates{{{5, PresenceState::Offline}}},
            "504C 01 0B 0000 0000 | 00000000 | 00000007 | 000000000000000A | 00000007"
            "0001"           // count 1
            "00000005 00");  // 5 Offline

        add("Presence", header(0, 7, 8), MessageType::Presence, 0x13,
            Presence{contact(5, PresenceState::Online, "carol", "Carol")},
            "504C 01 09 0000 0000 | 00000000 | 00000007 | 0000000000000008 | 00000013"
            "00000005"           // userId 5
            "01"                 // state Online
            "0005 6361726F6C"    // username "carol"
            "0005 4361726F6C");  // displayName "Carol"

        add("Chat", header(7, 9, 0x0000000123456789, flags::kResent), MessageType::Chat, 0x15,
            Chat{0x0000018C2F4A5B6C, "h\xC3\xA9llo \xF0\x9F\x91\x8B"},
            "504C 01 10 0001 0000 | 00000007 | 00000009 | 0000000123456789 | 00000015"
            "0000018C2F4A5B6C"               // timestampMs
            "000B 68C3A96C6C6F20F09F918B");  // text "héllo 👋"

        add("Room", header(7, 0, 0x0000000123456790), MessageType::Room, 0x10, Room{0x0000018C2F4A5B6D, "hi all"},
            "504C 01 11 0000 0000 | 00000007 | 00000000 | 0000000123456790 | 00000010"
            "0000018C2F4A5B6D"     // timestampMs
            "0006 686920616C6C");  // text "hi all"

        add("Ack", header(9, 7, 0x10), MessageType::Ack, 9, Ack{AckKind::Delivered, 0x8000000000000001},
            "504C 01 12 0000 0000 | 00000009 | 00000007 | 0000000000000010 | 00000009"
            "02"                  // kind Delivered
            "8000000000000001");  // upTo 2^63 + 1

        add("Ack/Read", header(9, 7, 0x13), MessageType::Ack, 9, Ack{AckKind::Read, 0x0000000123456789},
            "504C 01 12 0000 0000 | 00000009 | 00000007 | 0000000000000013 | 00000009"
            "05"                  // kind Read
            "0000000123456789");  // upTo

        add("Typing", header(7, 9, 0x11), MessageType::Typing, 1, Typing{true},
            "504C 01 13 0000 0000 | 00000007 | 00000009 | 0000000000000011 | 00000001"
            "01");  // typing true

        add("Typing/false", header(7, 9, 0x12), MessageType::Typing, 1, Typing{false},
            "504C 01 13 0000 0000 | 00000007 | 00000009 | 0000000000000012 | 00000001"
            "00");  // typing false

        add("FileOffer", header(7, 9, 0x20), MessageType::FileOffer, 0x40,
            FileOffer{0x0000000100000002, "report.pdf", 0x0000000123456789, shaPattern(0x00, 1), 0x00400000},
            "504C 01 20 0000 0000 | 00000007 | 00000009 | 0000000000000020 | 00000040"
            "0000000100000002"                  // transferId
            "000A 7265706F72742E706466"         // fileName "report.pdf"
            "0000000123456789"                  // size, 4.5 GiB
            "000102030405060708090A0B0C0D0E0F"  // sha256 (first 16 bytes)
            "101112131415161718191A1B1C1D1E1F"  //        (last 16 bytes)
            "00400000");                        // blockSize 4 MiB

        add("FileAccept", header(9, 7, 0x21), MessageType::FileAccept, 0x10,
            FileAccept{0x0000000100000002, 0x0000000100000000},
            "504C 01 21 0000 0000 | 00000009 | 00000007 | 0000000000000021 | 00000010"
            "0000000100000002"    // transferId
            "0000000100000000");  // offset 4 GiB

        add("FileReject", header(0, 7, 0x22), MessageType::FileReject, 0x12,
            FileReject{3, FileRejectReason::PeerOffline, "offline"},
            "504C 01 22 0000 0000 | 00000000 | 00000007 | 0000000000000022 | 00000012"
            "0000000000000003"       // transferId
            "05"                     // reason PeerOffline
            "0007 6F66666C696E65");  // text "offline"

        add("FileChunk", header(7, 9, 0x23), MessageType::FileChunk, 0x14,
            FileChunk{0x0000000100000002, 0x0000000123456789, {0xDE, 0xAD, 0xBE, 0xEF}},
            "504C 01 23 0000 0000 | 00000007 | 00000009 | 0000000000000023 | 00000014"
            "0000000100000002"  // transferId
            "0000000123456789"  // offset past 4 GiB
            "DEADBEEF");        // data: the rest of the payload

        add("FileChunk/empty", header(7, 9, 0x24), MessageType::FileChunk, 0x10, FileChunk{2, 0, {}},
            "504C 01 23 0000 0000 | 00000007 | 00000009 | 0000000000000024 | 00000010"
            "0000000000000002"    // transferId
            "0000000000000000");  // offset 0, no data

        add("FileDone", header(7, 9, 0x25), MessageType::FileDone, 0x10, FileDone{2, 0xFFFFFFFFFFFFFFFF},
            "504C 01 24 0000 0000 | 00000007 | 00000009 | 0000000000000025 | 00000010"
            "0000000000000002"    // transferId
            "FFFFFFFFFFFFFFFF");  // size 2^64-1

        add("FileCancel", header(0, 9, 0x26), MessageType::FileCancel, 0x0B,
            FileCancel{2, FileCancelReason::PeerDisconnected, ""},
            "504C 01 25 0000 0000 | 00000000 | 00000009 | 0000000000000026 | 0000000B"
            "0000000000000002"  // transferId
            "02"                // reason PeerDisconnected
            "0000");            // text ""

        add("FileCredit", header(9, 7, 0x27), MessageType::FileCredit, 0x0C, FileCredit{2, 0x00100000},
            "504C 01 26 0000 0000 | 00000009 | 00000007 | 0000000000000027 | 0000000C"
            "0000000000000002"  // transferId
            "00100000");        // bytes 1 MiB

        add("FileResult", header(9, 7, 0x28), MessageType::FileResult, 0x0E,
            FileResult{2, FileResultStatus::HashMismatch, "sha"},
            "504C 01 27 0000 0000 | 00000009 | 00000007 | 0000000000000028 | 0000000E"
            "0000000000000002"  // transferId
            "01"                // status HashMismatch
            "0003 736861");     // text "sha"

        add("FileBlockHash", header(7, 9, 0x29), MessageType::FileBlockHash, 0x34,
            FileBlockHash{2, 0x0000000100400000, 0x00400000, shaPattern(0xFF, -1)},
            "504C 01 28 0000 0000 | 00000007 | 00000009 | 0000000000000029 | 00000034"
            "0000000000000002"                    // transferId
            "0000000100400000"                    // offset 4 GiB + 4 MiB
            "00400000"                            // length 4 MiB
            "FFFEFDFCFBFAF9F8F7F6F5F4F3F2F1F0"    // sha256 (first 16 bytes)
            "EFEEEDECEBEAE9E8E7E6E5E4E3E2E1E0");  //        (last 16 bytes)

        add("Ping", header(7, 0, 0x0102), MessageType::Ping, 0, Ping{},
            "504C 01 30 0000 0000 | 00000007 | 00000000 | 0000000000000102 | 00000000");

        add("Pong", header(0, 7, 0x0102), MessageType::Pong, 0, Pong{},
            "504C 01 31 0000 0000 | 00000000 | 00000007 | 0000000000000102 | 00000000");

        add("Error", header(0, 7, 0xFFFFFFFFFFFFFFFF, 0x8000), MessageType::Error, 0x0E,
            Error{ErrorCode::UnsupportedType, 0x7E, "type 0x7E"},
            "504C 01 3F 8000 0000 | 00000000 | 00000007 | FFFFFFFFFFFFFFFF | 0000000E"
            "0005"                       // code UnsupportedType
            "7E"                         // refType
            "0009 747970652030783745");  // text "type 0x7E"
        return v;
    }();
    return cases;
}

const GoldenCase& goldenCase(std::string_view name) {
    for (const GoldenCase& c : goldenCases()) {
        if (c.name == name) {
            return c;
        }
    }
    throw std::out_of_range("no golden case " + std::string(name));
}

std::vector<Message> sampleMessages() {
    const std::string maxAscii(kMaxStringBytes, 'x');
    // 21845 three-byte characters: exactly 65535 bytes of multi-byte UTF-8.
    std::string maxMultiByte;
    for (std::size_t i = 0; i < kMaxStringBytes / 3; ++i) {
        maxMultiByte += "\xE2\x82\xAC";  // €
    }
    Contacts many;
    many.last = false;
    for (UserId id = 1; id <= 3000; ++id) {
        many.contacts.push_back(contact(id, id % 3 == 0 ? PresenceState::Online : PresenceState::Offline,
                                        "user" + std::to_string(id), "User " + std::to_string(id)));
    }
    FileChunk bigChunk{0xFFFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF, Bytes(kMaxChunkData)};
    for (std::size_t i = 0; i < bigChunk.data.size(); ++i) {
        bigChunk.data[i] = static_cast<std::uint8_t>(i * 7 + 3);
    }
    FileChunk maxChunk{1, 0, Bytes(kMaxPayload - 16, 0xA5)};

    const Header h = header(7, 9, 0x0123456789ABCDEF);
    const Header zero = header(0, 0, 0);
    const Header ones = header(0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF, 0xFFFF);
    return {
        {zero, Register{"", "", ""}},
        {h, Register{"user_1.x-y", std::string(1024, 'p'), maxMultiByte}},
        {h, RegisterResult{AuthStatus::InvalidDisplayName, 0, ""}},
        {h, RegisterResult{AuthStatus::Ok, 0xFFFFFFFF, "welcome"}},
        {h, Login{"alice", maxAscii}},
        {h, Login{"alice", "pw", LoginMode::Password}},
        {h, Login{"alice", std::string(64, 'f'), LoginMode::Token}},
        {h, LoginResult{AuthStatus::AlreadyAuthenticated, 1, 0xFFFFFFFF, "", maxAscii}},
        {h, LoginResult{AuthStatus::Ok, 77, 0, maxAscii, maxMultiByte}},
        {h, LoginResult{AuthStatus::TokenExpired, 0, 0, "", "expired"}},
        {h, LoginResult{AuthStatus::Ok, 77, 0, "", "", IssuedToken{maxAscii, 0xFFFFFFFFFFFFFFFF}}},
        {ones, Logout{}},
        {h, Kicked{KickReason::Flooding, ""}},
        {h, Kicked{KickReason::ServerShutdown, "maintenance \xF0\x9F\x94\xA7"}},
        {zero, ContactsQuery{}},
        {h, Contacts{true, {}}},
        {h, Contacts{false, {contact(0, PresenceState::Offline, "", "")}}},
        {h, many},
        {h, Presence{contact(0xFFFFFFFF, PresenceState::Online, maxAscii, maxMultiByte)}},
        {h, Login{"alice", "pw", LoginMode::Token, 0}},
        {h, Contacts{true, {contact(3, PresenceState::Online, "c", "")}, 0xFFFFFFFFFFFFFFFF}},
        {h, ContactStates{false, {}}},
        {h, ContactStates{true, {{0xFFFFFFFF, PresenceState::Online}, {1, PresenceState::Offline}}}},
        {h, PresenceStates{{}}},
        {h, PresenceStates{{{7, PresenceState::Online}, {7, PresenceState::Offline}}}},
        {h, Chat{0, ""}},
        {h, Chat{0xFFFFFFFFFFFFFFFF, maxAscii}},
        {ones, Chat{0x8000000000000000, maxMultiByte}},
        {h, Room{1700000000000, "\xE4\xBD\xA0\xE5\xA5\xBD"}},
        {h, Ack{AckKind::Stored, 0}},
        {h, Ack{AckKind::Received, 0x0000000100000000}},
        {h, Ack{AckKind::Broadcast, 0xFFFFFFFFFFFFFFFF}},
        {h, Ack{AckKind::Read, 0x8000000000000000}},
        {h, Typing{false}},
        {h, FileOffer{0, "", 0, Sha256{}, 0}},
        {h, FileOffer{0xFFFFFFFFFFFFFFFF, maxMultiByte, 0xFFFFFFFFFFFFFFFF, shaPattern(1, 3), 0xFFFFFFFF}},
        {h, FileAccept{0x8000000000000000, 0x0000000500000000}},
        {h, FileReject{1, FileRejectReason::Unavailable, maxAscii}},
        {h, FileChunk{1, 0x0000000100000000, {0x00}}},
        {h, bigChunk},
        {h, maxChunk},
        {h, FileDone{0, 0}},
        {h, FileCancel{0xFFFFFFFFFFFFFFFF, FileCancelReason::ProtocolViolation, "beyond credit"}},
        {h, FileCredit{1, 0xFFFFFFFF}},
        {h, FileResult{1, FileResultStatus::WriteFailed, "disk full"}},
        {h, FileResult{1, FileResultStatus::Verified, ""}},
        {h, FileBlockHash{1, 0xFFFFFFFFFFC00000, 1, Sha256{}}},
        {ones, Ping{}},
        {zero, Pong{}},
        {h, Error{ErrorCode::InvalidMessage, 0, ""}},
        {h, Error{ErrorCode::BadMagic, 0xFF, maxAscii}},
    };
}

std::vector<Message> smallSampleMessages(std::size_t maxFrame) {
    std::vector<Message> small;
    for (Message& m : sampleMessages()) {
        if (encodeFrame(m).size() <= maxFrame) {
            small.push_back(std::move(m));
        }
    }
    for (const GoldenCase& c : goldenCases()) {
        small.push_back(c.message);
    }
    return small;
}

Bytes encodeFrame(const Message& message) { return encode(message.header, message.body); }

ProtocolError decodeFrame(const Bytes& frame, Message& out) {
    FrameView view;
    ProtocolError error = ProtocolError::None;
    const FrameStatus status = parseFrame(frame.data(), frame.size(), view, error);
    if (status == FrameStatus::Error) {
        return error;
    }
    if (status != FrameStatus::Complete || view.frameSize() != frame.size()) {
        throw std::logic_error("decodeFrame: not exactly one whole frame");
    }
    out.header = view.header;
    return decodePayload(view.header, view.payload, view.payloadSize, out.body);
}

Bytes withPayloadLength(Bytes frame, std::uint32_t length) {
    frame.at(24) = static_cast<std::uint8_t>(length >> 24);
    frame.at(25) = static_cast<std::uint8_t>(length >> 16);
    frame.at(26) = static_cast<std::uint8_t>(length >> 8);
    frame.at(27) = static_cast<std::uint8_t>(length);
    return frame;
}

Bytes withPayloadCut(const Bytes& frame, std::size_t payloadBytes) {
    Bytes cut(frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(kHeaderSize + payloadBytes));
    return withPayloadLength(std::move(cut), static_cast<std::uint32_t>(payloadBytes));
}

}  // namespace parley::proto::test

namespace parley::proto {

std::ostream& operator<<(std::ostream& os, ProtocolError error) { return os << toString(error); }

std::ostream& operator<<(std::ostream& os, FrameStatus status) {
    switch (status) {
    case FrameStatus::Complete: return os << "Complete";
    case FrameStatus::NeedMore: return os << "NeedMore";
    case FrameStatus::Error: return os << "Error";
    }
    return os << "FrameStatus(?)";
}

std::ostream& operator<<(std::ostream& os, MessageType type) { return os << toString(type); }

std::ostream& operator<<(std::ostream& os, ErrorCode code) { return os << toString(code); }

}  // namespace parley::proto
