// parley-cli against the real parley-server (see ServerFixture.h): accounts, messages,
// presence, interactive mode, reconnects.

#include "tests/client-cli/ServerFixture.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace parley::client::test;

BOOST_AUTO_TEST_SUITE(end_to_end)

BOOST_FIXTURE_TEST_CASE(register_creates_accounts, ServerFixture) {
    const ProcessResult alice = cli("alice", {"register", "--display", "Alice A."});
    BOOST_TEST(alice.exitCode == 0, alice.err);
    BOOST_TEST(contains(alice.out, "registered alice"), alice.out);
    const ProcessResult bob = cli("bob", {"register"});
    BOOST_TEST(bob.exitCode == 0, bob.err);
}

BOOST_FIXTURE_TEST_CASE(registering_a_taken_name_fails_with_the_reason, ServerFixture) {
    registerUser("alice");
    const ProcessResult again = cli("alice", {"register"}, "another password");
    BOOST_TEST(again.exitCode == 4);
    BOOST_TEST(contains(again.err, "UsernameTaken"), again.err);
    BOOST_TEST(again.out.empty());
}

BOOST_FIXTURE_TEST_CASE(a_wrong_password_is_refused, ServerFixture) {
    registerUser("alice");
    const ProcessResult wrong = cli("alice", {"who"}, "not the password");
    BOOST_TEST(wrong.exitCode == 3);
    BOOST_TEST(contains(wrong.err, "login refused"), wrong.err);
    BOOST_TEST(contains(wrong.err, "BadCredentials"), wrong.err);
    BOOST_TEST(wrong.out.empty());

    const ProcessResult nobody = cli("nobody", {"who"});
    BOOST_TEST(nobody.exitCode == 3);
    BOOST_TEST(contains(nobody.err, "BadCredentials"), nobody.err);
}

BOOST_FIXTURE_TEST_CASE(a_server_list_moves_on_to_the_next_server_that_answers, AliceAndBob) {
    // The first node of the list is down (nobody listens there): the second one serves.
    std::vector<std::string> argv = cliArgs("alice", {"send", "bob", "via the second server"});
    const std::string dead = "127.0.0.1:" + std::to_string(freePort());
    argv[2] = dead + "," + address();
    const ProcessResult sent = run(argv, {});
    BOOST_TEST(sent.exitCode == 0, "exit " << sent.exitCode << " out [" << sent.out << "] err [" << sent.err << "]");
    BOOST_TEST(sent.out == "stored\n");
    BOOST_TEST(contains(sent.err, "logged in on " + address() + " (server 2 of 2 in --server)"), sent.err);
    // All of them down: one clear failure, no endless retry.
    argv[2] = dead + ",127.0.0.1:" + std::to_string(freePort());
    const ProcessResult none = run(argv, {});
    BOOST_TEST(none.exitCode != 0);
    BOOST_TEST(contains(none.err, "nor to any other server of the list"), none.err);
}

BOOST_FIXTURE_TEST_CASE(who_lists_every_user_with_presence, AliceAndBob) {
    registerUser("carol");
    const auto carol = start("carol", {"recv", "--wait", "10"});
    BOOST_TEST_REQUIRE(waitOnline("bob", "carol"));

    // Everyone but the one asking, in registration order.
    const ProcessResult who = cli("alice", {"who"});
    BOOST_TEST(who.exitCode == 0, who.err);
    BOOST_TEST(who.out == "bob\toffline\ncarol\tonline\n");
}

BOOST_FIXTURE_TEST_CASE(an_offline_message_is_stored_then_received_once, AliceAndBob) {
    const ProcessResult sent = cli("alice", {"send", "bob", "hi"});
    BOOST_TEST(sent.exitCode == 0, sent.err);
    BOOST_TEST(sent.out == "stored\n");

    const ProcessResult received = cli("bob", {"recv", "--wait", "3"});
    BOOST_TEST(received.exitCode == 0, received.err);
    BOOST_TEST(received.out == "alice\thi\n");

    // Acknowledged, so deleted: nothing comes a second time.
    const ProcessResult again = cli("bob", {"recv", "--wait", "1"});
    BOOST_TEST(again.exitCode == 0, again.err);
    BOOST_TEST(again.out == "");
}

