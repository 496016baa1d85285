// The client rules that used to live in parley-cli and now live in the session
// core (docs/protocol.md "Client rules"): the reconnect Backoff, "ready once the
// contact list arrived" with the messages held back until then, the outbox a host
// persists and restores, the re-send after ServerUnavailable, and splitText().

#include "shared/proto/Utf8.h"
#include "shared/session/Backoff.h"
#include "shared/session/TextSplit.h"
#include "tests/shared/session/SessionHarness.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace parley;
using namespace parley::session;
using namespace parley::session::test;

namespace {

/// A random source that yields `values` in turn, then repeats the last.
Backoff::RandomSource sequence(std::vector<std::uint32_t> values) {
    return [values, i = std::size_t{0}]() mutable {
        const std::uint32_t v = values[std::min(i, values.size() - 1)];
        ++i;
        return v;
    };
}

/// The CHATs in `out` as "CHAT <dest> <id> [resent]".
Strings chats(const std::vector<proto::Message>& out) {
    Strings lines;
    for (const proto::Message& m : out) {
        if (std::holds_alternative<proto::Chat>(m.body)) {
            lines.push_back("CHAT " + std::to_string(m.header.destination) + " " + std::to_string(m.header.messageId) +
                            ((m.header.flags & proto::flags::kResent) != 0 ? " resent" : ""));
        }
    }
    return lines;
}

/// The ACKs in `out` as "ACK <dest> <kind> <upTo>".
Strings acks(const std::vector<proto::Message>& out) {
    Strings lines;
    for (const proto::Message& m : out) {
        if (const auto* ack = std::get_if<proto::Ack>(&m.body)) {
            lines.push_back("ACK " + std::to_string(m.header.destination) + " " + proto::toString(ack->kind) + " " +
                            std::to_string(ack->upTo));
        }
    }
    return lines;
}

proto::Error unavailable() {
    return proto::Error{proto::ErrorCode::ServerUnavailable, static_cast<std::uint8_t>(proto::MessageType::Chat),
                        "database down"};
}

}  // namespace

// ---- Backoff ----------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(backoff)

BOOST_AUTO_TEST_CASE(doubles_from_first_to_max_and_resets) {
    // random 0: the lowest delay of each step, base / 2.
    Backoff low(1000, 30000, sequence({0}));
    std::vector<std::uint64_t> delays;
    for (int i = 0; i < 7; ++i) {
        delays.push_back(low.nextDelayMs());
    }
    BOOST_TEST(delays == (std::vector<std::uint64_t>{500, 1000, 2000, 4000, 8000, 15000, 15000}),
               boost::test_tools::per_element());
    low.reset();
    BOOST_TEST(low.nextDelayMs() == 500u);
}

BOOST_AUTO_TEST_CASE(jitter_stays_within_half_and_whole_base) {
    // random = base / 2 (mod base / 2 + 1): the highest delay of each step, base.
    Backoff high(1000, 30000, sequence({500, 1000, 2000, 4000, 8000, 15000, 15000}));
    std::vector<std::uint64_t> delays;
    for (int i = 0; i < 7; ++i) {
        delays.push_back(high.nextDelayMs());
    }
    BOOST_TEST(delays == (std::vector<std::uint64_t>{1000, 2000, 4000, 8000, 16000, 30000, 30000}),
               boost::test_tools::per_element());

    Backoff real;  // the default random source
    for (int i = 0; i < 20; ++i) {
        const std::uint64_t d = real.nextDelayMs();
        BOOST_TEST(d >= 500u);
        BOOST_TEST(d <= 30000u);
    }
}

BOOST_AUTO_TEST_SUITE_END()

// ---- splitText ------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(split_text)

BOOST_AUTO_TEST_CASE(short_text_is_one_part_and_empty_none) {
    BOOST_TEST(splitText("hello", 16) == (Strings{"hello"}), boost::test_tools::per_element());
    BOOST_TEST(splitText("", 16).empty());
}

BOOST_AUTO_TEST_CASE(cuts_between_characters_never_inside_and_loses_nothing) {
    // "ü" is two bytes and "€" three: a cut at any byte count must not split them.
    std::string text;
    for (int i = 0; i < 50; ++i) {
        text += "ü€a";
    }
    for (std::size_t max = 4; max <= 20; ++max) {
        const Strings parts = splitText(text, max);
        std::string joined;
        for (const std::string& part : parts) {
            BOOST_TEST(part.size() <= max);
            BOOST_TEST(proto::isValidUtf8(part.data(), part.size()));
            joined += part;
        }
        BOOST_TEST(joined == text);
    }
}

