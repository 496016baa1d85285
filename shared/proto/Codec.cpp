#include "shared/proto/Codec.h"

#include "shared/proto/Wire.h"

#include <algorithm>
#include <cassert>
#include <tuple>
#include <type_traits>

namespace parley::proto {

namespace {

// Header field offsets (see Header.h).
constexpr std::size_t kMagicOffset = 0;
constexpr std::size_t kVersionOffset = 2;
constexpr std::size_t kTypeOffset = 3;
constexpr std::size_t kFlagsOffset = 4;
constexpr std::size_t kReservedOffset = 6;
constexpr std::size_t kSourceOffset = 8;
constexpr std::size_t kDestinationOffset = 12;
constexpr std::size_t kMessageIdOffset = 16;
constexpr std::size_t kPayloadLengthOffset = 24;
static_assert(kPayloadLengthOffset + 4 == kHeaderSize, "the header is 28 bytes");

/// Smallest encoding of a Contact: u32 + u8 + two empty str.
constexpr std::size_t kMinContactSize = 4 + 1 + 2 + 2;

/// Writes a payload struct's wireFields (Messages.h), choosing each field's
/// encoding from its C++ type.
class PayloadWriter {
public:
    explicit PayloadWriter(std::vector<std::uint8_t>& out) : m_w(out), m_start(out.size()) {}

    template <class M>
    void fields(const M& m) {
        std::apply([&](const auto&... f) { (field(f), ...); }, M::wireFields(m));
    }

    std::size_t payloadSize() const { return m_w.size() - m_start; }

private:
    void field(std::uint8_t v) { m_w.u8(v); }
    void field(std::uint16_t v) { m_w.u16(v); }
    void field(std::uint32_t v) { m_w.u32(v); }
    void field(std::uint64_t v) { m_w.u64(v); }
    void field(bool v) { m_w.boolean(v); }
    void field(const std::string& s) { m_w.str(s); }
    void field(const Sha256& h) { m_w.sha256(h); }
    void field(const Contact& c) { fields(c); }
    void field(const ContactState& c) { fields(c); }
    void field(const IssuedToken& t) { fields(t); }

    // An optional trailing field: written only when present, and only while every optional
    // before it was (a receiver tells them apart by position alone).
    template <class T>
    void field(const std::optional<T>& v) {
        assert((!v || !m_optionalEnded) && "an optional field after an absent one");
        if (!v) m_optionalEnded = true;
        if (v && !m_optionalEnded) field(*v);
    }

    template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
    void field(E v) {
        field(static_cast<std::underlying_type_t<E>>(v));
    }

    // A page that does not fit is a caller bug (page by encodedSize()):
    // asserted, and cut to the entries that fit in release builds.
    template <class Entry>
    void entries(const std::vector<Entry>& list) {
        const std::size_t countPos = m_w.size();
        m_w.u16(0);
        std::uint16_t count = 0;
        for (const Entry& c : list) {
            if (count == 0xFFFF || payloadSize() + encodedSize(c) > kMaxPayload) {
                assert(false && "a page over 65535 entries or kMaxPayload bytes");
                break;
            }
            fields(c);
            ++count;
        }
        storeU16(m_w.buffer().data() + countPos, count);
    }
    void field(const std::vector<Contact>& list) { entries(list); }
    void field(const std::vector<ContactState>& list) { entries(list); }

    // The rest of the payload (FILE_CHUNK data); cut at kMaxPayload likewise.
    void field(const std::vector<std::uint8_t>& rest) {
        const std::size_t room = kMaxPayload - std::min<std::size_t>(payloadSize(), kMaxPayload);
        assert(rest.size() <= room && "payload over kMaxPayload");
        m_w.bytes(rest.data(), std::min(rest.size(), room));
    }

    ByteWriter m_w;
    std::size_t m_start;
    bool m_optionalEnded = false;
};

/// Reads a payload struct's wireFields in place. The first failure sticks
/// (ByteReader), so later fields are skipped and error() tells why.
class PayloadReader {
public:
    PayloadReader(const std::uint8_t* data, std::size_t size) : m_r(data, size) {}

    template <class M>
    bool fields(M& m) {
        std::apply([&](auto&... f) { (field(f), ...); }, M::wireFields(m));
        return m_r.ok();
    }

