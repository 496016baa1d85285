// ForwardedChats: what a node keeps of the CHATs it forwarded until the recipient's node
// answers: DELIVERED up to an id, STORED for one id, for that sender only; the rest goes
// back to be stored, in the order sent, after the timeout or when its node dies, or all
// of it when the link dropped; a full table refuses (the engine stores those instead).
#include "server-gui/cluster/ForwardedChats.h"
#include "shared/proto/Codec.h"
#include "shared/proto/Messages.h"

#include <boost/test/unit_test.hpp>

using namespace parley;
using cluster::ForwardedChats;

namespace {

constexpr proto::UserId kAlice = 1, kBob = 2, kCarol = 3;

std::string frameOf(const proto::Header& header, const proto::Body& body) {
    const std::vector<std::uint8_t> bytes = proto::encode(header, body);
    return std::string(bytes.begin(), bytes.end());
}

std::string chat(proto::UserId from, proto::UserId to, proto::MessageId id) {
    proto::Header header;
    header.source = from;
    header.destination = to;
    header.messageId = id;
    proto::Chat body;
    body.text = "m" + std::to_string(id);
    return frameOf(header, body);
}

/// The ACK `recipient`'s node sends `sender`.
std::string ack(proto::AckKind kind, proto::UserId recipient, proto::UserId sender, proto::MessageId upTo) {
    proto::Header header;
    header.source = recipient;
    header.destination = sender;
    return frameOf(header, proto::Ack{kind, upTo});
}

const auto everyoneAlive = [](const std::string&) { return true; };

}  // namespace

BOOST_AUTO_TEST_SUITE(forwarded_chats)

BOOST_AUTO_TEST_CASE(delivered_and_stored_answer_for_their_pair_only) {
    ForwardedChats kept(100);
    for (proto::MessageId id = 1; id <= 4; ++id) BOOST_TEST(kept.add(kBob, "b", chat(kAlice, kBob, id), 0));
    BOOST_TEST(kept.add(kBob, "b", chat(kCarol, kBob, 2), 0));
    BOOST_TEST(kept.size() == 5u);
    kept.answered(ack(proto::AckKind::Delivered, kBob, kAlice, 2));  // alice's 1 and 2
    BOOST_TEST(kept.size() == 3u);
    kept.answered(ack(proto::AckKind::Stored, kBob, kAlice, 4));  // that one only
    BOOST_TEST(kept.size() == 2u);
    kept.answered(ack(proto::AckKind::Read, kBob, kCarol, 9));         // not an answer
    kept.answered(ack(proto::AckKind::Delivered, kCarol, kAlice, 9));  // another recipient
    kept.answered(chat(kBob, kAlice, 2));                              // not an ACK
    BOOST_TEST(kept.size() == 2u);
    const auto left = kept.takeAll();
    BOOST_REQUIRE(left.size() == 2u);
    BOOST_TEST(left[0] == chat(kAlice, kBob, 3));
    BOOST_TEST(left[1] == chat(kCarol, kBob, 2));
    BOOST_TEST(kept.size() == 0u);
}

BOOST_AUTO_TEST_CASE(unanswered_ones_come_back_in_order_after_the_timeout_or_their_nodes_death) {
    ForwardedChats kept(100);
    kept.add(kBob, "b", chat(kAlice, kBob, 1), 1'000);
    kept.add(kBob, "b", chat(kAlice, kBob, 2), 3'000);
    kept.add(kCarol, "c", chat(kAlice, kCarol, 1), 3'000);
    BOOST_TEST(kept.takeUnanswered(5'999, 5'000, everyoneAlive).empty());
    const auto late = kept.takeUnanswered(6'000, 5'000, everyoneAlive);
    BOOST_REQUIRE(late.size() == 1u);
    BOOST_TEST(late[0] == chat(kAlice, kBob, 1));
    // c dies: what went there comes back at once.
    const auto orphaned = kept.takeUnanswered(6'100, 5'000, [](const std::string& node) { return node != "c"; });
    BOOST_REQUIRE(orphaned.size() == 1u);
    BOOST_TEST(orphaned[0] == chat(kAlice, kCarol, 1));
    BOOST_TEST(kept.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_full_table_refuses_and_a_send_that_failed_is_forgotten) {
    ForwardedChats kept(2);
    BOOST_TEST(kept.add(kBob, "b", chat(kAlice, kBob, 1), 0));
    BOOST_TEST(kept.add(kBob, "b", chat(kAlice, kBob, 2), 0));
    BOOST_TEST(!kept.add(kBob, "b", chat(kAlice, kBob, 3), 0));
    kept.dropLast(kBob);
    BOOST_TEST(kept.size() == 1u);
    BOOST_TEST(kept.takeAll() == std::vector<std::string>{chat(kAlice, kBob, 1)});
    BOOST_TEST(!kept.add(kBob, "b", "short", 0));  // not a frame
}

BOOST_AUTO_TEST_SUITE_END()
