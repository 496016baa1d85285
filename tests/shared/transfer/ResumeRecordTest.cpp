// The sidecar format: round trip, torn appends, refusals.

#include "shared/files/FileName.h"
#include "shared/transfer/ResumeRecord.h"
#include "tests/shared/transfer/TransferPrinters.h"

#include <boost/test/unit_test.hpp>

using namespace parley::transfer;

BOOST_AUTO_TEST_SUITE(resume_record)

BOOST_AUTO_TEST_CASE(round_trip_with_block_lines) {
    ResumeRecord r;
    r.peer = 7;
    r.transferId = 0xFEDCBA9876543210ULL;
    r.size = (std::uint64_t{5} << 30) + 3;
    r.sha256.fill(0xAB);
    r.blockSize = 4194304;
    r.name = "report (1).pdf";
    r.offeredName = "../report.pdf";
    r.directory = parley::files::pathFromUtf8("/home/bob/Down loads");
    BlockHash b0{0, {}};
    b0.sha256.fill(1);
    BlockHash b1{4194304, {}};
    b1.sha256.fill(2);
    const std::string text = formatResumeHeader(r) + formatBlockHashLine(b0) + formatBlockHashLine(b1);
    const auto parsed = parseResume(text);
    BOOST_REQUIRE(parsed.has_value());
    BOOST_TEST(parsed->record.peer == 7u);
    BOOST_TEST(parsed->record.transferId == r.transferId);
    BOOST_TEST(parsed->record.size == r.size);
    BOOST_TEST(parsed->record.sha256 == r.sha256);
    BOOST_TEST(parsed->record.name == r.name);
    BOOST_TEST(parsed->record.offeredName == r.offeredName);
    BOOST_TEST(parsed->record.directory == r.directory);
    BOOST_TEST(parsed->record.stateDirectory.empty());  // where it was read from: not stored
    BOOST_REQUIRE(parsed->blocks.size() == 2u);
    BOOST_TEST(parsed->blocks[1].offset == 4194304u);
    BOOST_TEST(parsed->blocks[1].sha256 == b1.sha256);

    const parley::proto::FileOffer offer{r.transferId, "other name", r.size, r.sha256, r.blockSize};
    BOOST_TEST(parsed->record.matches(7, offer));
    BOOST_TEST(!parsed->record.matches(8, offer));
    auto changed = offer;
    changed.sha256[3] ^= 1U;
    BOOST_TEST(!parsed->record.matches(7, changed));

    // A line cut off by a crash is ignored; the blocks before it stay.
    const auto torn = parseResume(text + "h 8388608 abc");
    BOOST_REQUIRE(torn.has_value());
    BOOST_TEST(torn->blocks.size() == 2u);
}

// An offered name cannot add lines (say, block hashes) to the state: it is stored escaped.
BOOST_AUTO_TEST_CASE(an_offered_name_cannot_inject_lines) {
    ResumeRecord r;
    r.peer = 7;
    r.transferId = 9;
    r.size = 10;
    r.blockSize = 65536;
    r.name = "x";
    r.offeredName = "x\nh 0 " + std::string(64, 'a') + "\n";
    const auto parsed = parseResume(formatResumeHeader(r));
    BOOST_REQUIRE(parsed.has_value());
    BOOST_TEST(parsed->blocks.empty());
    BOOST_TEST(parsed->record.offeredName.find('\n') == std::string::npos);
}

// The state is named after its transfer, in the state folder it was given.
BOOST_AUTO_TEST_CASE(the_state_file_is_keyed_to_the_transfer) {
    ResumeRecord r;
    r.peer = 7;
    r.transferId = 11;
    r.name = "report.pdf";
    r.directory = "downloads";
    BOOST_TEST(resumePathOf(r).empty());  // no state folder: nothing kept
    r.stateDirectory = "state";
    BOOST_TEST(resumePathOf(r) == std::filesystem::path("state") / "7-11.resume");
    BOOST_TEST(resumeFileName(7, 11) == "7-11.resume");
}

BOOST_AUTO_TEST_CASE(incomplete_or_foreign_text_is_refused) {
    BOOST_TEST(!parseResume("").has_value());
    BOOST_TEST(!parseResume("hello\n").has_value());
    BOOST_TEST(!parseResume("parley-resume 1\npeer 7\n").has_value());
    BOOST_TEST(!parseResume("parley-resume 1\npeer x\ntransfer 1\nsize 1\nsha256 00\nblock 1\nname a\n").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