BOOST_AUTO_TEST_CASE(prefers_a_space_or_line_break) {
    const Strings parts = splitText("aaaa bbbb\ncccc", 8);
    BOOST_TEST(parts == (Strings{"aaaa ", "bbbb\n", "cccc"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

// ---- the session ----------------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(client_session_rules, SessionFixture)

BOOST_AUTO_TEST_CASE(ready_after_the_contact_list_with_chats_held_back_and_acked_then) {
    session.login("alice", "correct horse");
    open();
    read();
    acceptLogin();
    BOOST_TEST(!session.isReady());
    listener.take();
    read();

    // A chat before the contact list: not reported, not acknowledged yet.
    deliver(kBob, 100, chat("early"));
    BOOST_TEST(listener.take().empty());
    BOOST_TEST(acks(read()).empty());

    sendContacts({contact(kBob, "bob")});
    BOOST_TEST(session.isReady());
    BOOST_TEST(listener.take() == (Strings{"contacts 1", "ready first", "chat 8 100 42 early"}),
               boost::test_tools::per_element());
    BOOST_TEST(acks(read()) == (Strings{"ACK 8 Received 100"}), boost::test_tools::per_element());

    // After a reconnect: ready again, not first.
    close();
    open();
    read();
    acceptLogin();
    sendContacts({contact(kBob, "bob")});
    const Strings events = listener.take();
    BOOST_TEST((std::find(events.begin(), events.end(), "ready again") != events.end()));
}

BOOST_AUTO_TEST_CASE(held_chats_lost_with_the_connection_come_again_and_are_reported) {
    session.login("alice", "correct horse");
    open();
    read();
    acceptLogin();
    deliver(kBob, 100, chat("early"));
    close();  // before the contact list: never acknowledged
    listener.take();

    open();
    read();
    acceptLogin();
    deliver(kBob, 100, chat("early"));  // the server delivers it again
    sendContacts();
    const Strings events = listener.take();
    BOOST_TEST((std::count(events.begin(), events.end(), "chat 8 100 42 early") == 1));
    BOOST_TEST(acks(read()) == (Strings{"ACK 8 Received 100"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_rejected_read_is_not_acknowledged_and_reported_again_on_redelivery) {
    // The host's store failed: it rejects the read and closes; the server re-delivers.
    loginAsAlice();
    std::vector<std::uint8_t> bytes = ScriptedServer::frame(kBob, 100, chat("one"));
    append(bytes, ScriptedServer::frame(kBob, 101, chat("two")));
    deliver(bytes);
    BOOST_TEST(listener.take().size() == 2u);
    session.rejectLastReceive();
    BOOST_TEST(acks(read()).empty());
    close();

    open();
    read();
    acceptLogin();
    sendContacts();
    listener.take();
    deliver(bytes);
    BOOST_TEST(listener.take() == (Strings{"chat 8 100 42 one", "chat 8 101 42 two"}),
               boost::test_tools::per_element());
    BOOST_TEST(acks(read()) == (Strings{"ACK 8 Received 101"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(forgetting_below_the_floor_lowers_it) {
    DuplicateFilter filter(2);
    for (MessageId id = 1; id <= 4; ++id) {
        BOOST_TEST(filter.accept(kBob, id));
    }
    filter.forget(kBob, 4);  // in the window
    BOOST_TEST(filter.accept(kBob, 4));
    filter.forget(kBob, 2);  // below the floor
    BOOST_TEST(filter.accept(kBob, 2));
    BOOST_TEST(!filter.accept(kBob, 1));
}

BOOST_AUTO_TEST_CASE(queued_messages_are_reported_before_they_are_written) {
    loginAsAlice();
    const SendResult sent = session.sendChat(kBob, "persist me", wall);
    BOOST_TEST_REQUIRE(listener.queued.size() == 1u);
    BOOST_TEST(listener.queued[0].id == sent.id);
    BOOST_TEST(listener.queued[0].peer == kBob);
    BOOST_TEST(listener.queued[0].text == "persist me");
    BOOST_TEST(!listener.queued[0].transmitted);
}

BOOST_AUTO_TEST_CASE(a_restored_outbox_goes_out_once_after_login_marked_resent) {
    OutgoingMessage first;
    first.peer = kBob;
    first.id = 2000;
    first.text = "written before the crash";
    OutgoingMessage second = first;
    second.id = 3000;
    second.text = "and this one";
    BOOST_TEST(session.restoreOutbox({second, first, first}));  // any order, a duplicate
    BOOST_TEST(session.outboxSize() == 2u);
    BOOST_TEST(!session.restoreOutbox({first}));  // only into an empty outbox

    session.login("alice", "correct horse");
    open();
    read();
    acceptLogin();
    BOOST_TEST(chats(read()) == (Strings{"CHAT 8 2000 resent", "CHAT 8 3000 resent"}),
               boost::test_tools::per_element());
    // New ids continue above the restored ones.
    BOOST_TEST(session.sendChat(kBob, "new", 1).id == 3001u);

    deliver(kBob, 0, ack(proto::AckKind::Delivered, 3001));
    BOOST_TEST(session.outboxSize() == 0u);
}

BOOST_AUTO_TEST_CASE(server_unavailable_is_resent_after_the_backoff_on_the_same_connection) {
    session.setRetryBackoff(Backoff(2000, 30000, sequence({0})));  // random 0: base / 2, so exactly 1 s, then 2 s
    loginAsAlice();
    const MessageId id = session.sendChat(kBob, "while the database is down", wall).id;
    read();

    deliver(0, id, unavailable());
    BOOST_TEST(listener.take() == (Strings{"server-error ServerUnavailable database down"}),
               boost::test_tools::per_element());
    BOOST_TEST(session.outboxSize() == 1u);  // not refused: kept
    BOOST_TEST(session.nextRetryMs() == now + 1000);

    now += 999;
    session.tick(now);
    BOOST_TEST(chats(read()).empty());
    now += 1;
    session.tick(now);
    BOOST_TEST(chats(read()) == (Strings{"CHAT 8 " + std::to_string(id) + " resent"}),
               boost::test_tools::per_element());

    // Refused again: the next delay doubles.
    deliver(0, id, unavailable());
    BOOST_TEST(session.nextRetryMs() == now + 2000);
    now += 2000;
    session.tick(now);
    BOOST_TEST(chats(read()).size() == 1u);

    deliver(kBob, 0, ack(proto::AckKind::Stored, id));
    BOOST_TEST(listener.take().back() == "msg 8 " + std::to_string(id) + " Stored");
    BOOST_TEST(session.outboxSize() == 0u);
    BOOST_TEST(session.nextRetryMs() == 0u);
}

BOOST_AUTO_TEST_CASE(a_resent_message_reaches_the_receiver_once) {
    // alice's session re-sends after ServerUnavailable; should both copies reach bob
    // (the server stored the first after all), bob's session reports it once.
    session.setRetryBackoff(Backoff(2000, 30000, sequence({0})));
    loginAsAlice();
    const MessageId id = session.sendChat(kBob, "exactly once", wall).id;
    std::vector<proto::Message> copies = read();
    deliver(0, id, unavailable());
    now += 1000;
    session.tick(now);
    for (proto::Message& resent : read()) {
        copies.push_back(std::move(resent));
    }
    BOOST_TEST_REQUIRE(copies.size() == 2u);

    RecordingListener bobEvents;
    ClientSession bob(bobEvents);
    bob.login("bob", "correct horse");
    bob.connectionOpened(now);
    std::vector<std::uint8_t> bytes =
        ScriptedServer::frame(0, 0, proto::LoginResult{proto::AuthStatus::Ok, kBob, 0, "Bob", ""});
    append(bytes, ScriptedServer::frame(0, 0, proto::Contacts{true, {}}));
    for (const proto::Message& copy : copies) {
        append(bytes, ScriptedServer::frame(kAlice, copy.header.messageId, copy.body, kBob, copy.header.flags));
    }
    bob.receive(bytes.data(), bytes.size(), now);
    const Strings events = bobEvents.take();
    BOOST_TEST(std::count_if(events.begin(), events.end(),
                             [](const std::string& e) { return e.rfind("chat 7 ", 0) == 0; }) == 1);
}

BOOST_AUTO_TEST_CASE(a_message_waiting_for_its_retry_is_not_covered_by_a_later_delivered) {
    session.setRetryBackoff(Backoff(2000, 30000, sequence({0})));
    loginAsAlice();
    const MessageId first = session.sendChat(kBob, "one", wall).id;
    const MessageId second = session.sendChat(kBob, "two", wall).id;
    read();
    deliver(0, first, unavailable());
    // The peer acknowledged up to the second message: the first never reached it.
    deliver(kBob, 0, ack(proto::AckKind::Delivered, second));
    BOOST_TEST(session.outboxSize() == 1u);
    now += 1000;
    session.tick(now);
    BOOST_TEST(chats(read()) == (Strings{"CHAT 8 " + std::to_string(first) + " resent"}),
               boost::test_tools::per_element());
    deliver(kBob, 0, ack(proto::AckKind::Delivered, first));
    BOOST_TEST(session.outboxSize() == 0u);
}

BOOST_AUTO_TEST_CASE(a_reconnect_resends_a_waiting_retry_once_in_the_login_flush) {
    session.setRetryBackoff(Backoff(2000, 30000, sequence({0})));
    loginAsAlice();
    const MessageId id = session.sendChat(kBob, "x", wall).id;
    read();
    deliver(0, id, unavailable());
    close();
    open();
    read();
    acceptLogin();
    sendContacts();
    BOOST_TEST(chats(read()).size() == 1u);
    BOOST_TEST(session.nextRetryMs() == 0u);
    now += 5000;
    session.tick(now);
    BOOST_TEST(chats(read()).empty());  // no second copy from the old timer
}

BOOST_AUTO_TEST_SUITE_END()