    ProtocolError error() const { return m_r.error(); }
    std::size_t remaining() const { return m_r.remaining(); }

private:
    bool field(std::uint8_t& v) { return m_r.u8(v); }
    bool field(std::uint16_t& v) { return m_r.u16(v); }
    bool field(std::uint32_t& v) { return m_r.u32(v); }
    bool field(std::uint64_t& v) { return m_r.u64(v); }
    bool field(bool& v) { return m_r.boolean(v); }
    bool field(std::string& s) { return m_r.str(s); }
    bool field(Sha256& h) { return m_r.sha256(h); }
    bool field(Contact& c) { return fields(c); }
    bool field(ContactState& c) { return fields(c); }
    bool field(IssuedToken& t) { return fields(t); }

    // An optional trailing field: present when bytes are left (an older sender's
    // payload simply ends before it).
    template <class T>
    bool field(std::optional<T>& v) {
        v.reset();
        if (!m_r.ok() || m_r.remaining() == 0) return m_r.ok();
        T value{};
        if (!field(value)) return false;
        v = std::move(value);
        return true;
    }
    bool field(std::vector<std::uint8_t>& rest) { return m_r.rest(rest); }

    template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
    bool field(E& v) {
        std::underlying_type_t<E> raw = 0;
        if (!field(raw)) {
            return false;
        }
        const E value = static_cast<E>(raw);
        if (!isKnownValue(value)) {
            return m_r.fail(ProtocolError::InvalidValue);
        }
        v = value;
        return true;
    }

    bool field(std::vector<Contact>& list) { return entries(list, kMinContactSize); }
    bool field(std::vector<ContactState>& list) { return entries(list, encodedSize(ContactState{})); }

    template <class Entry>
    bool entries(std::vector<Entry>& list, std::size_t minEntrySize) {
        std::uint16_t count = 0;
        if (!field(count)) {
            return false;
        }
        list.clear();
        // Reserve only what the remaining bytes can hold: the count is untrusted.
        list.reserve(std::min<std::size_t>(count, m_r.remaining() / minEntrySize));
        for (std::uint16_t i = 0; i < count; ++i) {
            list.emplace_back();
            if (!fields(list.back())) {
                return false;  // a count larger than the entries present: Truncated
            }
        }
        return true;
    }

