#pragma once
// What one Parley node sends another over NATS (docs/cluster-design.md §2.3): a fixed head
// that says who sends and where it stands on the link, then records, each one user's Parley
// frame (as the engine built it) or a cluster notice about that user. Sans-IO: no NATS, no
// threads; written and read field by field with shared/proto/Wire.h, never a struct copy.
//
//   offset size field
//        0    2 magic            0x50 0x43 ("PC")
//        2    1 clusterVersion   1 (another major is Incompatible)
//        3    1 kind             EnvelopeKind
//        4    2 schemaVersion    the sender's database schema (db::kSchemaVersion)
//        6    2 flags            unknown bits are ignored
//        8    8 instance         random per process start: a restart is a new member
//       16    8 seq              the link's or broadcast's sequence; 0 = unsequenced
//       24    8 ackUpTo          cumulative ack of the reverse link; 0 = none
//       32    8 sentAtMs         the sender's wall clock (for the skew report only)
//       40    1 nodeLength       1..64, then the node name: [a-z0-9-]
//   then, to the end, records:   u8 type, u32 user, u64 generation, u32 length, length bytes
//
// A Frame record's bytes are one whole Parley frame: its header is checked (magic, version,
// payload limit) and its length must match, so a node never relays a frame it could not have
// built (and a frame larger than an envelope's room, at most kMaxEnvelopeBytes less the head,
// cannot travel: the engine's frames stay far below it, a file chunk is 256 KiB). Records of a
// type this version does not know are skipped and counted: new record types roll out node by
// node.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::cluster {

constexpr std::uint16_t kEnvelopeMagic = 0x5043;  // "PC"
constexpr std::uint8_t kClusterVersion = 1;
constexpr std::size_t kEnvelopeHeadBytes = 41;  ///< up to and with nodeLength
constexpr std::size_t kRecordHeadBytes = 17;    ///< type, user, generation, length
constexpr std::size_t kMaxNodeNameBytes = 64;
/// One NATS message at most (nats-server's default max_payload); a larger batch is split.
constexpr std::size_t kMaxEnvelopeBytes = 1024 * 1024;

enum class EnvelopeKind : std::uint8_t {
    Link = 1,     ///< sequenced records to one node
    LinkControl,  ///< link acks and resend requests (unsequenced)
    Bulk,         ///< file data, on its own connection
    Broadcast,    ///< to every node: presence, the room
    Sync,         ///< membership: heartbeats, joins
};

enum class RecordType : std::uint8_t {
    Frame = 1,  ///< a whole Parley frame for `user` (CHAT, ACK, ERROR, TYPING, FILE_*, ROOM, PRESENCE)
    Notice,     ///< `user` has something new in the store: fetch before going live
    Kick,       ///< end `user`'s session here (a login elsewhere of `generation`); bytes: the reason's text
    Released,   ///< `user`'s session here is over and handed to the store
};

/// LinkControl: the receiver lost something; re-send everything after ackUpTo.
constexpr std::uint16_t kFlagResend = 0x0001;
/// Sync: every node that hears it publishes a snapshot of its users (a node joined, or
/// came back after losing messages).
constexpr std::uint16_t kFlagSnapshotRequest = 0x0002;
/// Broadcast: the first and the last envelope of a node's snapshot (both on a short one):
/// the users listed in between are all its users, the ones it did not list are not there.
constexpr std::uint16_t kFlagSnapshotBegin = 0x0004;
constexpr std::uint16_t kFlagSnapshotEnd = 0x0008;

/// Whether `name` may name a node: 1..64 bytes of [a-z0-9-].
bool validNodeName(std::string_view name);

struct EnvelopeHead {
    EnvelopeKind kind = EnvelopeKind::Link;
    std::uint16_t schemaVersion = 0;
    std::uint16_t flags = 0;
    std::uint64_t instance = 0;
    std::uint64_t seq = 0;
    std::uint64_t ackUpTo = 0;
    std::uint64_t sentAtMs = 0;
    std::string node;
};

/// A record inside someone else's buffer: valid as long as that buffer is.
struct RecordView {
    RecordType type = RecordType::Frame;
    std::uint32_t user = 0;
    std::uint64_t generation = 0;
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;
};

enum class EnvelopeError : std::uint8_t {
    None = 0,
    Truncated,     ///< the head or a record ends early
    BadMagic,      ///< not one of ours (a foreign NATS message): ignored and counted
    Incompatible,  ///< another cluster version
    BadKind,
    BadNodeName,
    BadFrame,  ///< a Frame record that is not exactly one valid Parley frame
    TooLarge,  ///< over kMaxEnvelopeBytes
};
const char* toString(EnvelopeError error);

struct DecodedEnvelope {
    EnvelopeHead head;
    std::vector<RecordView> records;  ///< in order; views into the decoded buffer
    std::size_t skippedRecords = 0;   ///< of types this version does not know
};

/// Reads a whole envelope. On an error `out` is unspecified; nothing of it may be used.
EnvelopeError decodeEnvelope(const std::uint8_t* data, std::size_t size, DecodedEnvelope& out);

/// Write seq / ackUpTo into an encoded envelope's head (at least kEnvelopeHeadBytes long): the
/// link numbers an envelope when it queues it, and stamps the current ack each time it goes out.
void stampSequence(std::vector<std::uint8_t>& envelope, std::uint64_t seq);
void stampAck(std::vector<std::uint8_t>& envelope, std::uint64_t ackUpTo);
/// Adds `flags` to an encoded envelope's head (a snapshot marks its first and last one).
void addFlags(std::vector<std::uint8_t>& envelope, std::uint16_t flags);

/// Builds one envelope: the head, then records while they fit in kMaxEnvelopeBytes.
class EnvelopeWriter {
public:
    /// `head.node` must be a validNodeName (asserted: it is the node's own, checked at start).
    explicit EnvelopeWriter(const EnvelopeHead& head);

    /// Appends a record; false (and nothing appended) if it would not fit, so the caller
    /// sends this envelope and starts the next. A Frame's bytes must be a whole frame.
    bool add(RecordType type, std::uint32_t user, std::uint64_t generation, std::string_view bytes);

    std::size_t records() const { return m_records; }
    const std::vector<std::uint8_t>& bytes() const { return m_bytes; }

private:
    std::vector<std::uint8_t> m_bytes;
    std::size_t m_records = 0;
};

}  // namespace parley::cluster
