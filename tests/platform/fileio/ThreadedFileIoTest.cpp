// The threaded FileIo on real files: completions on the host thread, and a .part beyond
// 4 GiB (sparse) resumed, written at its end and verified.

#include "platform/fileio/ThreadedFileIo.h"
#include "shared/files/FileName.h"
#include "tests/support/TempDir.h"
#include "tests/support/SparseFiles.h"
#include "tests/shared/transfer/TransferPrinters.h"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

using namespace parley;
using namespace parley::transfer;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;

/// The "host loop": completions queue here and run on the test's thread.
class HostQueue {
public:
    fileio::FileWorkers::Post post() {
        return [this](std::function<void()> fn) {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_queue.push_back(std::move(fn));
            m_changed.notify_all();
        };
    }

    /// Runs completions until `done` holds (fails after 60 s).
    void runUntil(const std::function<bool()>& done) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!done()) {
            std::function<void()> next;
            {
                std::unique_lock<std::mutex> lock(m_mutex);
                if (!m_changed.wait_until(lock, deadline, [this] { return !m_queue.empty(); })) {
                    BOOST_FAIL("no completion within 60 s");
                }
                next = std::move(m_queue.front());
                m_queue.pop_front();
            }
            BOOST_TEST(std::this_thread::get_id() == m_host);
            next();
        }
    }

private:
    std::thread::id m_host = std::this_thread::get_id();
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::function<void()>> m_queue;
};

Sha256 fromHexOrFail(const std::string& hex) {
    Sha256 digest{};
    BOOST_REQUIRE(fromHex(hex, digest));
    return digest;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(threaded_file_io)

BOOST_AUTO_TEST_CASE(hash_read_and_write_complete_on_the_host_thread) {
    parley::test::TempDir dir;
    std::ofstream(dir.path() / "abc.txt", std::ios::binary) << "abc";
    HostQueue host;
    fileio::ThreadedFileIo threaded(host.post());
    FileIo& io = threaded.io();

    std::optional<HashResult> hashed;
    io.hashFile(dir.path() / "abc.txt", [&](HashResult r) { hashed = std::move(r); });
    host.runUntil([&] { return hashed.has_value(); });
    BOOST_TEST(hashed->size == 3u);
    BOOST_TEST(toHex(hashed->sha256) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    std::optional<ReadResult> read;
    auto source = io.openSource(dir.path() / "abc.txt", 3, proto::kMinBlockSize);
    source->read(0, 3, [&](ReadResult r) { read = std::move(r); });
    host.runUntil([&] { return read.has_value(); });
    BOOST_TEST(read->blockHash.has_value());
    BOOST_TEST(*read->blockHash == hashed->sha256);

    fs::create_directory(dir.path() / "in");
    SinkRequest request{dir.path() / "in", 7, proto::FileOffer{9, "abc.txt", 3, hashed->sha256, proto::kMinBlockSize},
                        std::nullopt, dir.path() / "state"};
    std::optional<SinkResult> opened;
    io.openSink(request, [&](SinkResult r) { opened = std::move(r); });
    host.runUntil([&] { return opened.has_value(); });
    BOOST_REQUIRE(opened->error == IoError::None);
    std::optional<FinishResult> finished;
    opened->sink->write(0, {'a', 'b', 'c'}, [](WriteResult) {});
    opened->sink->finish([&](FinishResult r) { finished = std::move(r); });
    host.runUntil([&] { return finished.has_value(); });
    BOOST_TEST(finished->verified);
    BOOST_TEST(finished->path == files::utf8FromPath(dir.path() / "in" / "abc.txt"));
}

BOOST_AUTO_TEST_CASE(a_part_beyond_4_gib_resumes_and_verifies) {
    // 65 blocks of 64 MiB of zeros (4 GiB + 64 MiB, sparse: offsets past 2^32) were
    // received; the tail comes now.
    parley::test::TempDir dir;
    const std::string tail = "tail past 4 GiB";
    const std::uint64_t far = 4 * kGiB + proto::kMaxBlockSize;
    const std::string why = parley::test::whyNoFarFile(dir.path(), far);
    BOOST_REQUIRE_MESSAGE(why.empty(), why);
    ResumeRecord record;
    record.peer = 7;
    record.transferId = 11;
    record.size = far + tail.size();
    // python3: hashlib.sha256(bytes((4 << 30) + (64 << 20)) + b"tail past 4 GiB")
    record.sha256 = fromHexOrFail("baf45ae00badc31ec2e02280b83d2cd49ee1f6eadf08947883d0ada8c5c48033");
    record.blockSize = proto::kMaxBlockSize;
    record.name = "huge.bin";
    record.directory = dir.path();
    record.stateDirectory = dir.path() / "state";
    fs::create_directory(record.stateDirectory);
    {
        std::ofstream part(partPathOf(record), std::ios::binary);
        part.seekp(static_cast<std::streamoff>(far - 1));
        part.put('\0');
        std::ofstream sidecar(resumePathOf(record), std::ios::binary);
        sidecar << formatResumeHeader(record);
        const Sha256 zeros = fromHexOrFail("3b6a07d0d404fab4e23b6d34bc6696a6a312dd92821332385e5af7c01c421351");
        for (std::uint64_t offset = 0; offset < far; offset += proto::kMaxBlockSize) {
            sidecar << formatBlockHashLine(BlockHash{offset, zeros});
        }
    }
    HostQueue host;
    fileio::ThreadedFileIo threaded(host.post());
    proto::FileOffer offer{record.transferId, "huge.bin", record.size, record.sha256, record.blockSize};
    std::optional<SinkResult> opened;
    threaded.io().openSink(SinkRequest{dir.path(), 7, offer, record, record.stateDirectory},
                           [&](SinkResult r) { opened = std::move(r); });
    host.runUntil([&] { return opened.has_value(); });
    BOOST_REQUIRE(opened->error == IoError::None);
    BOOST_TEST(opened->offset == far);

    std::optional<WriteResult> written;
    std::optional<FinishResult> finished;
    opened->sink->write(far, {tail.begin(), tail.end()}, [&](WriteResult r) { written = std::move(r); });
    opened->sink->finish([&](FinishResult r) { finished = std::move(r); });
    host.runUntil([&] { return finished.has_value(); });
    BOOST_TEST(written->error == IoError::None);
    BOOST_TEST(written->blockHash.has_value());
    BOOST_TEST(finished->verified);
    BOOST_TEST(fs::file_size(dir.path() / "huge.bin") == record.size);
    BOOST_TEST(!fs::exists(resumePathOf(record)));

    std::ifstream in(dir.path() / "huge.bin", std::ios::binary);
    in.seekg(static_cast<std::streamoff>(far));
    std::string back(tail.size(), ' ');
    in.read(back.data(), static_cast<std::streamsize>(back.size()));
    BOOST_TEST(back == tail);
}

BOOST_AUTO_TEST_SUITE_END()