BOOST_FIXTURE_TEST_CASE(sending_to_an_unknown_user_or_to_yourself_fails, ServerFixture) {
    registerUser("alice");
    const ProcessResult sent = cli("alice", {"send", "nobody", "hi"});
    BOOST_TEST(sent.exitCode == 4);
    BOOST_TEST(contains(sent.err, "unknown recipient 'nobody'"), sent.err);
    BOOST_TEST(sent.out.empty());

    const ProcessResult toSelf = cli("alice", {"send", "alice", "hi"});
    BOOST_TEST(toSelf.exitCode == 4);
    BOOST_TEST(contains(toSelf.err, "yourself"), toSelf.err);
}

BOOST_FIXTURE_TEST_CASE(a_message_to_a_receiving_peer_is_delivered, ServerFixture) {
    registerUser("carol");
    registerUser("dave");
    const auto dave = start("dave", {"recv", "--wait", "6"});
    BOOST_TEST_REQUIRE(waitOnline("carol", "dave"));

    const ProcessResult sent = cli("carol", {"send", "dave", "ping", "pong"});
    BOOST_TEST(sent.exitCode == 0, sent.err);
    BOOST_TEST(sent.out == "delivered\n");

    const ProcessResult received = finished(*dave);
    BOOST_TEST(received.exitCode == 0, received.err);
    BOOST_TEST(received.out == "carol\tping pong\n");
}

BOOST_FIXTURE_TEST_CASE(interactive_session_through_a_pipe, AliceAndBob) {
    const ProcessResult session = interactive("alice", "/who\n/msg bob hello\n/quit\n");
    BOOST_TEST(session.exitCode == 0, session.err);
    BOOST_TEST(contains(session.out, "Logged in as alice"), session.out);
    BOOST_TEST(contains(session.out, "Users (0 of 1 other user online):"), session.out);
    BOOST_TEST(contains(session.out, "  bob  offline\n"), session.out);
    BOOST_TEST(contains(session.out, "(stored for bob)"), session.out);

    const ProcessResult received = cli("bob", {"recv", "--wait", "2"});
    BOOST_TEST(received.out == "alice\thello\n");
}

BOOST_FIXTURE_TEST_CASE(interactive_shows_what_arrives_and_answers, AliceAndBob) {
    const auto bob = startInteractive("bob");

    const ProcessResult sent = cli("alice", {"send", "bob", "are you there?"});
    BOOST_TEST(sent.exitCode == 0, sent.err);
    BOOST_TEST(sent.out == "delivered\n");
    BOOST_TEST(waitUntil([&] { return contains(bob->readOut(), "] alice: are you there?\n"); }, 10s), bob->readOut());
    BOOST_TEST(contains(bob->readOut(), "* alice is online\n"));

    // A line without a slash goes to nobody yet; /msg starts the conversation, then plain
    // lines follow it.
    bob->writeInput("anyone?\n/msg alice yes\nstill here\n/quit\n");
    bob->closeInput();
    const ProcessResult ended = finished(*bob);
    BOOST_TEST(ended.exitCode == 0, ended.err);
    BOOST_TEST(contains(ended.err, "no conversation yet"), ended.err);

    const ProcessResult received = cli("alice", {"recv", "--wait", "2"});
    BOOST_TEST(received.out == "bob\tyes\nbob\tstill here\n");
}

