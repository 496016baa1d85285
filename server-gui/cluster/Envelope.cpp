#include "server-gui/cluster/Envelope.h"

#include "shared/proto/Codec.h"
#include "shared/proto/Wire.h"

#include <cassert>

namespace parley::cluster {

namespace {

bool knownKind(std::uint8_t kind) {
    return kind >= static_cast<std::uint8_t>(EnvelopeKind::Link) &&
           kind <= static_cast<std::uint8_t>(EnvelopeKind::Sync);
}

bool knownRecord(std::uint8_t type) {
    return type >= static_cast<std::uint8_t>(RecordType::Frame) &&
           type <= static_cast<std::uint8_t>(RecordType::Released);
}

/// Exactly one Parley frame the engine could have built: a valid header, its length all of it.
bool wholeFrame(const std::uint8_t* data, std::size_t size) {
    if (size < proto::kHeaderSize) {
        return false;
    }
    const proto::Header header = proto::decodeHeader(data);
    return proto::validateHeader(header) == proto::ProtocolError::None &&
           proto::kHeaderSize + header.payloadLength == size;
}

}  // namespace

bool validNodeName(std::string_view name) {
    if (name.empty() || name.size() > kMaxNodeNameBytes) {
        return false;
    }
    for (const char c : name) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!allowed) {
            return false;
        }
    }
    return true;
}

const char* toString(EnvelopeError error) {
    switch (error) {
    case EnvelopeError::None: return "none";
    case EnvelopeError::Truncated: return "truncated";
    case EnvelopeError::BadMagic: return "not a Parley cluster message";
    case EnvelopeError::Incompatible: return "another cluster version";
    case EnvelopeError::BadKind: return "unknown envelope kind";
    case EnvelopeError::BadNodeName: return "bad node name";
    case EnvelopeError::BadFrame: return "a frame record that is not one whole Parley frame";
    case EnvelopeError::TooLarge: return "larger than an envelope may be";
    }
    return "unknown";
}

EnvelopeError decodeEnvelope(const std::uint8_t* data, std::size_t size, DecodedEnvelope& out) {
    out = DecodedEnvelope{};
    if (size > kMaxEnvelopeBytes) {
        return EnvelopeError::TooLarge;
    }
    // The magic first: a foreign message is told apart however short it is.
    if (size >= 1 && data[0] != (kEnvelopeMagic >> 8)) {
        return EnvelopeError::BadMagic;
    }
    if (size >= 2 && proto::loadU16(data) != kEnvelopeMagic) {
        return EnvelopeError::BadMagic;
    }
    if (size < kEnvelopeHeadBytes) {
        return EnvelopeError::Truncated;
    }
    if (data[2] != kClusterVersion) {
        return EnvelopeError::Incompatible;
    }
    if (!knownKind(data[3])) {
        return EnvelopeError::BadKind;
    }
    EnvelopeHead& head = out.head;
    head.kind = static_cast<EnvelopeKind>(data[3]);
    head.schemaVersion = proto::loadU16(data + 4);
    head.flags = proto::loadU16(data + 6);
    head.instance = proto::loadU64(data + 8);
    head.seq = proto::loadU64(data + 16);
    head.ackUpTo = proto::loadU64(data + 24);
    head.sentAtMs = proto::loadU64(data + 32);
    const std::size_t nodeLength = data[40];
    if (size - kEnvelopeHeadBytes < nodeLength) {
        return EnvelopeError::Truncated;
    }
    head.node.assign(reinterpret_cast<const char*>(data + kEnvelopeHeadBytes), nodeLength);
    if (!validNodeName(head.node)) {
        return EnvelopeError::BadNodeName;
    }

    std::size_t at = kEnvelopeHeadBytes + nodeLength;
    while (at < size) {
        if (size - at < kRecordHeadBytes) {
            return EnvelopeError::Truncated;
        }
        const std::uint8_t type = data[at];
        RecordView record;
        record.user = proto::loadU32(data + at + 1);
        record.generation = proto::loadU64(data + at + 5);
        record.size = proto::loadU32(data + at + 13);
        at += kRecordHeadBytes;
        if (size - at < record.size) {
            return EnvelopeError::Truncated;
        }
        record.data = data + at;
        at += record.size;
        if (!knownRecord(type)) {
            ++out.skippedRecords;
            continue;
        }
        record.type = static_cast<RecordType>(type);
        if (record.type == RecordType::Frame && !wholeFrame(record.data, record.size)) {
            return EnvelopeError::BadFrame;
        }
        out.records.push_back(record);
    }
    return EnvelopeError::None;
}

namespace {
constexpr std::size_t kFlagsOffset = 6;
constexpr std::size_t kSeqOffset = 16;
constexpr std::size_t kAckOffset = 24;
}  // namespace

void addFlags(std::vector<std::uint8_t>& envelope, std::uint16_t flags) {
    assert(envelope.size() >= kEnvelopeHeadBytes);
    std::uint8_t* const at = envelope.data() + kFlagsOffset;
    proto::storeU16(at, static_cast<std::uint16_t>(proto::loadU16(at) | flags));
}

void stampSequence(std::vector<std::uint8_t>& envelope, std::uint64_t seq) {
    assert(envelope.size() >= kEnvelopeHeadBytes);
    proto::storeU64(envelope.data() + kSeqOffset, seq);
}

void stampAck(std::vector<std::uint8_t>& envelope, std::uint64_t ackUpTo) {
    assert(envelope.size() >= kEnvelopeHeadBytes);
    proto::storeU64(envelope.data() + kAckOffset, ackUpTo);
}

EnvelopeWriter::EnvelopeWriter(const EnvelopeHead& head) {
    assert(validNodeName(head.node) && "the node's own name is checked at start");
    m_bytes.reserve(kEnvelopeHeadBytes + head.node.size());
    proto::ByteWriter out(m_bytes);
    out.u16(kEnvelopeMagic);
    out.u8(kClusterVersion);
    out.u8(static_cast<std::uint8_t>(head.kind));
    out.u16(head.schemaVersion);
    out.u16(head.flags);
    out.u64(head.instance);
    out.u64(head.seq);
    out.u64(head.ackUpTo);
    out.u64(head.sentAtMs);
    out.u8(static_cast<std::uint8_t>(head.node.size()));
    out.bytes(reinterpret_cast<const std::uint8_t*>(head.node.data()), head.node.size());
}

bool EnvelopeWriter::add(RecordType type, std::uint32_t user, std::uint64_t generation, std::string_view bytes) {
    assert(
        (type != RecordType::Frame || wholeFrame(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size())) &&
        "a Frame record carries one whole frame");
    if (kMaxEnvelopeBytes - m_bytes.size() < kRecordHeadBytes ||
        kMaxEnvelopeBytes - m_bytes.size() - kRecordHeadBytes < bytes.size()) {
        return false;
    }
    proto::ByteWriter out(m_bytes);
    out.u8(static_cast<std::uint8_t>(type));
    out.u32(user);
    out.u64(generation);
    out.u32(static_cast<std::uint32_t>(bytes.size()));
    out.bytes(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    ++m_records;
    return true;
}

}  // namespace parley::cluster
