// libFuzzer target: the cluster envelope (server-gui/cluster/Envelope.h) as another node's, or
// a stranger's, NATS message meets it. Beyond "no crash, no sanitizer report": every record
// view lies inside the input; an envelope that decodes is written again from what was read
// (head and known records) and reads back the same, and is no longer than the input (only
// skipped records are dropped).

#include "server-gui/cluster/Envelope.h"
#include "tests/fuzz/FuzzCheck.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

using namespace parley::cluster;

void check(bool ok, const char* what) { parley::fuzz::check(ok, "FuzzClusterEnvelope", what); }

bool sameRecord(const RecordView& a, const RecordView& b) {
    return a.type == b.type && a.user == b.user && a.generation == b.generation &&
           std::string_view(reinterpret_cast<const char*>(a.data), a.size) ==
               std::string_view(reinterpret_cast<const char*>(b.data), b.size);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    DecodedEnvelope got;
    if (decodeEnvelope(data, size, got) != EnvelopeError::None) {
        return 0;
    }
    for (const RecordView& record : got.records) {
        check(record.data >= data && record.data + record.size <= data + size, "a record view outside the input");
    }
    EnvelopeWriter writer(got.head);
    for (const RecordView& record : got.records) {
        check(writer.add(record.type, record.user, record.generation,
                         std::string_view(reinterpret_cast<const char*>(record.data), record.size)),
              "a record that was read does not fit again");
    }
    check(writer.bytes().size() <= size, "written again, the envelope grew");
    check(got.skippedRecords > 0 || writer.bytes().size() == size, "nothing skipped, yet the size changed");
    DecodedEnvelope again;
    check(decodeEnvelope(writer.bytes().data(), writer.bytes().size(), again) == EnvelopeError::None,
          "written again, it does not read");
    check(again.head.node == got.head.node && again.head.seq == got.head.seq &&
              again.head.ackUpTo == got.head.ackUpTo && again.head.instance == got.head.instance &&
              again.head.kind == got.head.kind && again.head.schemaVersion == got.head.schemaVersion &&
              again.head.flags == got.head.flags && again.head.sentAtMs == got.head.sentAtMs,
          "the head changed on the way");
    check(again.records.size() == got.records.size() && again.skippedRecords == 0, "records changed on the way");
    for (std::size_t i = 0; i < got.records.size(); ++i) {
        check(sameRecord(again.records[i], got.records[i]), "a record changed on the way");
    }
    return 0;
}
