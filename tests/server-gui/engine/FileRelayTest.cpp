// The server side of file transfer over real sockets (docs/protocol.md 9.8):
// relay with the source stamped, pre-flight refusals, the side and credit
// rules, cancels and disconnects, chat ahead of queued chunks, the memory
// bound, and the store rows of each transfer.
#include "db/Store.h"
#include "tests/server-gui/engine/EngineHarness.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

using namespace parley;
using namespace parley::test;
using proto::ErrorCode;
using proto::FileCancelReason;
using proto::FileRejectReason;
using proto::TransferId;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

proto::Sha256 digest(std::uint8_t seed) {
    proto::Sha256 d{};
    for (std::size_t i = 0; i < d.size(); ++i) d[i] = static_cast<std::uint8_t>(seed + i);
    return d;
}

proto::FileOffer offer(TransferId id, std::uint64_t size, const std::string& name = "report.pdf",
                       std::uint32_t blockSize = proto::kMinBlockSize) {
    return proto::FileOffer{id, name, size, digest(7), blockSize};
}

std::vector<std::uint8_t> pattern(std::size_t size, std::uint32_t seed) {
    std::vector<std::uint8_t> data(size);
    std::uint32_t x = seed;
    for (auto& byte : data) {
        x = x * 1664525u + 1013904223u;
        byte = static_cast<std::uint8_t>(x >> 24);
    }
    return data;
}

bool isFileFrame(const proto::Message& m) {
    const auto type = static_cast<std::uint8_t>(m.header.type);
    return type >= 0x20 && type <= 0x28;
}

template <class T>
std::optional<Frame<T>> waitFile(TestClient& client, TransferId id, std::chrono::milliseconds timeout = 10s) {
    return client.waitFor<T>(timeout, [id](const proto::Header&, const T& m) { return m.transferId == id; });
}

std::optional<Frame<proto::FileReject>> waitReject(TestClient& client, TransferId id) {
    return waitFile<proto::FileReject>(client, id);
}

std::optional<Frame<proto::FileCancel>> waitCancel(TestClient& client, TransferId id) {
    return waitFile<proto::FileCancel>(client, id);
}

// An ERROR InvalidMessage about the frame with `messageId`.
bool refusedAsInvalid(TestClient& client, proto::MessageId messageId) {
    return client
        .waitFor<proto::Error>(10s,
                               [messageId](const proto::Header& h, const proto::Error& e) {
                                   return e.code == ErrorCode::InvalidMessage && h.messageId == messageId;
                               })
        .has_value();
}

