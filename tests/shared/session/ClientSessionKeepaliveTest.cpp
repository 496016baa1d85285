// Keepalive: PING after kPingIntervalMs without sending, dead after kDeadAfterMs
// without receiving. Time is fed in; nothing sleeps.

#include "tests/shared/session/SessionHarness.h"

#include <boost/test/unit_test.hpp>

using namespace parley;
using namespace parley::session;
using namespace parley::session::test;

BOOST_FIXTURE_TEST_SUITE(client_session_keepalive, SessionFixture)

BOOST_AUTO_TEST_CASE(ping_after_fifteen_seconds_of_silence_and_not_before) {
    loginAsAlice();
    const std::uint64_t start = now;
    session.tick(start + kPingIntervalMs - 1);
    BOOST_TEST(!session.hasOutput());

    session.tick(start + kPingIntervalMs);
    const auto first = read();
    BOOST_TEST(typeNames(first) == Strings{"PING"}, boost::test_tools::per_element());
    BOOST_TEST(first[0].header.destination == proto::kServerId);

    // No second PING within the next interval.
    session.tick(start + kPingIntervalMs + 1'000);
    session.tick(start + 2 * kPingIntervalMs - 1);
    BOOST_TEST(!session.hasOutput());
    session.tick(start + 2 * kPingIntervalMs);
    const auto second = read();
    BOOST_TEST(typeNames(second) == Strings{"PING"}, boost::test_tools::per_element());
    BOOST_TEST(second[0].header.messageId != first[0].header.messageId);
    BOOST_TEST(listener.take().empty());
}

// The server cuts a connection it has not heard from for 60 s: a client that only
// receives (a stream of PRESENCE, say) still PINGs every 15 s. Its own frames
// postpone the PING; anything from the server, even half a frame, postpones "dead".
BOOST_AUTO_TEST_CASE(the_ping_follows_what_the_client_sent_not_what_it_received) {
    loginAsAlice();
    const std::uint64_t start = now;
    for (now = start + 1'000; now < start + 4 * kPingIntervalMs; now += 1'000) {
        deliver(0, 0, proto::Presence{contact(kBob, "bob")});
        session.tick(now);
    }
    std::size_t pings = 0;
    for (const auto& frame : read())
        pings += frame.header.type == static_cast<std::uint8_t>(proto::MessageType::Ping) ? 1 : 0;
    BOOST_TEST(pings == 3u);                       // at 15, 30 and 45 s, though the server never fell silent
    BOOST_TEST(listener.take().empty() == false);  // the presence events, not "dead"

    // A CHAT sent counts as speaking: no PING for the next interval (from the time
    // the session last heard of, a tick's or a receive's).
    const std::uint64_t sent = now;
    session.tick(sent);
    session.sendChat(kBob, "still here", sent);
    read();
    session.tick(sent + kPingIntervalMs - 1);
    BOOST_TEST(!session.hasOutput());
    session.tick(sent + kPingIntervalMs);
    BOOST_TEST(typeNames(read()) == Strings{"PING"}, boost::test_tools::per_element());

    // Even a partial frame from the server is life: not dead while it trickles.
    const auto frame = ScriptedServer::frame(kBob, 1, chat("slow"));
    now = sent + kDeadAfterMs - 1;
    session.receive(frame.data(), 5, now);
    session.tick(sent + kDeadAfterMs);
    BOOST_TEST(listener.take().empty());
}

BOOST_AUTO_TEST_CASE(silent_connection_is_reported_dead_once) {
    loginAsAlice();
    const std::uint64_t start = now;
    for (std::uint64_t t = start; t < start + kDeadAfterMs; t += 1'000) {
        session.tick(t);
    }
    BOOST_TEST(typeNames(read()) == (Strings{"PING", "PING"}), boost::test_tools::per_element());
    BOOST_TEST(listener.take().empty());

    session.tick(start + kDeadAfterMs);
    BOOST_TEST(listener.take() == Strings{"dead"}, boost::test_tools::per_element());
    session.tick(start + kDeadAfterMs + 1'000);
    session.tick(start + 2 * kDeadAfterMs);
    BOOST_TEST(listener.take().empty());
    BOOST_TEST(!session.hasOutput());

    // Input that straggles in before the host closes is ignored.
    now = start + kDeadAfterMs + 10;
    deliver(kBob, 1, chat("too late"));
    BOOST_TEST(listener.take().empty());

    // The host closes and reconnects: the keepalive starts over.
    BOOST_TEST(session.shouldReconnect());
    close();
    now = start + 100'000;
    open();
    read();
    acceptLogin();
    session.tick(now + kPingIntervalMs);
    BOOST_TEST(typeNames(read()) == Strings{"PING"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(keepalive_also_runs_before_login) {
    open();
    session.tick(now + kPingIntervalMs);
    BOOST_TEST(typeNames(read()) == Strings{"PING"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(tick_without_a_connection_does_nothing) {
    session.tick(now);
    session.tick(now + kDeadAfterMs * 10);
    BOOST_TEST(!session.hasOutput());
    BOOST_TEST(listener.take().empty());
}

BOOST_AUTO_TEST_CASE(next_tick_names_the_next_ping) {
    open();
    BOOST_TEST(session.nextTickMs() == now + kPingIntervalMs);
}

BOOST_AUTO_TEST_CASE(keepalive_survives_a_clock_going_backwards) {
    Keepalive keepalive;
    keepalive.reset(1'000'000);
    // The clock jumps back an hour: silence is counted from there on.
    BOOST_TEST((keepalive.poll(1'000'000 - 3'600'000 + 5'000'000) == Keepalive::Action::Dead));
    Keepalive other;
    other.reset(10'000'000);
    BOOST_TEST((other.poll(6'400'000) == Keepalive::Action::None));
    BOOST_TEST((other.poll(6'400'000 + kPingIntervalMs) == Keepalive::Action::SendPing));
    BOOST_TEST((other.poll(6'400'000 + kDeadAfterMs) == Keepalive::Action::Dead));
}

BOOST_AUTO_TEST_SUITE_END()
