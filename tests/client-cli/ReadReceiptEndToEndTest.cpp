// Read receipts in parley-cli against the real parley-server: interactive mode marks
// what it printed as read, and the sender's interactive mode prints "(read by NAME)",
// at once when it is online and at its next login when it was not.

#include "tests/client-cli/ServerFixture.h"

#include <boost/test/unit_test.hpp>

using namespace parley::client::test;

BOOST_AUTO_TEST_SUITE(read_receipts_end_to_end)

BOOST_FIXTURE_TEST_CASE(a_message_printed_by_the_peer_shows_read_at_the_sender, AliceAndBob) {
    const auto bob = startInteractive("bob");
    const auto alice = startInteractive("alice");
    alice->writeInput("/msg bob did you read this?\n");
    BOOST_TEST(waitUntil([&] { return contains(bob->readOut(), "] alice: did you read this?\n"); }, 10s),
               bob->readOut());
    BOOST_TEST(waitUntil([&] { return contains(alice->readOut(), "(read by bob)\n"); }, 10s), alice->readOut());
    BOOST_TEST(contains(alice->readOut(), "(delivered to bob)\n"), alice->readOut());
    // The reader sees no receipt of its own.
    BOOST_TEST(!contains(bob->readOut(), "(read by"), bob->readOut());

    for (const auto* process : {&bob, &alice}) {
        (*process)->writeInput("/quit\n");
        (*process)->closeInput();
        const ProcessResult ended = finished(**process);
        BOOST_TEST(ended.exitCode == 0, ended.err);
    }
}

BOOST_FIXTURE_TEST_CASE(a_read_for_an_offline_sender_is_shown_at_its_next_login, AliceAndBob) {
    const ProcessResult sent = interactive("alice", "/msg bob read me later\n/quit\n");
    BOOST_TEST(sent.exitCode == 0, sent.err);
    BOOST_TEST(contains(sent.out, "(stored for bob)"), sent.out);

    const auto bob = startInteractive("bob");
    BOOST_TEST(waitUntil([&] { return contains(bob->readOut(), "] alice: read me later\n"); }, 10s), bob->readOut());
    // alice is offline: the receipt waits in the server for her.
    const auto alice = startInteractive("alice");
    BOOST_TEST(waitUntil([&] { return contains(alice->readOut(), "(read by bob)\n"); }, 10s), alice->readOut());

    for (const auto* process : {&bob, &alice}) {
        (*process)->writeInput("/quit\n");
        (*process)->closeInput();
        BOOST_TEST(finished(**process).exitCode == 0);
    }
}

BOOST_AUTO_TEST_SUITE_END()
