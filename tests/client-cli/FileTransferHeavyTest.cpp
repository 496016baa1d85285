// File transfer at scale and under failure, over real sockets: parley-cli sendfile /
// recvfile / interactive shells through the real parley-server (ServerFixture.h).
//
//   - a 1 GiB random file arrives verified, and every process stays under a memory bound;
//   - offsets beyond 4 GiB: a sparse 4 GiB + 6 MiB file whose first 4 GiB the receiver
//     already holds (a .part and its sidecar, as an earlier interrupted run leaves them):
//     only the tail travels, at offsets above 2^32, and the whole-file SHA-256 matches;
//   - the server is killed mid-transfer and restarted: both clients reconnect, the
//     sender re-offers, and the transfer resumes from the last verified block;
//   - cancel from each side while chunks flow;
//   - hostile file names are saved inside the download folder, sanitised, and an existing
//     file is never overwritten;
//   - a chat round trip between the same two users while a transfer streams.
// Memory figures come from the kernel (ru_maxrss of the clients, VmHWM of the server).

#include "platform/fileio/Sha256.h"
#include "shared/transfer/ResumeRecord.h"
#include "shared/transfer/TransferTypes.h"
#include "tests/client-cli/ServerFixture.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <vector>

using namespace parley::client::test;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint64_t kBlock = 4 * kMiB;  // proto::kDefaultBlockSize, what parley-cli uses
/// Every process of a transfer must stay under this, whatever the file size.
constexpr long kPeakRssLimitKiB = 64 * 1024;
constexpr std::chrono::milliseconds kTransferLimit = 180s;

/// Writes `size` pseudo-random bytes (deterministic per seed) at `offset` of `path`.
void writeRandom(const fs::path& path, std::uint64_t offset, std::uint64_t size, std::uint64_t seed) {
    std::fstream out(path, std::ios::binary | std::ios::in | std::ios::out);
    if (!out) {
        out.open(path, std::ios::binary | std::ios::out);
    }
    out.seekp(static_cast<std::streamoff>(offset));
    std::mt19937_64 random(seed);
    std::vector<std::uint64_t> buffer(kMiB / 8);
    for (std::uint64_t left = size; left > 0;) {
        for (auto& word : buffer) {
            word = random();
        }
        const std::uint64_t n = std::min<std::uint64_t>(left, kMiB);
        out.write(reinterpret_cast<const char*>(buffer.data()), static_cast<std::streamsize>(n));
        left -= n;
    }
    BOOST_TEST_REQUIRE(out.good(), "writing " << path);
}

bool sameBytes(const fs::path& a, const fs::path& b) {
    if (fs::file_size(a) != fs::file_size(b)) {
        return false;
    }
    std::ifstream x(a, std::ios::binary), y(b, std::ios::binary);
    std::vector<char> p(kMiB), q(kMiB);
    while (x && y) {
        x.read(p.data(), static_cast<std::streamsize>(p.size()));
        y.read(q.data(), static_cast<std::streamsize>(q.size()));
        if (x.gcount() != y.gcount() || !std::equal(p.begin(), p.begin() + x.gcount(), q.begin())) {
            return false;
        }
    }
    return true;
}

/// The offsets of every "accepted at offset N" line of a sendfile run, in order.
std::vector<std::uint64_t> acceptedOffsets(const std::string& out) {
    std::vector<std::uint64_t> offsets;
    const std::regex line("accepted at offset ([0-9]+)");
    for (std::sregex_iterator it(out.begin(), out.end(), line), end; it != end; ++it) {
        offsets.push_back(std::stoull((*it)[1].str()));
    }
    return offsets;
}

/// Bytes of every *.part file in `dir` (0 if none).
std::uint64_t partBytes(const fs::path& dir) {
    std::uint64_t total = 0;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
        if (entry.path().extension() == ".part") {
            total += entry.file_size(error);
        }
    }
    return total;
}

