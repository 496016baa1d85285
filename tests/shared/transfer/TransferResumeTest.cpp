// Resume (protocol 9.8 rule 9): a cut connection on either side, and a new receiver
// process that finds the .part through its sidecar.

#include "tests/shared/transfer/TransferHarness.h"

#include <boost/test/unit_test.hpp>

using namespace parley;
using namespace parley::transfer;
using namespace parley::transfer::test;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr UserId kAlice = TwoClients::kAlice;
constexpr UserId kBob = TwoClients::kBob;

struct Pair : TwoClients {
    fs::path source = writeRandomFile(alice.dir.path() / "big.bin", 10 * kMiB + 7);

    Pair() { bobAcceptsAll(); }

    /// `who` loses its connection; the server tells the other side and forgets the transfer.
    void cut(Client& who)
    {
        const proto::TransferId id = alice.manager->transfers().front().transferId;
        Client& other = &who == &alice ? bob : alice;
        who.disconnect();
        relay.dropped(who.id, {{other.id, id}});
    }

    /// Sends until Bob has block 0 verified and more written, then returns.
    TransferNumber sendHalf()
    {
        const TransferNumber n = alice.manager->sendFile(kBob, source);
        run([this] { return bobDone() >= 5 * kMiB; });
        return n;
    }

    void presenceOnline(Client& to, UserId who)
    {
        proto::Presence presence{proto::Contact{who, proto::PresenceState::Online, "u", "u"}};
        const auto bytes = session::test::ScriptedServer::frame(0, 0, presence, to.id);
        to.session.receive(bytes.data(), bytes.size(), to.now);
    }

    void expectResumedAndVerified(TransferNumber n)
    {
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

BOOST_AUTO_TEST_CASE(the_sender_reconnects_and_resumes_without_asking_again)
{
    Pair p;
    const TransferNumber n = p.sendHalf();
    p.cut(p.alice);
    BOOST_TEST(p.bob.manager->transfers().front().state == TransferState::Interrupted);
    BOOST_TEST(p.alice.manager->transfers().front().state == TransferState::Interrupted);
    BOOST_TEST(fs::exists(p.bob.dir.path() / "big.bin.part"));
    BOOST_TEST(fs::exists(p.bob.dir.path() / "big.bin.part.resume"));
    // Resume state is the receiver's alone (issue 14, finding 10).
    const auto sidecarMode = fs::status(p.bob.dir.path() / "big.bin.part.resume").permissions() & fs::perms::all;
    BOOST_TEST(static_cast<unsigned>(sidecarMode) == 0600u);

    p.alice.login();  // re-offers the same transferId, size and hash
    p.run();
    BOOST_TEST(p.bob.transfers.offers.size() == 1u);  // asked once only
    p.expectResumedAndVerified(n);
}

BOOST_AUTO_TEST_CASE(the_receiver_reconnects_and_its_presence_brings_the_reoffer)
{
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

BOOST_AUTO_TEST_CASE(a_new_receiver_process_resumes_from_the_sidecar)
{
    Pair p;
    const TransferNumber n = p.sendHalf();
    p.cut(p.bob);
    p.bob.restartManager();  // a new process: only the files remain
    p.bob.transfers.onOffer = [](const TransferInfo&) { BOOST_FAIL("a resumable offer must not ask the user"); };
    p.bob.manager->addResumeDirectory(p.bob.dir.path());
    p.bob.login();
    p.run();
    p.presenceOnline(p.alice, kBob);
    p.run();
    BOOST_TEST(p.bob.transfers.offers.empty());
    p.expectResumedAndVerified(n);
}

BOOST_AUTO_TEST_CASE(a_damaged_part_resumes_from_the_last_good_block)
{
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

BOOST_AUTO_TEST_CASE(cancelling_an_interrupted_download_deletes_the_part)
{
    Pair p;
    p.sendHalf();
    p.cut(p.alice);
    BOOST_TEST(p.bob.manager->cancel(p.bob.transfers.offers.front().number) == TransferError::None);
    p.run();
    BOOST_TEST(filesIn(p.bob.dir.path()).empty());
}

BOOST_AUTO_TEST_SUITE_END()
