// parley-cli against the real parley-server: each case starts its own server on a free
// 127.0.0.1 port with a fresh SQLite file, and runs parley-cli as a child process (the
// binaries' paths come from CMake: PARLEY_CLI_BINARY, PARLEY_SERVER_BINARY). Every child
// has a time limit, and the server is always stopped (ChildProcess is RAII).

#include "tests/client-cli/ChildProcess.h"
#include "tests/client-cli/CliTestSupport.h"

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace parley::client::test;
namespace utf = boost::unit_test;

namespace {

constexpr std::chrono::milliseconds kProcessLimit = 30s;
const std::string kPassword = "correct horse";

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

/// Both binaries are known (CMake sets them only when the parley-server target exists).
boost::test_tools::assertion_result binariesKnown(utf::test_unit_id)
{
    const bool known = !environment("PARLEY_CLI_BINARY").empty() &&
                       !environment("PARLEY_SERVER_BINARY").empty();
    boost::test_tools::assertion_result result(known);
    result.message() << "PARLEY_CLI_BINARY and PARLEY_SERVER_BINARY must name the binaries";
    return result;
}

/// One server per test case, and the means to run parley-cli against it.
class ServerFixture {
public:
    ServerFixture()
        : m_cli(environment("PARLEY_CLI_BINARY")), m_port(freePort())
    {
        std::signal(SIGPIPE, SIG_IGN);  // a child that exits early must not kill the test
        startServer();
    }

    ~ServerFixture()
    {
        const int code = m_server->terminate(5s);
        BOOST_TEST_MESSAGE("parley-server exited with " << code << "; its output:\n"
                                                        << m_server->readOut() << m_server->readErr());
    }

    /// Starts parley-server on the fixture's port and database; returns once it listens.
    void startServer()
    {
        const std::string server = environment("PARLEY_SERVER_BINARY");
        m_server = std::make_unique<ChildProcess>(
            std::vector<std::string>{server, "--headless", "--listen", address(), "--db",
                                     "sqlite:" + (m_dir.path() / "parley.db").string(),
                                     "--hash-iterations", "1000", "--threads", "2",
                                     "--registrations-per-hour", "0", "--stats-every", "0"},
            m_dir.path() / ("server-" + std::to_string(++m_serverStarts)));
        const bool up = waitUntil([this] { return m_server->poll() || canConnect(m_port); }, 20s);
        BOOST_TEST_REQUIRE((up && !m_server->poll()),
                           "parley-server did not start listening on " << address() << "\nstdout:\n"
                               << m_server->readOut() << "\nstderr:\n" << m_server->readErr());
    }

    /// SIGKILL: the server gets no chance to say goodbye.
    void killServer() { m_server->terminate(0s); }

    std::string address() const { return "127.0.0.1:" + std::to_string(m_port); }

    /// argv for parley-cli as `user`: --server, --user, --password, then `args`.
    std::vector<std::string> cliArgs(const std::string& user, const std::vector<std::string>& args,
                                     const std::string& password = kPassword) const
    {
        std::vector<std::string> argv = {m_cli, "--server", address(), "--timeout", "10"};
        if (!user.empty()) {
            argv.insert(argv.end(), {"--user", user, "--password", password});
        }
        argv.insert(argv.end(), args.begin(), args.end());
        return argv;
    }

    /// Starts parley-cli and leaves it running.
    std::unique_ptr<ChildProcess> start(const std::string& user, const std::vector<std::string>& args,
                                        const ProcessInput& input = {})
    {
        return std::make_unique<ChildProcess>(cliArgs(user, args), nextOutputBase(), input);
    }

    /// Starts interactive parley-cli fed through a pipe; returns once it is logged in.
    std::unique_ptr<ChildProcess> startInteractive(const std::string& user)
    {
        auto process = start(user, {}, {{}, true});
        BOOST_TEST_REQUIRE(waitUntil([&] { return contains(process->readOut(), "Logged in as " + user); }, 15s),
                           process->readOut() << process->readErr());
        return process;
    }