/// Every file under `dir`, recursively, as paths relative to it.
std::vector<std::string> filesUnder(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        names.push_back(fs::relative(entry.path(), dir).string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

/// The transfer number an interactive shell printed for the first "[file N]" line
/// containing `fragment`.
std::string transferNumber(const std::string& out, const std::string& fragment) {
    std::istringstream lines(out);
    std::string text;
    const std::regex number("\\[file ([0-9]+)\\]");
    while (std::getline(lines, text)) {
        std::smatch match;
        if (text.find(fragment) != std::string::npos && std::regex_search(text, match, number)) {
            return match[1].str();
        }
    }
    return {};
}

/// A server with alice (user id 1) and bob (user id 2), and bob's download folder.
class Transfers : public AliceAndBob {
public:
    Transfers() { fs::create_directory(inbox()); }
    fs::path inbox() const { return dir() / "inbox"; }

    struct Ends {
        std::unique_ptr<ChildProcess> sender;    ///< alice: sendfile bob SOURCE
        std::unique_ptr<ChildProcess> receiver;  ///< bob: recvfile --dir inbox
    };

    /// Starts bob's recvfile, waits until alice sees him online, starts alice's sendfile.
    Ends startTransfer(const fs::path& source, int waitSeconds) {
        Ends ends;
        ends.receiver = start("bob", {"recvfile", "--dir", inbox().string(), "--wait", std::to_string(waitSeconds)});
        BOOST_TEST_REQUIRE(waitOnline("alice", "bob"));
        ends.sender = start("alice", {"sendfile", "bob", source.string()});
        return ends;
    }

    /// Waits for both ends; each must exit 0. Returns (sender's, receiver's) results.
    std::pair<ProcessResult, ProcessResult> finishTransfer(Ends& ends) {
        ProcessResult sent = awaitEnd(*ends.sender);
        ProcessResult received = awaitEnd(*ends.receiver);
        BOOST_TEST_REQUIRE(sent.exitCode == 0, sent.out << sent.err);
        BOOST_TEST_REQUIRE(received.exitCode == 0, received.out << received.err);
        return {std::move(sent), std::move(received)};
    }

    ProcessResult awaitEnd(ChildProcess& process) {
        ProcessResult result = process.wait(kTransferLimit);
        BOOST_TEST(!result.timedOut, "ran over " << kTransferLimit.count() << " ms");
        return result;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(file_transfer_heavy)

BOOST_FIXTURE_TEST_CASE(a_1_gib_random_file_arrives_verified_in_bounded_memory, Transfers) {
    const fs::path source = dir() / "big.bin";
    writeRandom(source, 0, 1024 * kMiB, 1);
    Ends ends = startTransfer(source, 60);
    const auto [sent, received] = finishTransfer(ends);
    BOOST_TEST(contains(sent.out, "verified: sent 1073741824 bytes"), sent.out);
    BOOST_TEST(sameBytes(source, inbox() / "big.bin"));

    const long server = serverPeakRssKiB();
    BOOST_TEST_MESSAGE("peak RSS KiB: sender " << sent.peakRssKiB << ", receiver " << received.peakRssKiB << ", server "
                                               << server);
    BOOST_TEST(sent.peakRssKiB > 0);
    BOOST_TEST(sent.peakRssKiB < kPeakRssLimitKiB);
    BOOST_TEST(received.peakRssKiB < kPeakRssLimitKiB);
    BOOST_TEST(server > 0);
    BOOST_TEST(server < kPeakRssLimitKiB);
}

BOOST_FIXTURE_TEST_CASE(offsets_beyond_4_gib_travel_and_verify, Transfers) {
    // Source: 4 GiB of zeros (sparse) followed by 6 MiB + 123 random bytes.
    constexpr std::uint64_t kHead = 4096 * kMiB;
    constexpr std::uint64_t kTail = 6 * kMiB + 123;
    const fs::path source = dir() / "huge.bin";
    { std::ofstream create(source, std::ios::binary); }
    fs::resize_file(source, kHead);
    writeRandom(source, kHead, kTail, 7);

    // The SHA-256 the sender will offer, and the block hashes bob recorded in an
    // earlier run that got the first 4 GiB (all zero blocks).
    const std::vector<std::uint8_t> zeros(kBlock, 0);
    const parley::proto::Sha256 zeroBlock = parley::fileio::Sha256::of(zeros.data(), zeros.size());
    parley::fileio::Sha256 whole;
    for (std::uint64_t at = 0; at < kHead; at += kBlock) {
        whole.update(zeros.data(), zeros.size());
    }
    {
        std::ifstream in(source, std::ios::binary);
        in.seekg(static_cast<std::streamoff>(kHead));
        std::vector<char> tail(kTail);
        in.read(tail.data(), static_cast<std::streamsize>(kTail));
        whole.update(reinterpret_cast<const std::uint8_t*>(tail.data()), kTail);
    }
    parley::transfer::ResumeRecord record;
    record.peer = 1;  // alice, the first account of a fresh database
    record.sha256 = whole.finish();
    record.transferId = parley::transfer::deriveTransferId(record.sha256, 2, "huge.bin");
    record.size = kHead + kTail;
    record.blockSize = static_cast<std::uint32_t>(kBlock);
    record.name = "huge.bin";
    record.offeredName = "huge.bin";
    record.directory = inbox();
    record.stateDirectory = stateDir("bob");
    fs::create_directories(record.stateDirectory);
    { std::ofstream create(parley::transfer::partPathOf(record), std::ios::binary); }
    fs::resize_file(parley::transfer::partPathOf(record), kHead);
    {
        std::ofstream sidecar(parley::transfer::resumePathOf(record), std::ios::binary);
        sidecar << parley::transfer::formatResumeHeader(record);
        for (std::uint64_t at = 0; at < kHead; at += kBlock) {
            sidecar << parley::transfer::formatBlockHashLine({at, zeroBlock});
        }
    }

    Ends ends = startTransfer(source, 90);
    const auto [sent, received] = finishTransfer(ends);
    // Only the tail travelled, from an offset above 2^32, and bob checked the whole file.
    BOOST_TEST(acceptedOffsets(sent.out) == std::vector<std::uint64_t>{kHead}, sent.out);
    BOOST_TEST(fs::file_size(inbox() / "huge.bin") == kHead + kTail);
    BOOST_TEST(!fs::exists(parley::transfer::resumePathOf(record)));
    std::ifstream a(source, std::ios::binary), b(inbox() / "huge.bin", std::ios::binary);
    a.seekg(static_cast<std::streamoff>(kHead));
    b.seekg(static_cast<std::streamoff>(kHead));
    std::vector<char> x(kTail), y(kTail);
    a.read(x.data(), static_cast<std::streamsize>(kTail));
    b.read(y.data(), static_cast<std::streamsize>(kTail));
    BOOST_TEST((x == y));
}

BOOST_FIXTURE_TEST_CASE(a_server_restart_mid_transfer_resumes_from_the_verified_offset, Transfers) {
    constexpr std::uint64_t kSize = 768 * kMiB;
    const fs::path source = dir() / "cut.bin";
    writeRandom(source, 0, kSize, 3);
    Ends ends = startTransfer(source, 60);
    ChildProcess& alice = *ends.sender;
    BOOST_TEST_REQUIRE(waitUntil([&] { return partBytes(inbox()) >= 96 * kMiB || alice.poll(); }, 60s));
    BOOST_TEST_REQUIRE(!alice.poll(), "the transfer ended before the cut: " << alice.readOut());
    killServer();
    // Bob may still read what the kernel had buffered for him after the kill: the
    // part file is measured once he has seen the connection end.
    ChildProcess& bob = *ends.receiver;
    BOOST_TEST_REQUIRE(waitUntil([&] { return contains(bob.readErr(), "reconnecting") || bob.poll(); }, 30s),
                       bob.readErr());
    const std::uint64_t atCut = partBytes(inbox());
    startServer();  // same port, same database: both clients reconnect on their own

    const auto [sent, received] = finishTransfer(ends);
    BOOST_TEST(sameBytes(source, inbox() / "cut.bin"));

    // The second FILE_ACCEPT resumes at a block boundary no further back than the
    // verified part at the cut (at most the 16 MiB credit window plus a block was
    // in flight), so only the rest was sent again.
    const std::vector<std::uint64_t> offsets = acceptedOffsets(sent.out);
    BOOST_TEST_REQUIRE(offsets.size() == 2u, sent.out);
    BOOST_TEST(offsets[0] == 0u);
    BOOST_TEST(offsets[1] % kBlock == 0u);
    BOOST_TEST(offsets[1] > 0u);
    BOOST_TEST(offsets[1] <= atCut);
    BOOST_TEST(offsets[1] + 16 * kMiB + kBlock >= std::min(atCut, kSize));
    BOOST_TEST(contains(sent.out, "interrupted at"), sent.out);
    // The receiver says so too, and where it went on from.
    BOOST_TEST(contains(received.out, "interrupted at"), received.out);
    BOOST_TEST(contains(received.out, "resuming cut.bin at " + std::to_string(offsets[1]) + " bytes"), received.out);
}

BOOST_FIXTURE_TEST_CASE(cancel_from_either_side_stops_both, Transfers) {
    // 2 GiB of zeros (sparse: instant to make, and long enough to cancel mid-stream).
    const fs::path source = dir() / "cancel.bin";
    { std::ofstream create(source, std::ios::binary); }
    fs::resize_file(source, 2048 * kMiB);
    for (const bool receiverCancels : {true, false}) {
        BOOST_TEST_CONTEXT((receiverCancels ? "the receiver cancels" : "the sender cancels")) {
            const auto bob = startInteractive("bob");
            const auto alice = startInteractive("alice");
            alice->writeInput("/file bob " + source.string() + "\n");
            BOOST_TEST_REQUIRE(waitUntil([&] { return contains(bob->readOut(), "alice offers cancel.bin"); }, 30s),
                               bob->readOut());
            const std::string incoming = transferNumber(bob->readOut(), "alice offers cancel.bin");
            BOOST_TEST_REQUIRE(!incoming.empty(), bob->readOut());
            // Bob's download folder throttles nothing: cancel as soon as data is on disk.
            bob->writeInput("/accept " + incoming + " " + inbox().string() + "\n");
            BOOST_TEST_REQUIRE(waitUntil([&] { return partBytes(inbox()) > 0; }, 30s));
            if (receiverCancels) {
                bob->writeInput("/cancel " + incoming + "\n");
            } else {
                const std::string outgoing = transferNumber(alice->readOut(), "cancel.bin");
                BOOST_TEST_REQUIRE(!outgoing.empty(), alice->readOut());
                alice->writeInput("/cancel " + outgoing + "\n");
            }
            // Both shells report the end; nothing complete appears in the inbox, and a
            // user's cancel leaves no .part behind.
            BOOST_TEST(waitUntil([&] { return contains(alice->readOut(), "cancelled"); }, 30s), alice->readOut());
            BOOST_TEST(waitUntil([&] { return contains(bob->readOut(), "cancelled"); }, 30s), bob->readOut());
            BOOST_TEST(waitUntil([&] { return filesUnder(inbox()).empty(); }, 10s),
                       "left in the inbox: " << filesUnder(inbox()).size() << " files");
            alice->writeInput("/quit\n");
            bob->writeInput("/quit\n");
            alice->closeInput();
            bob->closeInput();
            BOOST_TEST(finished(*alice).exitCode == 0);
            BOOST_TEST(finished(*bob).exitCode == 0);
        }
    }
}

BOOST_FIXTURE_TEST_CASE(hostile_names_stay_inside_the_download_folder, Transfers) {
    // Names a Linux sender can really have; the receiver may be on Windows.
    const std::vector<std::string> names = {"..\\..\\evil.bat",
                                            "CON",
                                            "nul.txt",
                                            "a\x01"
                                            "b\x7f.txt",
                                            "C:\\Windows\\win.ini",
                                            " .hidden. ",
                                            "same.txt",
                                            "same.txt"};
    const fs::path outbox = dir() / "outbox";
    int serial = 0;
    for (const std::string& name : names) {
        const fs::path folder = outbox / std::to_string(++serial);
        fs::create_directories(folder);
        const fs::path source = folder / name;
        writeRandom(source, 0, 1000 + static_cast<std::uint64_t>(serial), static_cast<std::uint64_t>(serial));
        const auto bob = start("bob", {"recvfile", "--dir", inbox().string(), "--wait", "20"});
        BOOST_TEST_REQUIRE(waitOnline("alice", "bob"));
        const ProcessResult sent = cli("alice", {"sendfile", "bob", source.string()});
        const ProcessResult received = finished(*bob);
        BOOST_TEST_CONTEXT("offered name " << name) {
            BOOST_TEST(sent.exitCode == 0, sent.out << sent.err);
            BOOST_TEST(received.exitCode == 0, received.out << received.err);
        }
    }
    // Everything arrived as plain files directly inside the inbox; nothing above it.
    const std::vector<std::string> saved = filesUnder(inbox());
    BOOST_TEST(saved.size() == names.size());
    for (const std::string& name : saved) {
        BOOST_TEST_CONTEXT("saved as " << name) {
            BOOST_TEST(name.find('/') == std::string::npos);
            BOOST_TEST(name.find('\\') == std::string::npos);
            BOOST_TEST(std::none_of(name.begin(), name.end(), [](char c) { return c >= 0 && c < 0x20; }));
            BOOST_TEST(name != "CON");
            BOOST_TEST(name.rfind("nul.", 0) != 0u);
        }
    }
    BOOST_TEST(!fs::exists(dir() / "evil.bat"));
    BOOST_TEST(!fs::exists(dir().parent_path() / "evil.bat"));
    // The second same.txt did not overwrite the first.
    BOOST_TEST(std::count_if(saved.begin(), saved.end(),
                             [](const std::string& n) { return n.find("same") != std::string::npos; }) == 2);
}

BOOST_FIXTURE_TEST_CASE(a_chat_round_trip_during_a_transfer_stays_quick, Transfers) {
    const fs::path source = dir() / "stream.bin";
    writeRandom(source, 0, 1024 * kMiB, 9);
    const auto bob = startInteractive("bob");
    const auto alice = startInteractive("alice");
    alice->writeInput("/file bob " + source.string() + "\n");
    BOOST_TEST_REQUIRE(waitUntil([&] { return contains(bob->readOut(), "alice offers stream.bin"); }, 30s),
                       bob->readOut());
    bob->writeInput("/accept " + transferNumber(bob->readOut(), "alice offers stream.bin") + " " + inbox().string() +
                    "\n");
    BOOST_TEST_REQUIRE(waitUntil([&] { return partBytes(inbox()) >= 32 * kMiB; }, 60s));

    // Alice → bob → alice while chunks stream the same way: chat frames go ahead of
    // queued chunks in every hop, so this takes milliseconds, not a window's worth of data.
    const auto start = std::chrono::steady_clock::now();
    alice->writeInput("/msg bob ping-during-transfer\n");
    BOOST_TEST_REQUIRE(waitUntil([&] { return contains(bob->readOut(), "ping-during-transfer"); }, 10s),
                       bob->readOut());
    bob->writeInput("/msg alice pong-during-transfer\n");
    BOOST_TEST_REQUIRE(waitUntil([&] { return contains(alice->readOut(), "pong-during-transfer"); }, 10s),
                       alice->readOut());
    const auto roundTrip = std::chrono::steady_clock::now() - start;
    const bool stillStreaming = !fs::exists(inbox() / "stream.bin");
    BOOST_TEST_MESSAGE("chat round trip during the transfer: "
                       << std::chrono::duration_cast<std::chrono::milliseconds>(roundTrip).count()
                       << " ms (transfer still running: " << stillStreaming << ")");
    // Generous for a loaded 2-core CI machine (the shells poll their stdin); a chat
    // stuck behind the file would take the rest of the 1 GiB.
    BOOST_TEST((roundTrip < 2s));
    BOOST_TEST(waitUntil([&] { return fs::exists(inbox() / "stream.bin"); }, 120s));
    alice->writeInput("/quit\n");
    bob->writeInput("/quit\n");
    alice->closeInput();
    bob->closeInput();
    finished(*alice);
    finished(*bob);
    BOOST_TEST(sameBytes(source, inbox() / "stream.bin"));
}

BOOST_AUTO_TEST_SUITE_END()