template <class Pred>
bool waitUntil(Pred pred, std::chrono::milliseconds timeout = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

// The store row of (sender, id), read through a connection of the test's own.
db::ValueResult<db::Transfer> row(const std::string& database, proto::UserId sender, TransferId id) {
    auto store = db::openStore(database);
    if (!store.ok()) return store.result();
    return store.value->findTransfer(sender, id);
}

bool waitRow(const std::string& database, proto::UserId sender, TransferId id,
             const std::function<bool(const db::ValueResult<db::Transfer>&)>& pred) {
    return waitUntil([&] { return pred(row(database, sender, id)); });
}

bool rowIn(const db::ValueResult<db::Transfer>& r, db::TransferState state) { return r.ok() && r.value.state == state; }

bool rowGone(const db::ValueResult<db::Transfer>& r) { return r.status == db::Status::NotFound; }

// alice (sender) and bob (receiver), both logged in.
struct Peers {
    explicit Peers(EngineHarness& h)
        : harness(h),
          aliceId(h.registerUser("alice")),
          bobId(h.registerUser("bob")),
          alice(h.login("alice")),
          bob(h.login("bob")) {}

    std::string database() const { return harness.server().config().database; }

    // Offer relayed and accepted from `offset`, `credit` granted; both sides
    // have consumed the relayed frames.
    void startTransfer(TransferId id, std::uint64_t size, std::uint32_t credit, std::uint64_t offset = 0) {
        alice->send(offer(id, size), bobId);
        BOOST_REQUIRE(waitFile<proto::FileOffer>(*bob, id));
        bob->send(proto::FileAccept{id, offset}, aliceId);
        BOOST_REQUIRE(waitFile<proto::FileAccept>(*alice, id));
        if (credit == 0) return;
        bob->send(proto::FileCredit{id, credit}, aliceId);
        BOOST_REQUIRE(waitFile<proto::FileCredit>(*alice, id));
    }

    EngineHarness& harness;
    proto::UserId aliceId;
    proto::UserId bobId;
    std::unique_ptr<TestClient> alice;
    std::unique_ptr<TestClient> bob;
};

// The server refused a relayed message of transfer `id`: both sides get FILE_CANCEL
// ProtocolViolation (stamped with the other side), the row is gone, and the transfer
// is forgotten (a later chunk is an unknown transfer).
void expectProtocolViolation(Peers& p, TransferId id) {
    const auto toSender = waitCancel(*p.alice, id);
    const auto toReceiver = waitCancel(*p.bob, id);
    BOOST_REQUIRE(toSender);
    BOOST_REQUIRE(toReceiver);
    BOOST_TEST((toSender->body.reason == FileCancelReason::ProtocolViolation));
    BOOST_TEST((toReceiver->body.reason == FileCancelReason::ProtocolViolation));
    BOOST_TEST(toSender->header.source == p.bobId);
    BOOST_TEST(toReceiver->header.source == p.aliceId);
    BOOST_TEST(waitRow(p.database(), p.aliceId, id, rowGone));
    const auto late = p.alice->send(proto::FileChunk{id, 0, {1}}, p.bobId);
    BOOST_TEST(refusedAsInvalid(*p.alice, late));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(file_relay)

BOOST_AUTO_TEST_CASE(a_small_transfer_is_relayed_byte_exact_with_sources_stamped) {
    EngineHarness harness;
    Peers p(harness);
    constexpr TransferId id = 0xF00D0000CAFEull;
    constexpr std::uint32_t block = proto::kMinBlockSize;
    const auto file = pattern(200'000, 1);

    // alice claims to be user 999: the server stamps her real id.
    const auto sent = offer(id, file.size(), "Quartalsbericht ü.pdf", block);
    const auto offerId = p.alice->send(sent, p.bobId, 0, 0, 999u);
    const auto relayed = waitFile<proto::FileOffer>(*p.bob, id);
    BOOST_REQUIRE(relayed);
    BOOST_TEST(relayed->header.source == p.aliceId);
    BOOST_TEST(relayed->header.destination == p.bobId);
    BOOST_TEST(relayed->header.messageId == offerId);
    BOOST_TEST((relayed->body == sent));
    BOOST_TEST(
        waitRow(p.database(), p.aliceId, id, [](const auto& r) { return rowIn(r, db::TransferState::Offered); }));
    BOOST_TEST(harness.server().stats().transfersActive == 1u);

    p.bob->send(proto::FileAccept{id, 0}, p.aliceId);
    const auto accept = waitFile<proto::FileAccept>(*p.alice, id);
    BOOST_REQUIRE(accept);
    BOOST_TEST(accept->header.source == p.bobId);
    BOOST_TEST(accept->body.offset == 0u);
    BOOST_TEST(waitRow(p.database(), p.aliceId, id, [](const auto& r) {
        return rowIn(r, db::TransferState::InProgress) && r.value.verifiedOffset == 0;
    }));
    p.bob->send(proto::FileCredit{id, static_cast<std::uint32_t>(kMiB)}, p.aliceId);
    const auto credit = waitFile<proto::FileCredit>(*p.alice, id);
    BOOST_REQUIRE(credit);
    BOOST_TEST(credit->header.source == p.bobId);
    BOOST_TEST(credit->body.bytes == kMiB);

    // Chunks of up to 40000 bytes that never cross a block, a hash after each block.
    std::vector<proto::Body> expected;
    for (std::uint64_t start = 0; start < file.size(); start += block) {
        const std::uint64_t end = std::min<std::uint64_t>(start + block, file.size());
        for (std::uint64_t at = start; at < end; at += 40'000) {
            const std::uint64_t n = std::min<std::uint64_t>(40'000, end - at);
            proto::FileChunk chunk{id, at,
                                   std::vector<std::uint8_t>(file.begin() + static_cast<std::ptrdiff_t>(at),
                                                             file.begin() + static_cast<std::ptrdiff_t>(at + n))};
            p.alice->send(chunk, p.bobId);
            expected.emplace_back(std::move(chunk));
        }
        proto::FileBlockHash hash{id, start, static_cast<std::uint32_t>(end - start),
                                  digest(static_cast<std::uint8_t>(start))};
        p.alice->send(hash, p.bobId);
        expected.emplace_back(hash);
    }
    p.alice->send(proto::FileDone{id, file.size()}, p.bobId);
    expected.emplace_back(proto::FileDone{id, file.size()});

    std::vector<proto::Message> got;
    while (got.size() < expected.size()) {
        auto m = p.bob->waitForMessage(10s, isFileFrame);
        BOOST_REQUIRE_MESSAGE(m, "only " << got.size() << " of " << expected.size() << " file frames arrived");
        got.push_back(std::move(*m));
    }
    std::vector<std::uint8_t> reassembled;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        BOOST_TEST(got[i].header.source == p.aliceId);
        BOOST_TEST((got[i].body == expected[i]), "frame " << i << ": " << describe(got[i]));
        if (const auto* chunk = std::get_if<proto::FileChunk>(&got[i].body))
            reassembled.insert(reassembled.end(), chunk->data.begin(), chunk->data.end());
    }
    BOOST_TEST((reassembled == file));

    p.bob->send(proto::FileResult{id, proto::FileResultStatus::Verified, "ok"}, p.aliceId);
    const auto result = waitFile<proto::FileResult>(*p.alice, id);
    BOOST_REQUIRE(result);
    BOOST_TEST(result->header.source == p.bobId);
    BOOST_TEST((result->body.status == proto::FileResultStatus::Verified));

    BOOST_TEST(waitRow(p.database(), p.aliceId, id, rowGone));
    const auto stats = harness.server().stats();
    BOOST_TEST(stats.fileBytesRelayed == file.size());
    BOOST_TEST(stats.transfersActive == 0u);
    BOOST_TEST(stats.fileBytesQueued == 0u);
    // Forgotten: a late chunk is refused.
    const auto late = p.alice->send(proto::FileChunk{id, 0, {1, 2, 3}}, p.bobId);
    BOOST_TEST(refusedAsInvalid(*p.alice, late));
    BOOST_TEST(p.bob->expectNothing(200ms, isFileFrame));
}

BOOST_AUTO_TEST_CASE(an_empty_file_needs_no_chunks) {
    EngineHarness harness;
    Peers p(harness);
    p.startTransfer(5, 0, 0);
    p.alice->send(proto::FileDone{5, 0}, p.bobId);
    BOOST_REQUIRE(waitFile<proto::FileDone>(*p.bob, 5));
    p.bob->send(proto::FileResult{5, proto::FileResultStatus::Verified, ""}, p.aliceId);
    BOOST_TEST(waitFile<proto::FileResult>(*p.alice, 5).has_value());
    BOOST_TEST(waitUntil([&] { return harness.server().stats().transfersActive == 0; }));
}

BOOST_AUTO_TEST_CASE(chunks_are_not_counted_against_the_chat_rate) {
    EngineHarness harness([](server::ServerConfig& c) {
        c.limits.messagesPerSecond = 1;
        c.limits.messageBurst = 2;
    });
    Peers p(harness);
    p.startTransfer(3, 100'000, 100'000);
    constexpr int kChunks = 50;  // 50 s at the chat rate
    for (int i = 0; i < kChunks; ++i)
        p.alice->send(proto::FileChunk{3, static_cast<std::uint64_t>(i) * 100, std::vector<std::uint8_t>(100, 9)},
                      p.bobId);
    for (int i = 0; i < kChunks; ++i) BOOST_REQUIRE_MESSAGE(waitFile<proto::FileChunk>(*p.bob, 3, 5s), "chunk " << i);
    BOOST_TEST(p.alice->expectNothing(
        0ms, [](const proto::Message& m) { return std::holds_alternative<proto::Error>(m.body); }));
}

BOOST_AUTO_TEST_CASE(pre_flight_refusals_name_the_receiver_and_relay_nothing) {
    EngineHarness harness([](server::ServerConfig& c) {
        c.limits.maxFileSize = 10 * kMiB;
        c.limits.maxTransfersPerUser = 2;
    });
    Peers p(harness);
    const proto::UserId carolId = harness.registerUser("carol");  // never logs in

    const auto expectReject = [&](TransferId id, FileRejectReason reason, proto::UserId source) {
        const auto reject = waitReject(*p.alice, id);
        BOOST_REQUIRE_MESSAGE(reject, "no FILE_REJECT for transfer " << id << "; queue: " << p.alice->describeQueue());
        BOOST_TEST((reject->body.reason == reason), "transfer " << id << ": " << proto::toString(reject->body.reason));
        BOOST_TEST(reject->header.source == source);
        BOOST_TEST(!reject->body.text.empty());
    };

    p.alice->send(offer(1, 10 * kMiB + 1), p.bobId);
    expectReject(1, FileRejectReason::TooLarge, p.bobId);
    p.alice->send(offer(2, 100, ""), p.bobId);
    expectReject(2, FileRejectReason::InvalidName, p.bobId);
    p.alice->send(offer(3, 100, "../.."), p.bobId);
    expectReject(3, FileRejectReason::InvalidName, p.bobId);
    p.alice->send(offer(4, 100), carolId);
    expectReject(4, FileRejectReason::PeerOffline, carolId);

    // Bad block sizes, the sender itself and unknown users are errors, not rejects.
    for (const std::uint32_t blockSize : {0u, proto::kMinBlockSize - 1, proto::kMaxBlockSize + 1}) {
        const auto sent = p.alice->send(offer(6, 100, "x", blockSize), p.bobId);
        BOOST_TEST(refusedAsInvalid(*p.alice, sent), "blockSize " << blockSize);
    }
    p.alice->send(offer(7, 100), p.aliceId);
    BOOST_TEST(waitError(*p.alice, ErrorCode::UnknownDestination).has_value());
    p.alice->send(offer(8, 100), 4242);
    BOOST_TEST(waitError(*p.alice, ErrorCode::UnknownDestination).has_value());
    BOOST_TEST(p.bob->expectNothing(200ms, isFileFrame));
    BOOST_TEST(harness.server().stats().transfersActive == 0u);

    // Two transfers in progress are the limit; a third is refused, a duplicate id too.
    p.alice->send(offer(10, 100, "exactly 10 MiB is fine"), p.bobId);
    p.alice->send(offer(11, 10 * kMiB), p.bobId);
    BOOST_REQUIRE(waitFile<proto::FileOffer>(*p.bob, 10));
    BOOST_REQUIRE(waitFile<proto::FileOffer>(*p.bob, 11));
    p.alice->send(offer(12, 100), p.bobId);
    expectReject(12, FileRejectReason::TooManyTransfers, p.bobId);
    const auto duplicate = p.alice->send(offer(10, 100), p.bobId);
    BOOST_TEST(refusedAsInvalid(*p.alice, duplicate));
    BOOST_TEST(p.bob->expectNothing(200ms, isFileFrame));
    // The transfer in progress goes on; once one ends there is room again.
    p.bob->send(proto::FileReject{11, FileRejectReason::Declined, "no thanks"}, p.aliceId);
    const auto declined = waitReject(*p.alice, 11);
    BOOST_REQUIRE(declined);
    BOOST_TEST((declined->body.reason == FileRejectReason::Declined));
    BOOST_TEST(declined->header.source == p.bobId);
    p.alice->send(offer(12, 100), p.bobId);
    BOOST_TEST(waitFile<proto::FileOffer>(*p.bob, 12).has_value());
    p.bob->send(proto::FileAccept{10, 0}, p.aliceId);
    BOOST_TEST(waitFile<proto::FileAccept>(*p.alice, 10).has_value());
}

BOOST_AUTO_TEST_CASE(wrong_side_unknown_and_early_frames_are_invalid_and_not_relayed) {
    EngineHarness harness;
    Peers p(harness);
    const proto::UserId carolId = harness.registerUser("carol");
    auto carol = harness.login("carol");
    constexpr TransferId id = 77;
    p.alice->send(offer(id, 1000), p.bobId);
    BOOST_REQUIRE(waitFile<proto::FileOffer>(*p.bob, id));

    const std::vector<std::pair<TestClient*, proto::MessageId>> refused = {
        // chunks, credit and result before FILE_ACCEPT
        {p.alice.get(), p.alice->send(proto::FileChunk{id, 0, {1}}, p.bobId)},
        {p.bob.get(), p.bob->send(proto::FileCredit{id, 1000}, p.aliceId)},
        {p.bob.get(), p.bob->send(proto::FileResult{id, proto::FileResultStatus::Verified, ""}, p.aliceId)},
        // the sender answering its own offer, the receiver sending data
        {p.alice.get(), p.alice->send(proto::FileAccept{id, 0}, p.bobId)},
        {p.bob.get(), p.bob->send(proto::FileDone{id, 1000}, p.aliceId)},
        {p.bob.get(), p.bob->send(proto::FileChunk{id, 0, {1}}, p.aliceId)},
        // unknown transfers, and someone not part of this one
        {p.alice.get(), p.alice->send(proto::FileCancel{id + 1, FileCancelReason::ByUser, ""}, p.bobId)},
        {p.bob.get(), p.bob->send(proto::FileAccept{id + 1, 0}, p.aliceId)},
        {carol.get(), carol->send(proto::FileCancel{id, FileCancelReason::ByUser, ""}, p.aliceId)},
        {carol.get(), carol->send(proto::FileAccept{id, 0}, p.aliceId)},
        {p.alice.get(), p.alice->send(proto::FileChunk{id, 0, {1}}, carolId)},
    };
    for (std::size_t i = 0; i < refused.size(); ++i)
        BOOST_TEST(refusedAsInvalid(*refused[i].first, refused[i].second), "case " << i);
    BOOST_TEST(p.alice->expectNothing(200ms, isFileFrame));
    BOOST_TEST(p.bob->expectNothing(0ms, isFileFrame));
    BOOST_TEST(carol->expectNothing(0ms, isFileFrame));
    // None of it disturbed the transfer.
    p.bob->send(proto::FileAccept{id, 0}, p.aliceId);
    BOOST_TEST(waitFile<proto::FileAccept>(*p.alice, id).has_value());
}

BOOST_AUTO_TEST_CASE(chunk_rules_are_enforced_with_a_cancel_to_both_sides) {
    EngineHarness harness;
    Peers p(harness);
    const auto expectViolation = [&p](TransferId id) { expectProtocolViolation(p, id); };

    // Beyond the credit: 1000 granted, 600 + 600 sent.
    p.startTransfer(1, 10'000, 1000);
    p.alice->send(proto::FileChunk{1, 0, std::vector<std::uint8_t>(600, 1)}, p.bobId);
    BOOST_REQUIRE(waitFile<proto::FileChunk>(*p.bob, 1));
    p.alice->send(proto::FileChunk{1, 600, std::vector<std::uint8_t>(600, 2)}, p.bobId);
    expectViolation(1);

    // The credit counts over the whole transfer, across a restart from an offset.
    p.startTransfer(2, 10'000, 1000);
    p.alice->send(proto::FileChunk{2, 0, std::vector<std::uint8_t>(1000, 1)}, p.bobId);
    BOOST_REQUIRE(waitFile<proto::FileChunk>(*p.bob, 2));
    p.bob->send(proto::FileAccept{2, 0}, p.aliceId);  // restart: no new credit yet
    BOOST_REQUIRE(waitFile<proto::FileAccept>(*p.alice, 2));
    p.alice->send(proto::FileChunk{2, 0, std::vector<std::uint8_t>(1, 1)}, p.bobId);
    expectViolation(2);

    // Over 256 KiB in one chunk, even with credit for it.
    p.startTransfer(3, 10 * kMiB, 1 * kMiB);
    p.alice->send(proto::FileChunk{3, 0, std::vector<std::uint8_t>(proto::kMaxChunkData + 1, 3)}, p.bobId);
    expectViolation(3);

    // Past the end of the file.
    p.startTransfer(4, 1000, 4000);
    p.alice->send(proto::FileChunk{4, 900, std::vector<std::uint8_t>(101, 4)}, p.bobId);
    expectViolation(4);

    // More than 16 MiB of credit outstanding: 16 MiB is fine, one byte more is not.
    p.startTransfer(5, 100 * kMiB, static_cast<std::uint32_t>(proto::kMaxCreditWindow));
    p.alice->send(proto::FileChunk{5, 0, std::vector<std::uint8_t>(1000, 5)}, p.bobId);
    BOOST_REQUIRE(waitFile<proto::FileChunk>(*p.bob, 5));
    p.bob->send(proto::FileCredit{5, 1000}, p.aliceId);  // back at exactly 16 MiB
    BOOST_REQUIRE(waitFile<proto::FileCredit>(*p.alice, 5));
    p.bob->send(proto::FileCredit{5, 1}, p.aliceId);
    expectViolation(5);
    BOOST_TEST(harness.server().stats().transfersActive == 0u);
}

BOOST_AUTO_TEST_CASE(accept_and_reject_rules_are_enforced_with_a_cancel_to_both_sides) {
    EngineHarness harness;
    Peers p(harness);

    // A resume offset past the end of the file: the sender would seek nowhere.
    p.alice->send(offer(1, 1000), p.bobId);
    BOOST_REQUIRE(waitFile<proto::FileOffer>(*p.bob, 1));
    p.bob->send(proto::FileAccept{1, 1001}, p.aliceId);
    expectProtocolViolation(p, 1);
    BOOST_TEST(!p.alice->waitFor<proto::FileAccept>(300ms));

    // FILE_REJECT once accepted: the sender may be streaming; both sides get the cancel.
    p.startTransfer(2, 10'000, 1000);
    p.bob->send(proto::FileReject{2, FileRejectReason::Declined, "changed my mind"}, p.aliceId);
    expectProtocolViolation(p, 2);
    BOOST_TEST(!p.alice->waitFor<proto::FileReject>(300ms));

    // The edges that are fine: resuming at exactly the end (everything verified already),
    // a restart from an earlier offset, and FILE_REJECT before any FILE_ACCEPT.
    p.startTransfer(3, 1000, 0, 1000);
    p.bob->send(proto::FileAccept{3, 0}, p.aliceId);
    BOOST_REQUIRE(waitFile<proto::FileAccept>(*p.alice, 3));
    p.alice->send(offer(4, 1000), p.bobId);
    BOOST_REQUIRE(waitFile<proto::FileOffer>(*p.bob, 4));
    p.bob->send(proto::FileReject{4, FileRejectReason::Declined, "no thanks"}, p.aliceId);
    BOOST_REQUIRE(waitReject(*p.alice, 4));
    BOOST_TEST(waitRow(p.database(), p.aliceId, 4, rowGone));
    BOOST_TEST(!p.alice->waitFor<proto::FileCancel>(300ms));
    BOOST_TEST(!p.bob->waitFor<proto::FileCancel>(300ms));
}

BOOST_AUTO_TEST_CASE(a_cancel_from_either_side_is_relayed_and_ends_the_transfer) {
    EngineHarness harness;
    Peers p(harness);
    const auto cancelBy = [&](TestClient& from, proto::UserId fromId, TestClient& to, proto::UserId toId, TransferId id,
                              FileCancelReason reason) {
        p.startTransfer(id, 1000, 1000);
        from.send(proto::FileCancel{id, reason, "changed my mind"}, toId);
        const auto relayed = waitCancel(to, id);
        BOOST_REQUIRE(relayed);
        BOOST_TEST(relayed->header.source == fromId);
        BOOST_TEST((relayed->body.reason == reason));
        BOOST_TEST(relayed->body.text == "changed my mind");
        // Forgotten: a late chunk is refused, and the row is gone.
        const auto late = p.alice->send(proto::FileChunk{id, 0, {1}}, p.bobId);
        BOOST_TEST(refusedAsInvalid(*p.alice, late));
        BOOST_TEST(waitRow(p.database(), p.aliceId, id, rowGone));
    };
    cancelBy(*p.alice, p.aliceId, *p.bob, p.bobId, 1, FileCancelReason::ByUser);
    cancelBy(*p.bob, p.bobId, *p.alice, p.aliceId, 2, FileCancelReason::IoError);
    BOOST_TEST(p.bob->expectNothing(200ms, isFileFrame));
    BOOST_TEST(harness.server().stats().transfersActive == 0u);
}

// Issue 14, finding 4: FILE_OFFER + FILE_CANCEL loops (store writes each) had
// no rate limit and delayed offline messages 1.2 ms -> 1.7 s. Past the burst,
// offers are refused with FILE_REJECT Unavailable before any store work.
BOOST_AUTO_TEST_CASE(file_offers_are_rate_limited_per_session) {
    constexpr TransferId kOffers = 25;
    EngineHarness harness([](server::ServerConfig& c) {
        c.limits.fileOffersPerSecond = 2;
        c.limits.fileOfferBurst = 20;
    });
    Peers p(harness);
    for (TransferId id = 1; id <= kOffers; ++id) {
        p.alice->send(offer(id, 1000), p.bobId);
        p.alice->send(proto::FileCancel{id, FileCancelReason::ByUser, "loop"}, p.bobId);
    }
    // Offers are handled in order: once the last is refused, every refusal is in.
    const auto lastRefused = [&](TransferId id, std::chrono::milliseconds timeout) {
        return p.alice->waitFor<proto::FileReject>(
            timeout, [id](const proto::Header&, const proto::FileReject& r) { return r.transferId == id; });
    };
    const auto last = lastRefused(kOffers, 10s);
    BOOST_REQUIRE(last);
    BOOST_TEST((last->body.reason == FileRejectReason::Unavailable));
    BOOST_TEST(last->header.source == p.bobId);
    BOOST_TEST(!last->body.text.empty());
    TransferId relayed = 0;
    TransferId rejected = 1;
    for (TransferId id = 1; id < kOffers; ++id) {
        if (const auto reject = lastRefused(id, 0ms)) {
            ++rejected;
            BOOST_TEST((reject->body.reason == FileRejectReason::Unavailable));
        } else {
            ++relayed;
            BOOST_TEST(waitFile<proto::FileOffer>(*p.bob, id).has_value());
        }
    }
    // The burst, and at most a token or two refilled while the loop ran.
    BOOST_TEST(relayed >= 20u);
    BOOST_TEST(relayed <= 22u);
    BOOST_TEST(rejected == kOffers - relayed);
    BOOST_TEST(harness.server().stats().transfersActive == 0u);
}

BOOST_AUTO_TEST_CASE(a_side_that_leaves_cancels_the_transfer_toward_the_other) {
    EngineHarness harness;
    Peers p(harness);
    const auto expectPeerGone = [&](TestClient& remaining, TransferId id, proto::UserId left) {
        const auto cancel = waitCancel(remaining, id);
        BOOST_REQUIRE(cancel);
        BOOST_TEST((cancel->body.reason == FileCancelReason::PeerDisconnected));
        BOOST_TEST(cancel->header.source == left);
        BOOST_TEST(waitRow(p.database(), p.aliceId, id,
                           [](const auto& r) { return rowIn(r, db::TransferState::Interrupted); }));
    };

    // The sender goes, mid-transfer.
    p.startTransfer(1, 10'000, 5000);
    p.alice->send(proto::FileChunk{1, 0, std::vector<std::uint8_t>(1000, 1)}, p.bobId);
    BOOST_REQUIRE(waitFile<proto::FileChunk>(*p.bob, 1));
    p.alice->close();
    expectPeerGone(*p.bob, 1, p.aliceId);

    // The receiver goes.
    p.alice = harness.login("alice");
    p.startTransfer(2, 10'000, 5000);
    p.bob->close();
    expectPeerGone(*p.alice, 2, p.bobId);

    // The receiver logs in elsewhere: the old session's transfers end with it.
    p.bob = harness.login("bob");
    p.startTransfer(3, 10'000, 5000);
    auto bobAgain = harness.login("bob");
    expectPeerGone(*p.alice, 3, p.bobId);
    BOOST_TEST(waitUntil([&] { return harness.server().stats().transfersActive == 0; }));
    // The new session can take a re-offer of the same transfer.
    p.alice->send(offer(3, 10'000), p.bobId);
    BOOST_TEST(waitFile<proto::FileOffer>(*bobAgain, 3).has_value());
}

// The receiver grants the whole window and stops reading; the sender fills it.
struct StalledReceiver {
    explicit StalledReceiver(EngineHarness& h) : harness(h), p(h) {
        // One chat round trip: bob is live (not in backlog mode) for chat.
        const auto warmUp = p.alice->sendChat(p.bobId, "warm-up");
        BOOST_REQUIRE(p.bob->waitFor<proto::Chat>(10s));
        p.bob->ackReceived(p.aliceId, warmUp);
        BOOST_REQUIRE(waitAck(*p.alice, proto::AckKind::Delivered, p.bobId, warmUp));

        p.startTransfer(kId, 64 * kMiB, static_cast<std::uint32_t>(proto::kMaxCreditWindow));
        p.bob->pauseReading();
        for (std::uint64_t at = 0; at < proto::kMaxCreditWindow; at += proto::kMaxChunkData)
            p.alice->send(proto::FileChunk{kId, at, pattern(proto::kMaxChunkData, static_cast<std::uint32_t>(at))},
                          p.bobId);
        BOOST_REQUIRE_MESSAGE(
            waitUntil([&] { return harness.server().stats().fileBytesRelayed == proto::kMaxCreditWindow; }),
            "the server did not take the whole window");
    }

    static constexpr TransferId kId = 99;
    static constexpr std::size_t kChunks = proto::kMaxCreditWindow / proto::kMaxChunkData;
    /// FILE_CHUNK frame bytes beyond the data: header and transferId/offset.
    static constexpr std::size_t kFrameOverhead = proto::kHeaderSize + 16;

    EngineHarness& harness;
    Peers p;
};

BOOST_AUTO_TEST_CASE(chat_overtakes_queued_chunks) {
    EngineHarness harness;
    StalledReceiver s(harness);
    Peers& p = s.p;
    // Whatever the socket buffers took, the rest waits in bob's chunk queue.
    std::uint64_t queued = 0;
    BOOST_REQUIRE(waitUntil([&] {
        queued = harness.server().stats().fileBytesQueued;
        return queued > 0;
    }));
    const auto routed = harness.server().stats().messagesRouted;
    const auto chatId = p.alice->sendChat(p.bobId, "still there?");
    BOOST_REQUIRE(waitUntil([&] { return harness.server().stats().messagesRouted > routed; }));
    p.bob->resumeReading();

    BOOST_REQUIRE(waitUntil([&] {
        return harness.server().stats().fileBytesQueued == 0 &&
               p.bob->waitFor<proto::Chat>(
                   0ms, [chatId](const proto::Header& h, const proto::Chat&) { return h.messageId == chatId; });
    }));
    BOOST_REQUIRE(waitUntil([&] {
        const auto all = p.bob->history();
        return std::count_if(all.begin(), all.end(), [](const proto::Message& m) {
                   return std::holds_alternative<proto::FileChunk>(m.body);
               }) == static_cast<std::ptrdiff_t>(StalledReceiver::kChunks);
    }));
    std::uint64_t chunkBytesBeforeChat = 0;
    bool chatSeen = false;
    for (const auto& m : p.bob->history()) {
        if (m.header.messageId == chatId && std::holds_alternative<proto::Chat>(m.body)) {
            chatSeen = true;
            break;
        }
        if (const auto* chunk = std::get_if<proto::FileChunk>(&m.body)) chunkBytesBeforeChat += chunk->data.size();
    }
    BOOST_REQUIRE(chatSeen);
    BOOST_TEST_MESSAGE("queued when the chat came: " << queued
                                                     << " B; chunk bytes ahead of the chat: " << chunkBytesBeforeChat);
    // The chat went out ahead of everything still queued when it came in
    // (give or take what the socket took in between).
    BOOST_TEST(chunkBytesBeforeChat < proto::kMaxCreditWindow);
    BOOST_TEST(chunkBytesBeforeChat <= proto::kMaxCreditWindow - queued + kMiB,
               chunkBytesBeforeChat << " chunk bytes before the chat; " << queued << " were queued");
}

BOOST_AUTO_TEST_CASE(the_server_holds_no_more_than_the_credit_for_a_stalled_receiver) {
    EngineHarness harness;
    StalledReceiver s(harness);
    Peers& p = s.p;
    const auto stats = harness.server().stats();
    BOOST_TEST(stats.fileBytesQueued <=
               proto::kMaxCreditWindow + StalledReceiver::kChunks * StalledReceiver::kFrameOverhead);
    // One byte more than granted is a violation; the queued chunks are dropped.
    p.alice->send(proto::FileChunk{StalledReceiver::kId, proto::kMaxCreditWindow, {1}}, p.bobId);
    const auto cancel = waitCancel(*p.alice, StalledReceiver::kId);
    BOOST_REQUIRE(cancel);
    BOOST_TEST((cancel->body.reason == FileCancelReason::ProtocolViolation));
    BOOST_TEST(waitUntil([&] { return harness.server().stats().fileBytesQueued == 0; }));
    BOOST_TEST(harness.server().stats().transfersActive == 0u);
    // bob, reading again, gets the cancel after whatever had left the queue.
    p.bob->resumeReading();
    BOOST_TEST(waitCancel(*p.bob, StalledReceiver::kId).has_value());
}

BOOST_AUTO_TEST_CASE(rows_cut_by_a_restart_are_interrupted_and_a_re_offer_resumes) {
    TempDir dir("parley-files");
    const std::string database = "sqlite:" + dir.file("parley.db");
    const auto useDatabase = [&database](server::ServerConfig& c) { c.database = database; };
    proto::UserId aliceId = 0;
    proto::UserId bobId = 0;
    const auto sha = digest(42);
    {
        EngineHarness harness(useDatabase);
        Peers p(harness);
        aliceId = p.aliceId;
        bobId = p.bobId;
        p.alice->send(proto::FileOffer{8, "big.iso", 100 * kMiB, sha, proto::kDefaultBlockSize}, p.bobId);
        BOOST_REQUIRE(waitFile<proto::FileOffer>(*p.bob, 8));
        p.bob->send(proto::FileAccept{8, 8 * kMiB}, p.aliceId);
        BOOST_REQUIRE(waitFile<proto::FileAccept>(*p.alice, 8));
        BOOST_REQUIRE(waitRow(database, aliceId, 8, [](const auto& r) {
            return rowIn(r, db::TransferState::InProgress) && r.value.verifiedOffset == 8 * kMiB;
        }));
    }
    // The stop kicked both sides, which marked the row Interrupted. Put it back
    // as a crash would have left it.
    {
        auto store = db::openStore(database);
        BOOST_REQUIRE(store.ok());
        BOOST_TEST(rowIn(store.value->findTransfer(aliceId, 8), db::TransferState::Interrupted));
        BOOST_REQUIRE(store.value->setTransferState(aliceId, 8, db::TransferState::InProgress).ok());
    }
    EngineHarness harness(useDatabase);
    BOOST_TEST(rowIn(row(database, aliceId, 8), db::TransferState::Interrupted));
    BOOST_TEST(harness.log().contains("1 file transfers cut by the restart are marked interrupted"));

    auto alice = harness.login("alice");
    auto bob = harness.login("bob");
    alice->send(proto::FileOffer{8, "big.iso", 100 * kMiB, sha, proto::kDefaultBlockSize}, bobId);
    BOOST_REQUIRE(waitFile<proto::FileOffer>(*bob, 8));
    BOOST_TEST(waitRow(database, aliceId, 8, [](const auto& r) { return rowIn(r, db::TransferState::Offered); }));
    bob->send(proto::FileAccept{8, 12 * kMiB}, aliceId);
    BOOST_REQUIRE(waitFile<proto::FileAccept>(*alice, 8));
    BOOST_TEST(waitRow(database, aliceId, 8, [](const auto& r) {
        return rowIn(r, db::TransferState::InProgress) && r.value.verifiedOffset == 12 * kMiB;
    }));
    BOOST_TEST(waitUntil([&] {
        return harness.log().contains("resuming transfer 8 of user " + std::to_string(aliceId) + " from offset " +
                                      std::to_string(12 * kMiB));
    }));
    // Ending it deletes the row.
    alice->send(proto::FileCancel{8, FileCancelReason::ByUser, ""}, bobId);
    BOOST_REQUIRE(waitCancel(*bob, 8));
    BOOST_TEST(waitRow(database, aliceId, 8, rowGone));
}

BOOST_AUTO_TEST_SUITE_END()
