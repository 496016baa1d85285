// The cluster envelope (server-gui/cluster/Envelope.h, docs/cluster-design.md §2.3): what a
// node writes reads back the same; every truncation, a foreign message, another version, a
// bad kind, node name or frame is refused with its own error; unknown record types are
// skipped and counted; an envelope never grows past kMaxEnvelopeBytes.

#include <boost/test/unit_test.hpp>

#include "server-gui/cluster/Envelope.h"
#include "shared/proto/Codec.h"
#include "shared/proto/Wire.h"

#include "tests/server-gui/cluster/EnvelopePrint.h"

#include <string>
#include <vector>

using namespace parley;
using namespace parley::cluster;

namespace {

EnvelopeHead sampleHead() {
    EnvelopeHead head;
    head.kind = EnvelopeKind::Link;
    head.schemaVersion = 4;
    head.flags = 0x8001;
    head.instance = 0x0123456789ABCDEFULL;
    head.seq = 42;
    head.ackUpTo = 41;
    head.sentAtMs = 1'764'800'000'000ULL;
    head.node = "node-a";
    return head;
}

/// A whole Parley frame: a CHAT from `from` to `to`.
std::string chatFrame(std::uint32_t from, std::uint32_t to, const std::string& text) {
    proto::Header header;
    header.source = from;
    header.destination = to;
    header.messageId = 7;
    proto::Chat chat;
    chat.text = text;
    const std::vector<std::uint8_t> frame = proto::encode(header, chat);
    return std::string(frame.begin(), frame.end());
}

std::string asString(const RecordView& record) {
    return std::string(reinterpret_cast<const char*>(record.data), record.size);
}

EnvelopeError decode(const std::vector<std::uint8_t>& bytes, DecodedEnvelope& out) {
    return decodeEnvelope(bytes.data(), bytes.size(), out);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cluster_envelope)

BOOST_AUTO_TEST_CASE(what_a_node_writes_reads_back_the_same) {
    EnvelopeWriter writer(sampleHead());
    const std::string chat = chatFrame(1, 2, "hello across nodes");
    BOOST_TEST_REQUIRE(writer.add(RecordType::Frame, 2, 9, chat));
    BOOST_TEST_REQUIRE(writer.add(RecordType::Notice, 3, 0, {}));
    BOOST_TEST_REQUIRE(writer.add(RecordType::Kick, 4, 10, "you logged in again from 127.0.0.1"));
    BOOST_TEST_REQUIRE(writer.add(RecordType::Released, 5, 11, {}));
    BOOST_TEST(writer.records() == 4u);

    DecodedEnvelope got;
    BOOST_TEST_REQUIRE(decode(writer.bytes(), got) == EnvelopeError::None);
    const EnvelopeHead expected = sampleHead();
    BOOST_TEST(static_cast<int>(got.head.kind) == static_cast<int>(expected.kind));
    BOOST_TEST(got.head.schemaVersion == expected.schemaVersion);
    BOOST_TEST(got.head.flags == expected.flags);
    BOOST_TEST(got.head.instance == expected.instance);
    BOOST_TEST(got.head.seq == expected.seq);
    BOOST_TEST(got.head.ackUpTo == expected.ackUpTo);
    BOOST_TEST(got.head.sentAtMs == expected.sentAtMs);
    BOOST_TEST(got.head.node == expected.node);
    BOOST_TEST(got.skippedRecords == 0u);
    BOOST_TEST_REQUIRE(got.records.size() == 4u);
    BOOST_TEST(static_cast<int>(got.records[0].type) == static_cast<int>(RecordType::Frame));
    BOOST_TEST(got.records[0].user == 2u);
    BOOST_TEST(got.records[0].generation == 9u);
    BOOST_TEST(asString(got.records[0]) == chat);
    BOOST_TEST(static_cast<int>(got.records[1].type) == static_cast<int>(RecordType::Notice));
    BOOST_TEST(got.records[1].size == 0u);
    BOOST_TEST(asString(got.records[2]) == "you logged in again from 127.0.0.1");
    BOOST_TEST(got.records[3].user == 5u);
    BOOST_TEST(got.records[3].generation == 11u);
}

BOOST_AUTO_TEST_CASE(the_head_is_laid_out_as_documented) {
    EnvelopeHead head = sampleHead();
    head.kind = EnvelopeKind::Broadcast;
    const std::vector<std::uint8_t> bytes = EnvelopeWriter(head).bytes();
    BOOST_TEST_REQUIRE(bytes.size() == kEnvelopeHeadBytes + head.node.size());
    BOOST_TEST(bytes[0] == 0x50);
    BOOST_TEST(bytes[1] == 0x43);
    BOOST_TEST(bytes[2] == kClusterVersion);
    BOOST_TEST(bytes[3] == static_cast<std::uint8_t>(EnvelopeKind::Broadcast));
    BOOST_TEST(proto::loadU16(&bytes[4]) == 4u);
    BOOST_TEST(proto::loadU64(&bytes[8]) == head.instance);
    BOOST_TEST(proto::loadU64(&bytes[16]) == 42u);
    BOOST_TEST(proto::loadU64(&bytes[24]) == 41u);
    BOOST_TEST(bytes[40] == head.node.size());
    BOOST_TEST(std::string(bytes.begin() + 41, bytes.end()) == "node-a");
    DecodedEnvelope got;
    BOOST_TEST(decode(bytes, got) == EnvelopeError::None);  // no records is fine (a heartbeat)
    BOOST_TEST(got.records.empty());
}

BOOST_AUTO_TEST_CASE(every_truncation_is_refused_never_read_past) {
    EnvelopeWriter writer(sampleHead());
    BOOST_TEST_REQUIRE(writer.add(RecordType::Frame, 2, 1, chatFrame(1, 2, "one")));
    BOOST_TEST_REQUIRE(writer.add(RecordType::Kick, 2, 2, "two"));
    const std::vector<std::uint8_t>& whole = writer.bytes();
    const std::size_t headEnd = kEnvelopeHeadBytes + sampleHead().node.size();
    const std::size_t firstEnd = headEnd + kRecordHeadBytes + chatFrame(1, 2, "one").size();
    for (std::size_t cut = 0; cut < whole.size(); ++cut) {
        BOOST_TEST_CONTEXT("cut at " << cut) {
            // A copy of exactly `cut` bytes: the sanitizers see any read past it.
            const std::vector<std::uint8_t> part(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(cut));
            DecodedEnvelope got;
            const EnvelopeError error = decode(part, got);
            // Cut on a record boundary, it is a shorter envelope; anywhere else, truncated.
            if (cut == headEnd || cut == firstEnd) {
                BOOST_TEST(error == EnvelopeError::None);
                BOOST_TEST(got.records.size() == (cut == headEnd ? 0u : 1u));
            } else {
                BOOST_TEST(error == EnvelopeError::Truncated);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(a_foreign_message_another_version_and_a_bad_kind_are_told_apart) {
    const std::vector<std::uint8_t> good = EnvelopeWriter(sampleHead()).bytes();
    DecodedEnvelope got;

    const std::string json = R"({"hello":"not ours"})";
    BOOST_TEST(decode(std::vector<std::uint8_t>(json.begin(), json.end()), got) == EnvelopeError::BadMagic);
    // A Parley client frame ("PL") published by mistake is foreign too.
    const std::string frame = chatFrame(1, 2, "x");
    BOOST_TEST(decode(std::vector<std::uint8_t>(frame.begin(), frame.end()), got) == EnvelopeError::BadMagic);
    BOOST_TEST(decode(std::vector<std::uint8_t>{0x00}, got) == EnvelopeError::BadMagic);

    std::vector<std::uint8_t> later = good;
    later[2] = kClusterVersion + 1;
    BOOST_TEST(decode(later, got) == EnvelopeError::Incompatible);

    for (const std::uint8_t kind : {std::uint8_t{0}, std::uint8_t{6}, std::uint8_t{0xFF}}) {
        std::vector<std::uint8_t> odd = good;
        odd[3] = kind;
        BOOST_TEST(decode(odd, got) == EnvelopeError::BadKind);
    }
}

BOOST_AUTO_TEST_CASE(node_names_are_lowercase_letters_digits_and_dashes) {
    for (const char* good : {"a", "node-a", "eu-west-2", "0"}) {
        BOOST_TEST(validNodeName(good), good);
    }
    for (const std::string& bad : {std::string(), std::string("Node-A"), std::string("node a"), std::string("node.a"),
                                   std::string("nöde"), std::string("node\0a", 6), std::string(65, 'a')}) {
        BOOST_TEST(!validNodeName(bad), bad);
    }
    BOOST_TEST(validNodeName(std::string(64, 'a')));

    // On the wire: a name the writer would refuse is refused on reading.
    std::vector<std::uint8_t> bytes = EnvelopeWriter(sampleHead()).bytes();
    bytes[kEnvelopeHeadBytes] = 'N';
    DecodedEnvelope got;
    BOOST_TEST(decode(bytes, got) == EnvelopeError::BadNodeName);
    bytes = EnvelopeWriter(sampleHead()).bytes();
    bytes[40] = 0;  // an empty name; the old name's bytes then read as a (truncated) record
    BOOST_TEST(decode(bytes, got) == EnvelopeError::BadNodeName);
}

BOOST_AUTO_TEST_CASE(a_frame_record_must_be_exactly_one_valid_frame) {
    const std::string chat = chatFrame(1, 2, "exact");
    const auto withFrameBytes = [](const std::string& bytes) {
        // Written as an opaque Kick, then retyped: the writer itself refuses bad frames.
        EnvelopeWriter writer(sampleHead());
        BOOST_TEST_REQUIRE(writer.add(RecordType::Kick, 2, 1, bytes));
        std::vector<std::uint8_t> out = writer.bytes();
        out[kEnvelopeHeadBytes + sampleHead().node.size()] = static_cast<std::uint8_t>(RecordType::Frame);
        return out;
    };
    DecodedEnvelope got;
    BOOST_TEST(decode(withFrameBytes(chat), got) == EnvelopeError::None);
    BOOST_TEST(decode(withFrameBytes(chat.substr(0, chat.size() - 1)), got) == EnvelopeError::BadFrame);  // short
    BOOST_TEST(decode(withFrameBytes(chat + "x"), got) == EnvelopeError::BadFrame);                       // a byte more
    BOOST_TEST(decode(withFrameBytes(chat.substr(0, proto::kHeaderSize - 1)), got) == EnvelopeError::BadFrame);
    std::string badMagic = chat;
    badMagic[0] = 'X';
    BOOST_TEST(decode(withFrameBytes(badMagic), got) == EnvelopeError::BadFrame);
    BOOST_TEST(decode(withFrameBytes(std::string()), got) == EnvelopeError::BadFrame);
}

BOOST_AUTO_TEST_CASE(unknown_record_types_are_skipped_and_counted) {
    EnvelopeWriter writer(sampleHead());
    BOOST_TEST_REQUIRE(writer.add(RecordType::Notice, 1, 0, {}));
    BOOST_TEST_REQUIRE(writer.add(RecordType::Kick, 2, 0, "future"));
    BOOST_TEST_REQUIRE(writer.add(RecordType::Released, 3, 0, {}));
    std::vector<std::uint8_t> bytes = writer.bytes();
    // The second record becomes a type from a later version.
    const std::size_t second = kEnvelopeHeadBytes + sampleHead().node.size() + kRecordHeadBytes;
    bytes[second] = 0xEE;
    DecodedEnvelope got;
    BOOST_TEST_REQUIRE(decode(bytes, got) == EnvelopeError::None);
    BOOST_TEST(got.skippedRecords == 1u);
    BOOST_TEST_REQUIRE(got.records.size() == 2u);
    BOOST_TEST(got.records[0].user == 1u);
    BOOST_TEST(got.records[1].user == 3u);  // the one after it still reads
}

BOOST_AUTO_TEST_CASE(an_envelope_never_grows_past_its_limit) {
    EnvelopeWriter writer(sampleHead());
    const std::string chunk(200 * 1024, 'c');
    std::size_t added = 0;
    while (writer.add(RecordType::Kick, 1, 0, chunk)) {
        ++added;
    }
    BOOST_TEST(added == 5u);  // 5 x (200 KiB + 17) fit in 1 MiB with the head, a sixth does not
    BOOST_TEST(writer.bytes().size() <= kMaxEnvelopeBytes);
    BOOST_TEST(writer.records() == added);
    // What is left still takes a small record, up to the last byte.
    const std::size_t room = kMaxEnvelopeBytes - writer.bytes().size() - kRecordHeadBytes;
    BOOST_TEST(!writer.add(RecordType::Kick, 1, 0, std::string(room + 1, 'x')));
    BOOST_TEST(writer.add(RecordType::Kick, 1, 0, std::string(room, 'x')));
    BOOST_TEST(writer.bytes().size() == kMaxEnvelopeBytes);
    DecodedEnvelope got;
    BOOST_TEST(decode(writer.bytes(), got) == EnvelopeError::None);
    BOOST_TEST(got.records.size() == added + 1);

    std::vector<std::uint8_t> over = writer.bytes();
    over.push_back(0);
    BOOST_TEST(decode(over, got) == EnvelopeError::TooLarge);
}

BOOST_AUTO_TEST_SUITE_END()