BOOST_FIXTURE_TEST_CASE(interactive_reconnects_and_resends_after_a_server_crash, AliceAndBob) {
    const auto alice = startInteractive("alice");

    killServer();
    BOOST_TEST_REQUIRE(waitUntil([&] { return contains(alice->readOut(), "reconnecting in"); }, 10s), alice->readOut());
    // Written while there is no server: it waits in the outbox.
    alice->writeInput("/msg bob while you were away\n");
    startServer();
    BOOST_TEST(waitUntil([&] { return contains(alice->readOut(), "(stored for bob)\n"); }, 20s), alice->readOut());
    BOOST_TEST(contains(alice->readOut(), "* reconnected\n"));

    alice->writeInput("/quit\n");
    const ProcessResult ended = finished(*alice);
    BOOST_TEST(ended.exitCode == 0, ended.err);

    const ProcessResult received = cli("bob", {"recv", "--wait", "2"});
    BOOST_TEST(received.out == "alice\twhile you were away\n");
}

BOOST_FIXTURE_TEST_CASE(a_room_message_reaches_everyone_online, AliceAndBob) {
    const auto alice = start("alice", {"recv", "--wait", "6"});
    BOOST_TEST_REQUIRE(waitOnline("bob", "alice"));

    const ProcessResult room = interactive("bob", "/room hello everyone\n/quit\n");
    BOOST_TEST(room.exitCode == 0, room.err);
    BOOST_TEST(contains(room.out, "(sent to the room)"), room.out);

    const ProcessResult received = finished(*alice);
    BOOST_TEST(received.exitCode == 0, received.err);
    BOOST_TEST(received.out == "#room bob\thello everyone\n");
}

BOOST_FIXTURE_TEST_CASE(the_password_may_come_from_the_environment, AliceAndBob) {
    const ProcessResult result = run(cliArgs("", {"--user", "alice", "who"}), {{"PARLEY_PASSWORD", kPassword}});
    BOOST_TEST(result.exitCode == 0, result.err);
    BOOST_TEST(result.out == "bob\toffline\n");
}

// TLS trust (issue 18): a pinned certificate is accepted without asking, an unknown one
// (no terminal to ask at) is refused with its fingerprint, and after the server's
// certificate changed the pinned profile refuses it loudly. Nothing is sent either time.
BOOST_FIXTURE_TEST_CASE(a_pin_is_kept_and_a_changed_certificate_is_refused, AliceAndBob) {
    const auto who = [&](const std::filesystem::path& stateDir) {
        return run({environment("PARLEY_CLI_BINARY"), "--server", address(), "--timeout", "10", "--user", "alice",
                    "--password", kPassword, "--state-dir", stateDir.string(), "who"},
                   {});
    };
    // alice's profile pinned the certificate when she registered (--trust-fingerprint).
    const ProcessResult pinned = who(stateDir("alice"));
    BOOST_TEST(pinned.exitCode == 0, pinned.err);
    BOOST_TEST(contains(pinned.out, "bob\t"), pinned.out);
    std::ostringstream knownText;
    knownText << std::ifstream(stateDir("alice") / "known_servers").rdbuf();
    const std::string known = knownText.str();
    BOOST_TEST(contains(known, address() + " " + fingerprint()), known);

    const ProcessResult stranger = who(dir() / "fresh-profile");
    BOOST_TEST(stranger.exitCode == 8, stranger.err);
    BOOST_TEST(contains(stranger.err, fingerprint()), stranger.err);
    BOOST_TEST(contains(stranger.err, "--trust-fingerprint"), stranger.err);

    // The operator deletes the certificate: the server makes a new one at its next start.
    const std::string old = fingerprint();
    killServer();
    std::filesystem::remove(dir() / "data" / "tls-certificate.pem");
    std::filesystem::remove(dir() / "data" / "tls-key.pem");
    startServer();
    BOOST_TEST_REQUIRE(fingerprint() != old);
    const ProcessResult changed = who(stateDir("alice"));
    BOOST_TEST(changed.exitCode == 8, changed.err);
    BOOST_TEST(contains(changed.err, "HAS CHANGED"), changed.err);
    BOOST_TEST(contains(changed.err, old), changed.err);
    BOOST_TEST(contains(changed.err, fingerprint()), changed.err);
    BOOST_TEST(changed.out.empty(), changed.out);
}

BOOST_AUTO_TEST_SUITE_END()