    /// Runs parley-cli to its end.
    ProcessResult cli(const std::string& user, const std::vector<std::string>& args,
                      const std::string& password = kPassword)
    {
        ChildProcess process(cliArgs(user, args, password), nextOutputBase());
        return finished(process);
    }

    /// Runs interactive parley-cli with `input` as its whole standard input.
    ProcessResult interactive(const std::string& user, const std::string& input)
    {
        const std::filesystem::path file = nextOutputBase().string() + ".in";
        std::ofstream(file) << input;
        ChildProcess process(cliArgs(user, {}), nextOutputBase(), {file, false});
        return finished(process);
    }

    /// Runs any argv to its end, with extra environment variables.
    ProcessResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env)
    {
        ChildProcess process(argv, nextOutputBase(), {}, env);
        return finished(process);
    }

    void registerUser(const std::string& name)
    {
        const ProcessResult result = cli(name, {"register"});
        BOOST_TEST_REQUIRE(result.exitCode == 0, "register " << name << ": " << result.err);
    }

    /// Waits until `user` appears online to `observer` (through `who`).
    bool waitOnline(const std::string& observer, const std::string& user)
    {
        return waitUntil([&] { return contains(cli(observer, {"who"}).out, user + "\tonline\n"); }, 15s);
    }

    static ProcessResult finished(ChildProcess& process)
    {
        ProcessResult result = process.wait(kProcessLimit);
        BOOST_TEST(!result.timedOut, "parley-cli ran over " << kProcessLimit.count() << " ms");
        return result;
    }

private:
    std::filesystem::path nextOutputBase() { return m_dir.path() / ("cli-" + std::to_string(++m_runs)); }

    TempDir m_dir;
    std::string m_cli;
    std::uint16_t m_port;
    std::unique_ptr<ChildProcess> m_server;
    int m_serverStarts = 0;
    int m_runs = 0;
};

