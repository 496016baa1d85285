// The session's building blocks on their own: MessageIdGenerator,
// DuplicateFilter, Outbox, ContactList.

#include "shared/session/ContactList.h"
#include "shared/session/DuplicateFilter.h"
#include "shared/session/MessageIdGenerator.h"
#include "shared/session/Outbox.h"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace parley;
using namespace parley::session;

BOOST_AUTO_TEST_SUITE(message_id_generator)

BOOST_AUTO_TEST_CASE(ids_follow_the_clock) {
    MessageIdGenerator ids;
    BOOST_TEST(ids.next(1'000) == 1'024'000u);
    BOOST_TEST(ids.next(1'001) == 1'025'024u);
}

BOOST_AUTO_TEST_CASE(ids_increase_within_one_millisecond) {
    MessageIdGenerator ids;
    const MessageId a = ids.next(5'000);
    const MessageId b = ids.next(5'000);
    const MessageId c = ids.next(5'000);
    BOOST_TEST(b == a + 1);
    BOOST_TEST(c == b + 1);
}

BOOST_AUTO_TEST_CASE(ids_stay_monotonic_when_the_clock_goes_backwards) {
    MessageIdGenerator ids;
    MessageId last = ids.next(1'700'000'000'000ULL);
    for (std::uint64_t t : {1'699'999'999'000ULL, 1'000ULL, 0ULL, 1'700'000'000'000ULL, 1'700'000'000'001ULL}) {
        const MessageId id = ids.next(t);
        BOOST_TEST(id > last);
        last = id;
    }
    // Once the clock passes the ids again, they follow it.
    BOOST_TEST(ids.next(1'700'000'001'000ULL) == 1'700'000'001'000ULL * 1024);
}

BOOST_AUTO_TEST_CASE(a_restarted_client_starts_above_its_old_ids) {
    MessageIdGenerator before;
    MessageId last = 0;
    for (int i = 0; i < 1000; ++i) {
        last = before.next(1'700'000'000'000ULL);  // a burst within one millisecond
    }
    MessageIdGenerator after;
    BOOST_TEST(after.next(1'700'000'000'001ULL) > last);
}

BOOST_AUTO_TEST_CASE(observe_raises_the_floor) {
    MessageIdGenerator ids;
    ids.observe(5'000'000'000ULL);
    BOOST_TEST(ids.next(1) == 5'000'000'001ULL);
    ids.observe(10);  // lower: ignored
    BOOST_TEST(ids.last() == 5'000'000'001ULL);
}

BOOST_AUTO_TEST_CASE(absurd_clock_does_not_wrap) {
    MessageIdGenerator ids;
    const MessageId a = ids.next(1'700'000'000'000ULL);
    const MessageId b = ids.next(~std::uint64_t{0} / 2);
    BOOST_TEST(b > a);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(duplicate_filter)

BOOST_AUTO_TEST_CASE(same_sender_and_id_is_a_duplicate) {
    DuplicateFilter filter;
    BOOST_TEST(filter.accept(8, 100));
    BOOST_TEST(!filter.accept(8, 100));
    BOOST_TEST(filter.accept(9, 100));
    BOOST_TEST(filter.accept(8, 101));
    BOOST_TEST(filter.senders() == 2u);
}

BOOST_AUTO_TEST_CASE(a_lower_new_id_inside_the_window_is_accepted) {
    // A sender that moved to a device whose clock is behind.
    DuplicateFilter filter(4);
    BOOST_TEST(filter.accept(8, 1000));
    BOOST_TEST(filter.accept(8, 1001));
    BOOST_TEST(filter.accept(8, 900));
    BOOST_TEST(!filter.accept(8, 900));
    BOOST_TEST(!filter.accept(8, 1000));
}

BOOST_AUTO_TEST_CASE(ids_below_the_window_count_as_seen) {
    DuplicateFilter filter(3);
    for (MessageId id = 1; id <= 10; ++id) {
        BOOST_TEST(filter.accept(8, id));
    }
    // A re-delivered backlog longer than the window: every old id is caught.
    for (MessageId id = 1; id <= 10; ++id) {
        BOOST_TEST(!filter.accept(8, id), "id " << id);
    }
    BOOST_TEST(filter.accept(8, 11));
}

BOOST_AUTO_TEST_CASE(memory_per_sender_is_bounded) {
    // Indirect: after many ids the oldest are rejected by the floor, not
    // remembered individually; a lower id between floor and window is new.
    DuplicateFilter filter(2);
    BOOST_TEST(filter.accept(8, 10));
    BOOST_TEST(filter.accept(8, 20));
    BOOST_TEST(filter.accept(8, 30));  // 10 falls out: floor 10
    BOOST_TEST(filter.accept(8, 15));  // above the floor, not seen: new
    BOOST_TEST(!filter.accept(8, 10));
    filter.clear();
    BOOST_TEST(filter.accept(8, 10));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(outbox)

OutgoingMessage chatTo(UserId peer, MessageId id) {
    OutgoingMessage m;
    m.peer = peer;
    m.id = id;
    m.text = "t";
    return m;
}

BOOST_AUTO_TEST_CASE(received_acks_are_ignored) {
    Outbox box;
    box.add(chatTo(8, 1));
    BOOST_TEST(box.acknowledge(8, proto::AckKind::Received, 1).empty());
    BOOST_TEST(box.size() == 1u);
}

BOOST_AUTO_TEST_CASE(state_changes_come_in_send_order) {
    Outbox box;
    box.add(chatTo(8, 1));
    box.add(chatTo(9, 2));
    box.add(chatTo(8, 3));
    const std::vector<MessageStateChange> changes = box.acknowledge(8, proto::AckKind::Delivered, 3);
    const std::vector<MessageStateChange> expected = {{8, 1, MessageState::Delivered}, {8, 3, MessageState::Delivered}};
    BOOST_TEST((changes == expected));
    BOOST_TEST(box.size() == 1u);
    BOOST_TEST(box.pendingFor(9) == 1u);
}

BOOST_AUTO_TEST_CASE(a_refused_message_leaves_the_outbox) {
    Outbox box;
    box.add(chatTo(8, 1));
    box.add(chatTo(9, 2));
    const std::vector<MessageStateChange> expected = {{9, 2, MessageState::Refused}};
    BOOST_TEST((box.refuse(2) == expected));
    BOOST_TEST(box.refuse(2).empty());
    BOOST_TEST(box.size() == 1u);
    BOOST_TEST(box.pendingFor(8) == 1u);
}

BOOST_AUTO_TEST_CASE(stored_and_broadcast_acknowledge_exactly_one_message) {
    Outbox box;
    box.add(chatTo(8, 1));
    box.add(chatTo(8, 3));
    const std::vector<MessageStateChange> changes = box.acknowledge(8, proto::AckKind::Stored, 3);
    const std::vector<MessageStateChange> expected = {{8, 3, MessageState::Stored}};
    BOOST_TEST((changes == expected));
    BOOST_TEST(box.pendingFor(8) == 1u);  // message 1 may not be durable yet
    BOOST_TEST(box.awaitingDelivery() == 1u);
    BOOST_TEST(box.acknowledge(8, proto::AckKind::Stored, 2).empty());
}

BOOST_AUTO_TEST_CASE(awaiting_delivery_is_bounded_per_peer) {
    Outbox box;
    const MessageId count = Outbox::kMaxAwaitingDelivery + 10;
    for (MessageId id = 1; id <= count; ++id) {
        box.add(chatTo(8, id));
    }
    for (MessageId id = 1; id <= count; ++id) {
        BOOST_TEST(box.acknowledge(8, proto::AckKind::Stored, id).size() == 1u);
    }
    BOOST_TEST(box.awaitingDelivery() == Outbox::kMaxAwaitingDelivery);
    // The oldest lost their Delivered report, the rest get it.
    BOOST_TEST(box.acknowledge(8, proto::AckKind::Delivered, count).size() == Outbox::kMaxAwaitingDelivery);
}

BOOST_AUTO_TEST_CASE(transmitted_marks) {
    Outbox box;
    box.add(chatTo(8, 1));
    BOOST_TEST(!box.pending().front().transmitted);
    box.markAllTransmitted();
    BOOST_TEST(box.pending().front().transmitted);
    const std::vector<MessageStateChange> abandoned = box.abandonAll();
    BOOST_TEST(abandoned.size() == 1u);
    BOOST_TEST(box.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(contact_list)

BOOST_AUTO_TEST_CASE(lookups) {
    ContactList list;
    list.replace({proto::Contact{8, proto::PresenceState::Online, "bob", "Bob"},
                  proto::Contact{9, proto::PresenceState::Offline, "carol", "Carol"}});
    BOOST_TEST(list.size() == 2u);
    BOOST_TEST(list.onlineCount() == 1u);
    BOOST_TEST_REQUIRE(list.find(9) != nullptr);
    BOOST_TEST(list.find(9)->username == "carol");
    BOOST_TEST(list.find(10) == nullptr);
    BOOST_TEST_REQUIRE(list.findByUsername("bob") != nullptr);
    BOOST_TEST(list.findByUsername("bob")->userId == 8u);
    BOOST_TEST(list.findByUsername("Bob") == nullptr);
    list.upsert(proto::Contact{9, proto::PresenceState::Online, "carol", "Carol"});
    BOOST_TEST(list.onlineCount() == 2u);
    std::vector<UserId> ids;
    for (const auto& entry : list) {
        ids.push_back(entry.first);
    }
    BOOST_TEST(ids == (std::vector<UserId>{8, 9}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
