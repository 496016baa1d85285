// The portable file work behind FileIo: block hashes that follow the reads, the sink's
// roll-back on a restart, and offsets beyond 4 GiB (sparse files; also under wine).

#include "shared/transfer/SinkFile.h"
#include "shared/transfer/SourceFile.h"
#include "shared/files/FileName.h"
#include "tests/support/TempDir.h"
#include "tests/shared/transfer/TestSha256.h"
#include "tests/support/SparseFiles.h"
#include "tests/shared/transfer/TransferPrinters.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <string>
#include <vector>

using namespace parley;
using namespace parley::transfer;
using parley::transfer::test::TestSha256;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;

proto::Sha256 shaOf(const std::string& text) {
    return TestSha256::of(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

std::vector<std::uint8_t> bytes(const std::string& text) { return {text.begin(), text.end()}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(file_work)

BOOST_AUTO_TEST_CASE(test_sha256_matches_known_vectors) {
    BOOST_TEST(toHex(shaOf("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    BOOST_TEST(toHex(shaOf("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(block_hashes_follow_the_reads_and_restarts) {
    parley::test::TempDir dir;
    const std::string content(200 * 1024, 'x');
    std::ofstream(dir.path() / "s.bin", std::ios::binary) << content;
    const std::uint32_t block = 64 * 1024;
    SourceFile source(dir.path() / "s.bin", content.size(), block, TestSha256::factory());

    ReadResult first = source.read(0, 32 * 1024);
    BOOST_TEST(!first.blockHash.has_value());
    ReadResult second = source.read(32 * 1024, 32 * 1024);
    BOOST_REQUIRE(second.blockHash.has_value());
    BOOST_TEST(*second.blockHash == shaOf(content.substr(0, block)));
    // A restart in the middle of block 1 still hashes all of block 1.
    ReadResult restarted = source.read(block + 1000, block - 1000);
    BOOST_REQUIRE(restarted.blockHash.has_value());
    BOOST_TEST(*restarted.blockHash == shaOf(content.substr(block, block)));
    // The short last block.
    ReadResult last = source.read(3 * block, static_cast<std::uint32_t>(content.size() - 3 * block));
    BOOST_REQUIRE(last.blockHash.has_value());
    BOOST_TEST(*last.blockHash == shaOf(content.substr(3 * block)));
    BOOST_TEST(source.read(content.size() - 10, 11).error == IoError::ReadFailed);
}

BOOST_AUTO_TEST_CASE(a_restarted_block_does_not_poison_the_whole_hash) {
    parley::test::TempDir dir;
    const std::uint32_t block = 64 * 1024;
    const std::string good(2 * block, 'g');
    SinkRequest request;
    request.directory = dir.path();
    request.peer = 7;
    request.offer = proto::FileOffer{1, "f.bin", good.size(), shaOf(good), block};
    OpenedSink opened = SinkFile::open(request, TestSha256::factory());
    BOOST_REQUIRE(opened.error == IoError::None);
    SinkFile& sink = *opened.file;

    BOOST_TEST(sink.write(0, bytes(good.substr(0, block))).blockHash.has_value());
    sink.recordBlock(BlockHash{0, shaOf(good.substr(0, block))});
    std::string bad = good.substr(block);
    bad[5] = 'b';
    const WriteResult badBlock = sink.write(block, bytes(bad));
    BOOST_REQUIRE(badBlock.blockHash.has_value());
    BOOST_TEST(*badBlock.blockHash != shaOf(good.substr(block)));
    BOOST_TEST(sink.write(0, bytes("x")).error == IoError::WriteFailed);              // block 0 is recorded
    BOOST_TEST(sink.write(block, bytes(good.substr(block))).error == IoError::None);  // the restart
    const FinishResult done = sink.finish();
    BOOST_TEST(done.verified);
    BOOST_TEST(done.path == files::utf8FromPath(dir.path() / "f.bin"));
}

BOOST_AUTO_TEST_CASE(reads_beyond_4_gib_in_a_sparse_file) {
    parley::test::TempDir dir;
    const fs::path path = dir.path() / "sparse.bin";
    const std::uint64_t far = 5 * kGiB;  // a multiple of 4 MiB: a block start
    const std::string tail = "the end, past 4 GiB";
    const std::string why = parley::test::whyNoFarFile(dir.path(), far);
    BOOST_REQUIRE_MESSAGE(why.empty(), why);
    {
        std::ofstream out(path, std::ios::binary);
        out.seekp(static_cast<std::streamoff>(far));
        out << tail;
    }
    const std::uint64_t size = far + tail.size();
    BOOST_REQUIRE(fs::file_size(path) == size);
    SourceFile source(path, size, proto::kDefaultBlockSize, TestSha256::factory());
    const ReadResult read = source.read(far, static_cast<std::uint32_t>(tail.size()));
    BOOST_REQUIRE(read.error == IoError::None);
    BOOST_TEST(std::string(read.data.begin(), read.data.end()) == tail);
    BOOST_REQUIRE(read.blockHash.has_value());
    BOOST_TEST(*read.blockHash == shaOf(tail));
    const ReadResult inside = source.read(far + 4, static_cast<std::uint32_t>(tail.size() - 4));
    BOOST_REQUIRE(inside.blockHash.has_value());
    BOOST_TEST(*inside.blockHash == shaOf(tail));  // the 4 bytes before were hashed again
}

BOOST_AUTO_TEST_CASE(usable_leaf_names) {
    BOOST_TEST(hasUsableLeaf("a.txt"));
    BOOST_TEST(hasUsableLeaf("../../etc/passwd"));
    BOOST_TEST(hasUsableLeaf("dir/"));
    BOOST_TEST(!hasUsableLeaf(""));
    BOOST_TEST(!hasUsableLeaf(".."));
    BOOST_TEST(!hasUsableLeaf("a/.. "));
    BOOST_TEST(!hasUsableLeaf("\\\\"));
}

BOOST_AUTO_TEST_SUITE_END()