/// A server with the accounts alice and bob.
class AliceAndBob : public ServerFixture {
public:
    AliceAndBob()
    {
        registerUser("alice");
        registerUser("bob");
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(end_to_end, *utf::precondition(binariesKnown))

BOOST_FIXTURE_TEST_CASE(register_creates_accounts, ServerFixture)
{
    const ProcessResult alice = cli("alice", {"register", "--display", "Alice A."});
    BOOST_TEST(alice.exitCode == 0, alice.err);
    BOOST_TEST(contains(alice.out, "registered alice"), alice.out);
    const ProcessResult bob = cli("bob", {"register"});
    BOOST_TEST(bob.exitCode == 0, bob.err);
}

BOOST_FIXTURE_TEST_CASE(registering_a_taken_name_fails_with_the_reason, ServerFixture)
{
    registerUser("alice");
    const ProcessResult again = cli("alice", {"register"}, "another password");
    BOOST_TEST(again.exitCode == 4);
    BOOST_TEST(contains(again.err, "UsernameTaken"), again.err);
    BOOST_TEST(again.out.empty());
}

BOOST_FIXTURE_TEST_CASE(a_wrong_password_is_refused, ServerFixture)
{
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

BOOST_FIXTURE_TEST_CASE(who_lists_every_user_with_presence, AliceAndBob)
{
    registerUser("carol");
    const auto carol = start("carol", {"recv", "--wait", "10"});
    BOOST_TEST_REQUIRE(waitOnline("bob", "carol"));

    // Everyone but the one asking, in registration order.
    const ProcessResult who = cli("alice", {"who"});
    BOOST_TEST(who.exitCode == 0, who.err);
    BOOST_TEST(who.out == "bob\toffline\ncarol\tonline\n");
}

BOOST_FIXTURE_TEST_CASE(an_offline_message_is_stored_then_received_once, AliceAndBob)
{
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

BOOST_FIXTURE_TEST_CASE(sending_to_an_unknown_user_or_to_yourself_fails, ServerFixture)
{
    registerUser("alice");
    const ProcessResult sent = cli("alice", {"send", "nobody", "hi"});
    BOOST_TEST(sent.exitCode == 4);
    BOOST_TEST(contains(sent.err, "unknown recipient 'nobody'"), sent.err);
    BOOST_TEST(sent.out.empty());

    const ProcessResult toSelf = cli("alice", {"send", "alice", "hi"});
    BOOST_TEST(toSelf.exitCode == 4);
    BOOST_TEST(contains(toSelf.err, "yourself"), toSelf.err);
}

BOOST_FIXTURE_TEST_CASE(a_message_to_a_receiving_peer_is_delivered, ServerFixture)
{
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

BOOST_FIXTURE_TEST_CASE(interactive_session_through_a_pipe, AliceAndBob)
{
    const ProcessResult session = interactive("alice", "/who\n/msg bob hello\n/quit\n");
    BOOST_TEST(session.exitCode == 0, session.err);
    BOOST_TEST(contains(session.out, "Logged in as alice"), session.out);
    BOOST_TEST(contains(session.out, "Users (0 of 1 other user online):"), session.out);
    BOOST_TEST(contains(session.out, "  bob  offline\n"), session.out);
    BOOST_TEST(contains(session.out, "(stored for bob)"), session.out);

    const ProcessResult received = cli("bob", {"recv", "--wait", "2"});
    BOOST_TEST(received.out == "alice\thello\n");
}

BOOST_FIXTURE_TEST_CASE(interactive_shows_what_arrives_and_answers, AliceAndBob)
{
    const auto bob = startInteractive("bob");

    const ProcessResult sent = cli("alice", {"send", "bob", "are you there?"});
    BOOST_TEST(sent.exitCode == 0, sent.err);
    BOOST_TEST(sent.out == "delivered\n");
    BOOST_TEST(waitUntil([&] { return contains(bob->readOut(), "] alice: are you there?\n"); }, 10s),
               bob->readOut());
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

BOOST_FIXTURE_TEST_CASE(interactive_reconnects_and_resends_after_a_server_crash, AliceAndBob)
{
    const auto alice = startInteractive("alice");

    killServer();
    BOOST_TEST_REQUIRE(waitUntil([&] { return contains(alice->readOut(), "reconnecting in"); }, 10s),
                       alice->readOut());
    // Written while there is no server: it waits in the outbox.
    alice->writeInput("/msg bob while you were away\n");
    startServer();
    BOOST_TEST(waitUntil([&] { return contains(alice->readOut(), "(stored for bob)\n"); }, 20s),
               alice->readOut());
    BOOST_TEST(contains(alice->readOut(), "* reconnected\n"));

    alice->writeInput("/quit\n");
    const ProcessResult ended = finished(*alice);
    BOOST_TEST(ended.exitCode == 0, ended.err);

    const ProcessResult received = cli("bob", {"recv", "--wait", "2"});
    BOOST_TEST(received.out == "alice\twhile you were away\n");
}

BOOST_FIXTURE_TEST_CASE(a_room_message_reaches_everyone_online, AliceAndBob)
{
    const auto alice = start("alice", {"recv", "--wait", "6"});
    BOOST_TEST_REQUIRE(waitOnline("bob", "alice"));

    const ProcessResult room = interactive("bob", "/room hello everyone\n/quit\n");
    BOOST_TEST(room.exitCode == 0, room.err);
    BOOST_TEST(contains(room.out, "(sent to the room)"), room.out);

    const ProcessResult received = finished(*alice);
    BOOST_TEST(received.exitCode == 0, received.err);
    BOOST_TEST(received.out == "#room bob\thello everyone\n");
}

BOOST_FIXTURE_TEST_CASE(the_password_may_come_from_the_environment, AliceAndBob)
{
    const ProcessResult result =
        run(cliArgs("", {"--user", "alice", "who"}), {{"PARLEY_PASSWORD", kPassword}});
    BOOST_TEST(result.exitCode == 0, result.err);
    BOOST_TEST(result.out == "bob\toffline\n");
}

BOOST_AUTO_TEST_SUITE_END()