    ByteReader m_r;
};

template <class M>
ProtocolError decodeAs(const std::uint8_t* payload, std::size_t size, Body& out) {
    M* m = std::get_if<M>(&out);
    if (m == nullptr) {
        m = &out.emplace<M>();
    }
    PayloadReader reader(payload, size);
    if (!reader.fields(*m)) {
        return reader.error();
    }
    return reader.remaining() == 0 ? ProtocolError::None : ProtocolError::TrailingBytes;
}

}  // namespace

void encodeHeader(const Header& header, std::uint8_t* out) {
    storeU16(out + kMagicOffset, header.magic);
    out[kVersionOffset] = header.version;
    out[kTypeOffset] = header.type;
    storeU16(out + kFlagsOffset, header.flags);
    storeU16(out + kReservedOffset, header.reserved);
    storeU32(out + kSourceOffset, header.source);
    storeU32(out + kDestinationOffset, header.destination);
    storeU64(out + kMessageIdOffset, header.messageId);
    storeU32(out + kPayloadLengthOffset, header.payloadLength);
}

Header decodeHeader(const std::uint8_t* in) {
    Header h;
    h.magic = loadU16(in + kMagicOffset);
    h.version = in[kVersionOffset];
    h.type = in[kTypeOffset];
    h.flags = loadU16(in + kFlagsOffset);
    h.reserved = loadU16(in + kReservedOffset);
    h.source = loadU32(in + kSourceOffset);
    h.destination = loadU32(in + kDestinationOffset);
    h.messageId = loadU64(in + kMessageIdOffset);
    h.payloadLength = loadU32(in + kPayloadLengthOffset);
    return h;
}

ProtocolError validateHeader(const Header& header, std::uint32_t maxPayload) {
    if (header.magic != kMagic) {
        return ProtocolError::BadMagic;
    }
    if (header.version != kProtocolVersion) {
        return ProtocolError::UnsupportedVersion;
    }
    if (header.reserved != 0) {
        return ProtocolError::ReservedNotZero;
    }
    if (header.payloadLength > maxPayload) {
        return ProtocolError::PayloadTooLarge;
    }
    return ProtocolError::None;
}

void encode(std::vector<std::uint8_t>& out, Header header, const Body& body) {
    // Reserve the header's room, append the payload behind it, then fill the
    // header in once the payload length is known: no temporary buffer.
    const std::size_t start = out.size();
    out.resize(start + kHeaderSize);
    PayloadWriter writer(out);
    std::visit(
        [&](const auto& m) {
            header.type = static_cast<std::uint8_t>(std::decay_t<decltype(m)>::kType);
            writer.fields(m);
        },
        body);
    header.payloadLength = static_cast<std::uint32_t>(writer.payloadSize());
    encodeHeader(header, out.data() + start);
}

std::vector<std::uint8_t> encode(const Header& header, const Body& body) {
    std::vector<std::uint8_t> out;
    encode(out, header, body);
    return out;
}

std::vector<std::uint8_t> encodePayload(const Body& body) {
    std::vector<std::uint8_t> out;
    PayloadWriter writer(out);
    std::visit([&](const auto& m) { writer.fields(m); }, body);
    return out;
}

ProtocolError decodePayload(const Header& header, const std::uint8_t* payload, std::size_t size, Body& out) {
    switch (header.messageType()) {
    case MessageType::Register: return decodeAs<Register>(payload, size, out);
    case MessageType::RegisterResult: return decodeAs<RegisterResult>(payload, size, out);
    case MessageType::Login: return decodeAs<Login>(payload, size, out);
    case MessageType::LoginResult: return decodeAs<LoginResult>(payload, size, out);
    case MessageType::Logout: return decodeAs<Logout>(payload, size, out);
    case MessageType::Kicked: return decodeAs<Kicked>(payload, size, out);
    case MessageType::ContactsQuery: return decodeAs<ContactsQuery>(payload, size, out);
    case MessageType::Contacts: return decodeAs<Contacts>(payload, size, out);
    case MessageType::Presence: return decodeAs<Presence>(payload, size, out);
    case MessageType::ContactStates: return decodeAs<ContactStates>(payload, size, out);
    case MessageType::PresenceStates: return decodeAs<PresenceStates>(payload, size, out);
    case MessageType::Chat: return decodeAs<Chat>(payload, size, out);
    case MessageType::Room: return decodeAs<Room>(payload, size, out);
    case MessageType::Ack: return decodeAs<Ack>(payload, size, out);
    case MessageType::Typing: return decodeAs<Typing>(payload, size, out);
    case MessageType::FileOffer: return decodeAs<FileOffer>(payload, size, out);
    case MessageType::FileAccept: return decodeAs<FileAccept>(payload, size, out);
    case MessageType::FileReject: return decodeAs<FileReject>(payload, size, out);
    case MessageType::FileChunk: return decodeAs<FileChunk>(payload, size, out);
    case MessageType::FileDone: return decodeAs<FileDone>(payload, size, out);
    case MessageType::FileCancel: return decodeAs<FileCancel>(payload, size, out);
    case MessageType::FileCredit: return decodeAs<FileCredit>(payload, size, out);
    case MessageType::FileResult: return decodeAs<FileResult>(payload, size, out);
    case MessageType::FileBlockHash: return decodeAs<FileBlockHash>(payload, size, out);
    case MessageType::Ping: return decodeAs<Ping>(payload, size, out);
    case MessageType::Pong: return decodeAs<Pong>(payload, size, out);
    case MessageType::Error: return decodeAs<Error>(payload, size, out);
    default: return ProtocolError::UnknownType;
    }
}

void patchSource(std::uint8_t* frame, UserId source) { storeU32(frame + kSourceOffset, source); }

void patchDestination(std::uint8_t* frame, UserId destination) { storeU32(frame + kDestinationOffset, destination); }

void patchTimestamp(std::uint8_t* frame, std::uint64_t timestampMs) { storeU64(frame + kHeaderSize, timestampMs); }

void stampRelayed(std::uint8_t* frame, UserId source, std::uint64_t timestampMs) {
    patchSource(frame, source);
    patchTimestamp(frame, timestampMs);
}

ProtocolError viewChat(const std::uint8_t* payload, std::size_t size, ChatView& out) {
    // Chat::wireFields: u64 timestampMs, then str text (u16 length + UTF-8 bytes). The
    // checks come in ByteReader's order: Truncated, InvalidUtf8, then TrailingBytes.
    constexpr std::size_t kFixed = 8 + 2;
    if (size < kFixed) return ProtocolError::Truncated;
    const std::size_t length = loadU16(payload + 8);
    if (size - kFixed < length) return ProtocolError::Truncated;
    const auto* chars = reinterpret_cast<const char*>(payload + kFixed);
    if (!isValidUtf8(chars, length)) return ProtocolError::InvalidUtf8;
    if (size - kFixed > length) return ProtocolError::TrailingBytes;
    out.timestampMs = loadU64(payload);
    out.text = std::string_view(chars, length);
    return ProtocolError::None;
}

}  // namespace parley::proto
