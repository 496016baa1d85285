// The recipient's half of delivery, without sockets: what a session has sent
// and not had acknowledged, what an ACK confirms, what a closing session hands
// to the store, and when it may fetch its backlog.
#include "server-gui/engine/Inbox.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <tuple>
#include <vector>

using parley::server::Inbox;
using parley::proto::MessageId;
using parley::proto::UserId;

namespace {
constexpr UserId kAlice = 3;
constexpr UserId kCarol = 5;

std::string frameOf(UserId sender, MessageId id) {
    return "frame " + std::to_string(sender) + "/" + std::to_string(id);
}

using Handed = std::vector<std::tuple<UserId, MessageId, std::string>>;

Handed handOff(Inbox& inbox) {
    Handed handed;
    inbox.handOff(
        [&](UserId from, MessageId id, std::string_view frame) { handed.emplace_back(from, id, std::string(frame)); });
    return handed;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(inbox)

BOOST_AUTO_TEST_CASE(an_ack_confirms_each_live_message_once) {
    Inbox inbox;
    for (MessageId id = 1; id <= 5; ++id) BOOST_TEST(!inbox.sentLive(kAlice, id, frameOf(kAlice, id)));
    BOOST_TEST(inbox.inFlight() == 5u);

    const Inbox::Confirmed first = inbox.acknowledge(kAlice, 3);
    BOOST_TEST(first.live == 3u);
    BOOST_TEST(first.fromStore == 0u);
    BOOST_TEST(inbox.inFlight() == 2u);
    // Repeated, invented (another sender) and older ACKs confirm nothing.
    BOOST_TEST(inbox.acknowledge(kAlice, 3).total() == 0u);
    BOOST_TEST(inbox.acknowledge(kAlice, 2).total() == 0u);
    BOOST_TEST(inbox.acknowledge(kCarol, 100).total() == 0u);
    BOOST_TEST(inbox.acknowledge(kAlice, 5).live == 2u);
    BOOST_TEST(inbox.inFlight() == 0u);
}

BOOST_AUTO_TEST_CASE(an_ack_to_an_inbox_that_never_held_a_message_confirms_nothing) {
    Inbox inbox;
    BOOST_TEST(inbox.acknowledge(kAlice, ~MessageId{0}).total() == 0u);
    BOOST_TEST(inbox.inFlight() == 0u);
    BOOST_TEST(inbox.backlogOutstanding() == 0u);
    BOOST_TEST(handOff(inbox).empty());
}

BOOST_AUTO_TEST_CASE(stored_and_live_messages_are_counted_apart) {
    Inbox inbox;
    inbox.sentFromStore(kAlice, 1);
    inbox.sentFromStore(kAlice, 2);
    inbox.sentLive(kAlice, 3, frameOf(kAlice, 3));
    inbox.sentFromStore(kCarol, 9);
    BOOST_TEST(inbox.backlogOutstanding() == 3u);
    BOOST_TEST(inbox.inFlight() == 1u);

    const Inbox::Confirmed confirmed = inbox.acknowledge(kAlice, 3);
    BOOST_TEST(confirmed.fromStore == 2u);  // these rows are deleted from the store
    BOOST_TEST(confirmed.live == 1u);
    BOOST_TEST(inbox.backlogOutstanding() == 1u);  // carol's
    BOOST_TEST(inbox.acknowledge(kCarol, 9).fromStore == 1u);
    BOOST_TEST(inbox.backlogOutstanding() == 0u);
}

BOOST_AUTO_TEST_CASE(a_resent_id_behind_a_newer_one_is_confirmed_too) {
    // A sender that reconnected re-sends from its outbox: ids no longer grow.
    Inbox inbox;
    inbox.sentLive(kAlice, 7, frameOf(kAlice, 7));
    inbox.sentLive(kAlice, 4, frameOf(kAlice, 4));
    BOOST_TEST(inbox.acknowledge(kAlice, 5).live == 1u);
    const Handed left = handOff(inbox);
    BOOST_REQUIRE(left.size() == 1u);
    BOOST_TEST(std::get<1>(left[0]) == 7u);
}

BOOST_AUTO_TEST_CASE(a_closing_session_hands_off_every_unacknowledged_live_frame_in_order) {
    Inbox inbox;
    for (MessageId id = 1; id <= 4; ++id) inbox.sentLive(kAlice, id, frameOf(kAlice, id));
    inbox.sentLive(kCarol, 1, frameOf(kCarol, 1));
    inbox.sentFromStore(kCarol, 0);  // still in the store: not handed off again
    inbox.acknowledge(kAlice, 2);

    Handed handed = handOff(inbox);
    BOOST_TEST(handed.size() == 3u);
    Handed alices;
    for (const auto& h : handed)
        if (std::get<0>(h) == kAlice) alices.push_back(h);
    BOOST_REQUIRE(alices.size() == 2u);
    BOOST_TEST(std::get<1>(alices[0]) == 3u);
    BOOST_TEST(std::get<2>(alices[0]) == frameOf(kAlice, 3));  // the frame bytes as sent
    BOOST_TEST(std::get<1>(alices[1]) == 4u);
    BOOST_TEST(inbox.inFlight() == 0u);
    BOOST_TEST(handOff(inbox).empty());  // handed off once
}

BOOST_AUTO_TEST_CASE(more_than_the_in_flight_limit_congests_once_and_half_of_it_decongests) {
    Inbox inbox;
    for (MessageId id = 1; id <= Inbox::kMaxInFlight; ++id) BOOST_TEST_REQUIRE(!inbox.sentLive(kAlice, id, "x"));
    BOOST_TEST(inbox.sentLive(kAlice, Inbox::kMaxInFlight + 1, "x"));  // this one crosses the limit
    inbox.setCongested(true);
    BOOST_TEST(!inbox.sentLive(kAlice, Inbox::kMaxInFlight + 2, "x"));  // already congested: said once
    BOOST_TEST(!inbox.mayDecongest());
    inbox.acknowledge(kAlice, Inbox::kMaxInFlight / 2);
    BOOST_TEST(!inbox.mayDecongest());  // 2,050 left: more than half
    inbox.acknowledge(kAlice, Inbox::kMaxInFlight / 2 + 2);
    BOOST_TEST(inbox.mayDecongest());
    inbox.setCongested(false);
    BOOST_TEST(!inbox.mayDecongest());  // not congested: nothing to end
}

BOOST_AUTO_TEST_CASE(a_fetch_waits_for_the_running_one_the_sent_page_and_the_congestion) {
    Inbox inbox;
    BOOST_TEST(inbox.requestFetch());
    inbox.fetchStarted();
    BOOST_TEST(!inbox.requestFetch());  // one at a time
    BOOST_TEST(inbox.wantsFetch());
    inbox.fetchEnded();

    inbox.sentFromStore(kAlice, 1);     // the page that came back
    BOOST_TEST(!inbox.requestFetch());  // not before it is acknowledged
    inbox.acknowledge(kAlice, 1);
    BOOST_TEST(inbox.requestFetch());
    inbox.fetchStarted();
    BOOST_TEST(!inbox.wantsFetch());
    inbox.fetchEnded();

    inbox.setCongested(true);
    BOOST_TEST(!inbox.requestFetch());
    BOOST_TEST(inbox.wantsFetch());  // remembered for when the congestion ends
    inbox.setCongested(false);
    BOOST_TEST(inbox.requestFetch());
}

BOOST_AUTO_TEST_CASE(an_idle_inbox_is_a_pointer_and_a_few_flags) {
    // Every connected user has one: 10,000 idle users must not pay for the maps.
    BOOST_TEST(sizeof(Inbox) <= 2 * sizeof(void*));
}

BOOST_AUTO_TEST_SUITE_END()
