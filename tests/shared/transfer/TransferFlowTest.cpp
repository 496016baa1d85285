// The transfer state machine end to end between two clients: offers, answers, credit,
// block hashes, restarts, the whole-file check, cancels, pre-flight, hostile names.

#include "tests/shared/transfer/TransferHarness.h"

#include "shared/files/FileName.h"

#include <boost/test/unit_test.hpp>

using namespace parley;
using namespace parley::transfer;
using namespace parley::transfer::test;
namespace fs = std::filesystem;

namespace {

struct Pair : TwoClients {
    fs::path sourceFile(const std::string& name, std::uint64_t size, std::uint32_t seed = 1) {
        return writeRandomFile(alice.dir.path() / name, size, seed);
    }
};

bool flipByteInChunkAt(proto::Body& body, std::uint64_t offset) {
    auto* chunk = std::get_if<proto::FileChunk>(&body);
    if (chunk != nullptr && chunk->offset == offset && !chunk->data.empty()) {
        chunk->data[0] ^= 0x55U;
        return true;
    }
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(transfer_flow)

BOOST_AUTO_TEST_CASE(a_file_arrives_verified_with_equal_bytes) {
    Pair p;
    p.bobAcceptsAll();
    const fs::path source = p.sourceFile("report.bin", 10 * kMiB + 123);
    const TransferNumber number = p.alice.manager->sendFile(kBob, source);
    BOOST_REQUIRE(number != 0);
    p.run();

    const TransferOutcome* sent = p.alice.transfers.outcomeOf(number);
    BOOST_REQUIRE(sent != nullptr);
    BOOST_TEST(describe(*sent) == "verified");
    BOOST_REQUIRE(p.bob.transfers.finished.size() == 1u);
    const TransferOutcome& received = p.bob.transfers.finished.front().second;
    BOOST_TEST(received.kind == OutcomeKind::Verified);
    BOOST_TEST(received.path == files::utf8FromPath(p.bob.dir.path() / "report.bin"));
    BOOST_TEST(readFile(p.bob.dir.path() / "report.bin") == readFile(source));
    BOOST_TEST(filesIn(p.bob.dir.path()) == std::vector<std::string>{"report.bin"});  // no .part, no sidecar
    BOOST_TEST(p.alice.transfers.acceptedAt == std::vector<std::uint64_t>{0});
    BOOST_TEST(p.relay.violations.empty());
    BOOST_TEST(p.alice.manager->transfers().empty());
    BOOST_TEST(p.bob.manager->transfers().empty());
}

BOOST_AUTO_TEST_CASE(several_transfers_at_once_in_both_directions) {
    Pair p;
    p.bobAcceptsAll();
    p.alice.transfers.onOffer = [&p](const TransferInfo& info) {
        p.alice.manager->accept(info.number, p.alice.dir.path() / "in");
    };
    fs::create_directory(p.alice.dir.path() / "in");
    const fs::path a = p.sourceFile("a.bin", 5 * kMiB + 1, 1);
    const fs::path b = p.sourceFile("b.bin", 300 * 1024, 2);
    const fs::path c = writeRandomFile(p.bob.dir.path() / "c.bin", 9 * kMiB, 3);
    const TransferNumber na = p.alice.manager->sendFile(kBob, a);
    const TransferNumber nb = p.alice.manager->sendFile(kBob, b);
    const TransferNumber nc = p.bob.manager->sendFile(kAlice, c);
    p.run();

    for (TransferNumber n : {na, nb}) {
        BOOST_REQUIRE(p.alice.transfers.outcomeOf(n) != nullptr);
        BOOST_TEST(p.alice.transfers.outcomeOf(n)->kind == OutcomeKind::Verified);
    }
    BOOST_REQUIRE(p.bob.transfers.outcomeOf(nc) != nullptr);
    BOOST_TEST(p.bob.transfers.outcomeOf(nc)->kind == OutcomeKind::Verified);
    BOOST_TEST(readFile(p.bob.dir.path() / "a.bin") == readFile(a));
    BOOST_TEST(readFile(p.bob.dir.path() / "b.bin") == readFile(b));
    BOOST_TEST(readFile(p.alice.dir.path() / "in" / "c.bin") == readFile(c));
    BOOST_TEST(p.relay.violations.empty());
}

BOOST_AUTO_TEST_CASE(credit_chunk_size_and_block_boundaries_are_respected) {
    Pair p;
    p.bobAcceptsAll();
    std::uint64_t chunks = 0;
    p.relay.tamper = [&chunks](UserId, UserId, proto::Body& body) {
        if (const auto* chunk = std::get_if<proto::FileChunk>(&body)) {
            ++chunks;
            BOOST_TEST(chunk->data.size() <= proto::kMaxChunkData);
        }
        return true;
    };
    // Blocks of 4 MiB do not divide into 256 KiB chunks after an odd start: 9 MiB + 5.
    p.alice.manager->sendFile(kBob, p.sourceFile("x.bin", 9 * kMiB + 5));
    p.run();
    BOOST_TEST(p.relay.violations.empty());
    BOOST_TEST(chunks == 37u);  // 36 full chunks and one of 5 bytes
    for (const auto& entry : p.relay.seen) {
        BOOST_TEST(entry.second.maxOutstanding <= IncomingTransfer::kWindow);
    }
    BOOST_REQUIRE(p.bob.transfers.finished.size() == 1u);
    BOOST_TEST(p.bob.transfers.finished.front().second.kind == OutcomeKind::Verified);
}

BOOST_AUTO_TEST_CASE(a_block_hash_mismatch_restarts_from_the_block_start) {
    Pair p;
    p.bobAcceptsAll();
    const std::uint64_t corruptAt = 4 * kMiB + 256 * 1024;  // inside block 1
    int corrupted = 0;
    p.relay.tamper = [&](UserId, UserId, proto::Body& body) {
        if (corrupted == 0 && flipByteInChunkAt(body, corruptAt)) {
            ++corrupted;
        }
        return true;
    };
    const fs::path source = p.sourceFile("r.bin", 10 * kMiB);
    const TransferNumber n = p.alice.manager->sendFile(kBob, source);
    p.run();

    BOOST_TEST(corrupted == 1);
    BOOST_REQUIRE(p.alice.transfers.outcomeOf(n) != nullptr);
    BOOST_TEST(p.alice.transfers.outcomeOf(n)->kind == OutcomeKind::Verified);
    BOOST_TEST(p.alice.transfers.acceptedAt == (std::vector<std::uint64_t>{0, 4 * kMiB}));
    BOOST_TEST(readFile(p.bob.dir.path() / "r.bin") == readFile(source));
    BOOST_TEST(p.relay.violations.empty());
}

BOOST_AUTO_TEST_CASE(three_mismatches_at_one_block_cancel_with_io_error) {
    Pair p;
    p.bobAcceptsAll();
    p.relay.tamper = [](UserId, UserId, proto::Body& body) {
        flipByteInChunkAt(body, 0);
        return true;
    };
    const TransferNumber n = p.alice.manager->sendFile(kBob, p.sourceFile("bad.bin", 5 * kMiB));
    p.run();

    BOOST_REQUIRE(p.alice.transfers.outcomeOf(n) != nullptr);
    const TransferOutcome& sent = *p.alice.transfers.outcomeOf(n);
    BOOST_TEST(sent.kind == OutcomeKind::Cancelled);
    BOOST_TEST(sent.cancelReason == proto::FileCancelReason::IoError);
    BOOST_TEST(!sent.local);
    BOOST_TEST(p.alice.transfers.acceptedAt == (std::vector<std::uint64_t>{0, 0, 0}));
    BOOST_TEST(filesIn(p.bob.dir.path()).empty());
}

BOOST_AUTO_TEST_CASE(a_whole_file_mismatch_keeps_the_data_aside) {
    Pair p;
    p.bobAcceptsAll();
    p.relay.tamper = [](UserId, UserId, proto::Body& body) {
        if (auto* offer = std::get_if<proto::FileOffer>(&body)) {
            offer->sha256[0] ^= 1U;  // blocks match, the whole file does not
        }
        return true;
    };
    const TransferNumber n = p.alice.manager->sendFile(kBob, p.sourceFile("m.bin", 5 * kMiB));
    p.run();

    BOOST_REQUIRE(p.alice.transfers.outcomeOf(n) != nullptr);
    BOOST_TEST(p.alice.transfers.outcomeOf(n)->kind == OutcomeKind::Failed);
    BOOST_TEST(p.alice.transfers.outcomeOf(n)->resultStatus == proto::FileResultStatus::HashMismatch);
    BOOST_REQUIRE(p.bob.transfers.finished.size() == 1u);
    BOOST_TEST(p.bob.transfers.finished.front().second.resultStatus == proto::FileResultStatus::HashMismatch);
    BOOST_TEST(filesIn(p.bob.dir.path()) == std::vector<std::string>{"m.bin.mismatch.part"});
}

BOOST_AUTO_TEST_CASE(the_sender_cancels_midway) {
    Pair p;
    p.bobAcceptsAll();
    const TransferNumber n = p.alice.manager->sendFile(kBob, p.sourceFile("c.bin", 10 * kMiB));
    p.run([&p] { return p.bobDone() >= kMiB; });
    BOOST_TEST(p.alice.manager->cancel(n) == TransferError::None);
    p.run();

    BOOST_TEST(p.alice.transfers.outcomeOf(n)->local);
    BOOST_REQUIRE(p.bob.transfers.finished.size() == 1u);
    const TransferOutcome& got = p.bob.transfers.finished.front().second;
    BOOST_TEST(got.kind == OutcomeKind::Cancelled);
    BOOST_TEST(got.cancelReason == proto::FileCancelReason::ByUser);
    BOOST_TEST(!got.local);
    BOOST_TEST(filesIn(p.bob.dir.path()).empty());  // the .part is deleted
}

// The source shrinks while it is sent: both sides end with the reason, the sender's
// text intact (it once pointed into a read-ahead chunk that the cancel freed).
BOOST_AUTO_TEST_CASE(a_source_cut_short_while_sent_cancels_both_with_the_reason) {
    Pair p;
    p.bobAcceptsAll();
    const fs::path source = p.sourceFile("shrinks.bin", 10 * kMiB);
    const TransferNumber n = p.alice.manager->sendFile(kBob, source);
    p.run([&p] { return p.bobDone() >= kMiB; });
    fs::resize_file(source, 2 * kMiB);
    p.run();

    const TransferOutcome* sent = p.alice.transfers.outcomeOf(n);
    BOOST_REQUIRE(sent != nullptr);
    BOOST_TEST(sent->kind == OutcomeKind::Cancelled);
    BOOST_TEST(sent->cancelReason == proto::FileCancelReason::IoError);
    const std::string expected = files::utf8FromPath(source) + " is shorter than when it was offered";
    BOOST_TEST(sent->text == expected);
    BOOST_REQUIRE(p.bob.transfers.finished.size() == 1u);
    const TransferOutcome& got = p.bob.transfers.finished.front().second;
    BOOST_TEST(got.kind == OutcomeKind::Cancelled);
    // Bob hears what failed, not where: alice's folders are hers.
    BOOST_TEST(got.text == describeForPeer(IoError::ReadFailed));
    BOOST_TEST(filesIn(p.bob.dir.path()).empty());  // no file, not even the .part
}

BOOST_AUTO_TEST_CASE(the_receiver_cancels_midway) {
    Pair p;
    p.bobAcceptsAll();
    const TransferNumber n = p.alice.manager->sendFile(kBob, p.sourceFile("c.bin", 10 * kMiB));
    p.run([&p] { return p.bobDone() >= kMiB; });
    const TransferNumber incoming = p.bob.transfers.offers.front().number;
    BOOST_TEST(p.bob.manager->cancel(incoming) == TransferError::None);
    p.run();

    const TransferOutcome* sent = p.alice.transfers.outcomeOf(n);
    BOOST_REQUIRE(sent != nullptr);
    BOOST_TEST(sent->kind == OutcomeKind::Cancelled);
    BOOST_TEST(!sent->local);
    BOOST_TEST(filesIn(p.bob.dir.path()).empty());
    BOOST_TEST(p.bob.manager->cancel(incoming) == TransferError::UnknownTransfer);
}

BOOST_AUTO_TEST_CASE(a_declined_offer_is_reported_to_the_sender) {
    Pair p;
    p.bob.transfers.onOffer = [&p](const TransferInfo& info) {
        BOOST_TEST(info.name == "d.bin");
        BOOST_TEST(info.size == 1000u);
        p.bob.manager->reject(info.number, "not now");
    };
    const TransferNumber n = p.alice.manager->sendFile(kBob, p.sourceFile("d.bin", 1000));
    p.run();
    const TransferOutcome* sent = p.alice.transfers.outcomeOf(n);
    BOOST_REQUIRE(sent != nullptr);
    BOOST_TEST(sent->kind == OutcomeKind::Rejected);
    BOOST_TEST(sent->rejectReason == proto::FileRejectReason::Declined);
    BOOST_TEST(describe(*sent) == "declined: not now");
}

BOOST_AUTO_TEST_CASE(an_offer_to_an_offline_user_is_refused_for_good) {
    Pair p;
    p.bob.disconnect();
    const TransferNumber n = p.alice.manager->sendFile(kBob, p.sourceFile("o.bin", 1000));
    p.run();
    const TransferOutcome* sent = p.alice.transfers.outcomeOf(n);
    BOOST_REQUIRE(sent != nullptr);
    BOOST_TEST(sent->rejectReason == proto::FileRejectReason::PeerOffline);
}

BOOST_AUTO_TEST_CASE(no_space_is_refused_before_accepting) {
    Pair p;
    p.bobAcceptsAll();
    // A size no disk has: the offer is crafted, the sender's side is not needed.
    proto::FileOffer offer{42, "huge.bin", std::uint64_t{1} << 60, {}, proto::kDefaultBlockSize};
    const auto bytes = session::test::ScriptedServer::frame(kAlice, 0, offer, kBob);
    p.bob.session.receive(bytes.data(), bytes.size(), p.bob.now);
    p.run();
    BOOST_REQUIRE(p.bob.transfers.finished.size() == 1u);
    BOOST_TEST(p.bob.transfers.finished.front().second.rejectReason == proto::FileRejectReason::NoSpace);
    BOOST_TEST(filesIn(p.bob.dir.path()).empty());
}

BOOST_AUTO_TEST_CASE(a_name_without_a_usable_leaf_is_refused) {
    Pair p;
    p.bobAcceptsAll();
    const TransferNumber n = p.alice.manager->sendFile(kBob, p.sourceFile("x.bin", 10), "../..");
    p.run();
    BOOST_REQUIRE(p.alice.transfers.outcomeOf(n) != nullptr);
    BOOST_TEST(p.alice.transfers.outcomeOf(n)->rejectReason == proto::FileRejectReason::InvalidName);
    BOOST_TEST(filesIn(p.bob.dir.path()).empty());
}

BOOST_AUTO_TEST_CASE(hostile_names_land_inside_the_directory_under_safe_names) {
    Pair p;
    p.bobAcceptsAll();
    std::ofstream(p.bob.dir.path() / "report.txt") << "mine";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"../../etc/passwd", "passwd"},
        {"C:\\x", "x"},
        {"CON", "_CON"},
        {"nul.txt", "_nul.txt"},
        {std::string("a\x01"
                     "b\x7f",
                     4),
         "a_b_"},
        {"report.txt", "report (1).txt"},
        {std::string(300, 'n') + ".txt", files::sanitizeFileName(std::string(300, 'n') + ".txt")},
    };
    const fs::path source = p.sourceFile("payload.bin", 1000);
    for (const auto& [offered, expected] : cases) {
        p.alice.manager->sendFile(kBob, source, offered);
        p.run();
        BOOST_REQUIRE(!p.bob.transfers.finished.empty());
        const TransferOutcome& got = p.bob.transfers.finished.back().second;
        BOOST_TEST(got.kind == OutcomeKind::Verified, offered << ": " << describe(got));
        BOOST_TEST(got.path == files::utf8FromPath(p.bob.dir.path() / files::pathFromUtf8(expected)), offered);
    }
    BOOST_TEST(files::sanitizeFileName(std::string(300, 'n') + ".txt").size() <= files::kMaxSafeNameBytes);
    BOOST_TEST(readFile(p.bob.dir.path() / "report.txt") == "mine");
    BOOST_TEST(filesIn(p.bob.dir.path()).size() == cases.size() + 1);
}

