// Resume (protocol 9.8 rule 9): a cut connection on either side, and a new receiver
// process that finds the .part through its sidecar.

#include "tests/shared/transfer/TransferHarness.h"
#include "tests/support/FileModes.h"

#include <boost/test/unit_test.hpp>

using namespace parley;
using namespace parley::transfer;
using namespace parley::transfer::test;
namespace fs = std::filesystem;

namespace {

struct Pair : TwoClients {
    fs::path source = writeRandomFile(alice.dir.path() / "big.bin", 10 * kMiB + 7);

    Pair() { bobAcceptsAll(); }

    /// `who` loses its connection; the server tells the other side and forgets the transfer.
    void cut(Client& who) {
        const proto::TransferId id = alice.manager->transfers().front().transferId;
        Client& other = &who == &alice ? bob : alice;
        who.disconnect();
        relay.dropped(who.id, {{other.id, id}});
    }

    /// Sends until Bob has block 0 verified and more written, then returns.
    TransferNumber sendHalf() {
        const TransferNumber n = alice.manager->sendFile(kBob, source);
        run([this] { return bobDone() >= 5 * kMiB; });
        return n;
    }

    void presenceOnline(Client& to, UserId who) {
        proto::Presence presence{proto::Contact{who, proto::PresenceState::Online, "u", "u"}};
        const auto bytes = session::test::ScriptedServer::frame(0, 0, presence, to.id);
        to.session.receive(bytes.data(), bytes.size(), to.now);
    }

