// sendfile / recvfile between two parley-cli processes through the real parley-server
// (see ServerFixture.h): equal bytes, a declined offer, an offline receiver.

#include "tests/client-cli/ServerFixture.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <random>
#include <sstream>

using namespace parley::client::test;
namespace fs = std::filesystem;

namespace {

fs::path randomFile(const fs::path& path, std::size_t size) {
    std::mt19937 random(42);
    std::string bytes(size, '\0');
    for (char& c : bytes) {
        c = static_cast<char>(random() & 0xFFU);
    }
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(file_transfer_end_to_end)

BOOST_FIXTURE_TEST_CASE(sendfile_and_recvfile_move_equal_bytes, AliceAndBob) {
    const fs::path inbox = dir() / "inbox";
    fs::create_directory(inbox);
    const fs::path source = randomFile(dir() / "payload.bin", 5 * 1024 * 1024 + 321);
    const auto bob = start("bob", {"recvfile", "--dir", inbox.string(), "--wait", "20"});
    BOOST_TEST_REQUIRE(waitOnline("alice", "bob"));

    const ProcessResult sent = cli("alice", {"sendfile", "bob", source.string()});
    BOOST_TEST(sent.exitCode == 0, sent.out << sent.err);
    BOOST_TEST(contains(sent.out, "accepted at offset 0\n"), sent.out);
    BOOST_TEST(contains(sent.out, "verified: sent 5243201 bytes\n"), sent.out);

    const ProcessResult received = finished(*bob);
    BOOST_TEST(received.exitCode == 0, received.out << received.err);
    BOOST_TEST(contains(received.out, (inbox / "payload.bin").string() + "\n"), received.out);
    BOOST_TEST(readAll(inbox / "payload.bin") == readAll(source));
}

BOOST_FIXTURE_TEST_CASE(a_declined_file_fails_the_sender, AliceAndBob) {
    const fs::path source = randomFile(dir() / "nope.bin", 1000);
    // Interactive bob declines whatever is offered: the offer line tells the ID.
    const auto bob = startInteractive("bob");
    const auto alice = start("alice", {"sendfile", "bob", source.string()});
    BOOST_TEST_REQUIRE(waitUntil([&] { return contains(bob->readOut(), "alice offers nope.bin"); }, 15s),
                       bob->readOut());
    const std::string out = bob->readOut();
    const std::size_t at = out.find("/reject ");
    BOOST_TEST_REQUIRE(at != std::string::npos);
    bob->writeInput("/reject " + out.substr(at + 8, out.find('\n', at) - at - 8) + "\n/quit\n");
    bob->closeInput();

    const ProcessResult sent = finished(*alice);
    BOOST_TEST(sent.exitCode == 6, sent.out << sent.err);
    BOOST_TEST(contains(sent.err, "declined"), sent.err);
    finished(*bob);
}

BOOST_FIXTURE_TEST_CASE(a_file_to_an_offline_user_is_refused, AliceAndBob) {
    const fs::path source = randomFile(dir() / "later.bin", 1000);
    const ProcessResult sent = cli("alice", {"sendfile", "bob", source.string()});
    BOOST_TEST(sent.exitCode == 6, sent.out << sent.err);
    BOOST_TEST(contains(sent.err, "the receiver is offline"), sent.err);
}

// Issue 14, finding 9: recvfile printed the raw ESC, BEL, CR and U+202E of an
// offered name to the terminal. (NUL cannot be in a file name here; the
// formatter's own test covers it.)
BOOST_FIXTURE_TEST_CASE(recvfile_prints_a_hostile_offered_name_escaped, AliceAndBob) {
    const fs::path inbox = dir() / "inbox";
    fs::create_directory(inbox);
    const std::string hostile =
        "a\x1b]0;pwned\x07"
        "b\rc\xe2\x80\xae"
        "txt.exe";
    const fs::path source = randomFile(dir() / hostile, 1000);
    const auto bob = start("bob", {"recvfile", "--dir", inbox.string(), "--wait", "20"});
    BOOST_TEST_REQUIRE(waitOnline("alice", "bob"));
    const ProcessResult sent = cli("alice", {"sendfile", "bob", source.string()});
    BOOST_TEST(sent.exitCode == 0, sent.out << sent.err);
    const ProcessResult received = finished(*bob);
    BOOST_TEST(received.exitCode == 0, received.out << received.err);
    for (const std::string* text : {&received.out, &received.err}) {
        for (const char c : *text) {
            const auto byte = static_cast<unsigned char>(c);
            BOOST_TEST((byte >= 0x20 || c == '\n'), "control byte " << unsigned(byte) << " in: " << *text);
        }
        BOOST_TEST(!contains(*text, "\xe2\x80\xae"), *text);
    }
    BOOST_TEST(contains(received.out, "receiving a\\x1b]0;pwned\\x07b\\rc\\u202etxt.exe (1000 bytes)"), received.out);
}

BOOST_AUTO_TEST_SUITE_END()