BOOST_AUTO_TEST_CASE(an_empty_file_is_accepted_then_done) {
    Pair p;
    p.bobAcceptsAll();
    const TransferNumber n = p.alice.manager->sendFile(kBob, p.sourceFile("empty.bin", 0));
    p.run();
    BOOST_REQUIRE(p.alice.transfers.outcomeOf(n) != nullptr);
    BOOST_TEST(p.alice.transfers.outcomeOf(n)->kind == OutcomeKind::Verified);
    BOOST_TEST(fs::file_size(p.bob.dir.path() / "empty.bin") == 0u);
}

BOOST_AUTO_TEST_CASE(a_stalled_transfer_times_out) {
    Pair p;
    p.bobAcceptsAll();
    p.relay.tamper = [](UserId, UserId, proto::Body& body) { return !std::holds_alternative<proto::FileCredit>(body); };
    const TransferNumber n = p.alice.manager->sendFile(kBob, p.sourceFile("t.bin", kMiB));
    p.run();
    for (std::uint64_t t = 0; t <= kStallTimeoutMs + 2'000; t += 1'000) {
        p.alice.manager->onTick(p.alice.now + t);
    }
    p.run();
    BOOST_REQUIRE(p.alice.transfers.outcomeOf(n) != nullptr);
    BOOST_TEST(p.alice.transfers.outcomeOf(n)->cancelReason == proto::FileCancelReason::Timeout);
    BOOST_REQUIRE(p.bob.transfers.finished.size() == 1u);
    BOOST_TEST(p.bob.transfers.finished.front().second.cancelReason == proto::FileCancelReason::Timeout);
}

BOOST_AUTO_TEST_CASE(a_missing_source_file_fails_without_an_offer) {
    Pair p;
    const TransferNumber n = p.alice.manager->sendFile(kBob, p.alice.dir.path() / "nope.bin");
    p.run();
    BOOST_REQUIRE(p.alice.transfers.outcomeOf(n) != nullptr);
    BOOST_TEST(p.alice.transfers.outcomeOf(n)->cancelReason == proto::FileCancelReason::IoError);
    BOOST_TEST(p.bob.transfers.offers.empty());
}

BOOST_AUTO_TEST_SUITE_END()