    void expectResumedAndVerified(TransferNumber n) {
        const TransferOutcome* sent = alice.transfers.outcomeOf(n);
        BOOST_REQUIRE(sent != nullptr);
        BOOST_TEST(describe(*sent) == "verified");
        BOOST_REQUIRE(alice.transfers.acceptedAt.size() == 2u);
        BOOST_TEST(alice.transfers.acceptedAt[0] == 0u);
        BOOST_TEST(alice.transfers.acceptedAt[1] >= 4 * kMiB);  // not from the start
        BOOST_TEST(alice.transfers.acceptedAt[1] % proto::kDefaultBlockSize == 0u);
        BOOST_TEST(readFile(bob.dir.path() / "big.bin") == readFile(source));
        BOOST_TEST(filesIn(bob.dir.path()) == std::vector<std::string>{"big.bin"});
        BOOST_TEST(relay.violations.empty());
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(transfer_resume)

BOOST_AUTO_TEST_CASE(the_sender_reconnects_and_resumes_without_asking_again) {
    Pair p;
    const TransferNumber n = p.sendHalf();
    p.cut(p.alice);
    BOOST_TEST(p.bob.manager->transfers().front().state == TransferState::Interrupted);
    BOOST_TEST(p.alice.manager->transfers().front().state == TransferState::Interrupted);
    BOOST_TEST(fs::exists(p.bob.dir.path() / "big.bin.part"));
    // The resume state is in bob's state folder, not beside the .part, and his alone
    // (issue 14, findings 10 and 11).
    BOOST_TEST(filesIn(p.bob.dir.path()) == std::vector<std::string>{"big.bin.part"});
    const fs::path state = p.bob.state.path() / resumeFileName(kAlice, p.bob.manager->transfers().front().transferId);
    BOOST_TEST(fs::exists(state));
    if (parley::test::keepsPosixModes(p.bob.state.path())) BOOST_TEST(parley::test::modeOf(state) == 0600u);

    p.alice.login();  // re-offers the same transferId, size and hash
    p.run();
    BOOST_TEST(p.bob.transfers.offers.size() == 1u);  // asked once only
    p.expectResumedAndVerified(n);
}

BOOST_AUTO_TEST_CASE(the_receiver_reconnects_and_its_presence_brings_the_reoffer) {
    Pair p;
    const TransferNumber n = p.sendHalf();
    p.cut(p.bob);
    BOOST_TEST(p.alice.manager->transfers().front().state == TransferState::Interrupted);

    p.bob.login();
    p.run();
    BOOST_TEST(p.alice.manager->transfers().front().state == TransferState::Interrupted);  // not yet
    p.presenceOnline(p.alice, kBob);
    p.run();
    p.expectResumedAndVerified(n);
}

BOOST_AUTO_TEST_CASE(a_new_receiver_process_resumes_from_the_sidecar) {
    Pair p;
    const TransferNumber n = p.sendHalf();
    p.cut(p.bob);
    p.bob.restartManager();  // a new process: only the files remain
    p.bob.transfers.onOffer = [](const TransferInfo&) { BOOST_FAIL("a resumable offer must not ask the user"); };
    p.bob.login();  // restartManager() gave the new manager the same state folder
    p.run();
    p.presenceOnline(p.alice, kBob);
    p.run();
    BOOST_TEST(p.bob.transfers.offers.empty());
    p.expectResumedAndVerified(n);
}

// The user deleted the download folder between two runs: the stale resume state
// goes, and the re-offer is asked again (not refused), to be saved elsewhere.
BOOST_AUTO_TEST_CASE(a_deleted_download_folder_makes_the_reoffer_a_new_offer) {
    Pair p;
    const TransferNumber n = p.sendHalf();
    const proto::TransferId id = p.bob.manager->transfers().front().transferId;
    p.cut(p.bob);
    p.run();  // the interrupted .part is closed: Windows cannot delete an open file
    p.bob.restartManager();
    std::error_code removed;
    fs::remove_all(p.bob.dir.path(), removed);
    BOOST_TEST_REQUIRE(!removed, "cannot delete the download folder: " << removed.message());
    const parley::test::TempDir elsewhere;
    const fs::path folder = elsewhere.path();
    p.bob.transfers.onOffer = [&p, &folder](const TransferInfo& info) {
        BOOST_TEST(!info.resumed);
        BOOST_TEST(p.bob.manager->accept(info.number, folder) == TransferError::None);
    };
    p.bob.login();
    p.run();
    p.presenceOnline(p.alice, kBob);
    p.run();
    BOOST_TEST(p.bob.transfers.offers.size() == 1u);
    const TransferOutcome* sent = p.alice.transfers.outcomeOf(n);
    BOOST_REQUIRE(sent != nullptr);
    BOOST_TEST(describe(*sent) == "verified");
    BOOST_TEST(p.alice.transfers.acceptedAt == (std::vector<std::uint64_t>{0, 0}));
    BOOST_TEST(readFile(folder / "big.bin") == readFile(p.source));
    BOOST_TEST(!fs::exists(p.bob.state.path() / resumeFileName(kAlice, id)));
    BOOST_TEST(p.relay.violations.empty());
}

// Issue 14, finding 11: a sender could plant "*.part" and "*.part.resume" files in
// the receiver's download folder, and the next `recvfile --dir` run took them for
// its own unfinished transfers. Resume state is read from the state folder only:
// planted files that claim this very transfer (one block "verified") are ignored,
// the user is asked, and the file is received whole from offset 0.
BOOST_AUTO_TEST_CASE(planted_part_files_in_the_download_folder_are_ignored) {
    Pair p;
    const std::string bytes = readFile(p.source);
    TestSha256 whole;
    whole.update(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    const std::string garbage(proto::kDefaultBlockSize, 'A');
    TestSha256 block;
    block.update(reinterpret_cast<const std::uint8_t*>(garbage.data()), garbage.size());
    ResumeRecord claim;
    claim.peer = kAlice;
    claim.sha256 = whole.finish();
    claim.transferId = deriveTransferId(claim.sha256, kBob, "big.bin");
    claim.size = bytes.size();
    claim.blockSize = proto::kDefaultBlockSize;
    claim.name = "big.bin";
    claim.offeredName = "big.bin";
    claim.directory = p.bob.dir.path();
    const std::string planted = formatResumeHeader(claim) + formatBlockHashLine({0, block.finish()});
    std::ofstream(p.bob.dir.path() / "big.bin.part", std::ios::binary) << garbage;
    std::ofstream(p.bob.dir.path() / "big.bin.part.resume", std::ios::binary) << planted;
    std::ofstream(p.bob.dir.path() / resumeFileName(kAlice, claim.transferId), std::ios::binary) << planted;

    p.bob.disconnect();
    p.bob.restartManager();  // a new process, as `recvfile --dir` run again
    p.bobAcceptsAll();
    p.bob.login();
    p.run();
    const TransferNumber n = p.alice.manager->sendFile(kBob, p.source);
    p.run();
    BOOST_TEST(p.bob.transfers.offers.size() == 1u);  // asked, not resumed
    const TransferOutcome* sent = p.alice.transfers.outcomeOf(n);
    BOOST_REQUIRE(sent != nullptr);
    BOOST_TEST(describe(*sent) == "verified");
    BOOST_TEST(p.alice.transfers.acceptedAt == std::vector<std::uint64_t>{0});
    bool received = false;
    for (const std::string& name : filesIn(p.bob.dir.path()))
        received = received || readFile(p.bob.dir.path() / name) == bytes;
    BOOST_TEST(received);
}

BOOST_AUTO_TEST_CASE(a_damaged_part_resumes_from_the_last_good_block) {
    Pair p;
    const TransferNumber n = p.sendHalf();
    p.cut(p.alice);
    p.run();  // let the interrupted sink close
    {
        std::fstream part(p.bob.dir.path() / "big.bin.part", std::ios::in | std::ios::out | std::ios::binary);
        part.seekp(10);
        part.put('\0');
        part.put('\1');
    }
    p.alice.login();
    p.run();
    const TransferOutcome* sent = p.alice.transfers.outcomeOf(n);
    BOOST_REQUIRE(sent != nullptr);
    BOOST_TEST(sent->kind == OutcomeKind::Verified);
    BOOST_TEST(p.alice.transfers.acceptedAt == (std::vector<std::uint64_t>{0, 0}));  // block 0 is bad
    BOOST_TEST(readFile(p.bob.dir.path() / "big.bin") == readFile(p.source));
}

BOOST_AUTO_TEST_CASE(cancelling_an_interrupted_download_deletes_the_part) {
    Pair p;
    p.sendHalf();
    p.cut(p.alice);
    BOOST_TEST(p.bob.manager->cancel(p.bob.transfers.offers.front().number) == TransferError::None);
    p.run();
    BOOST_TEST(filesIn(p.bob.dir.path()).empty());
}

BOOST_AUTO_TEST_SUITE_END()
