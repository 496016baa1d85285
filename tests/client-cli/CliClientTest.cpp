// The connection glue of parley-cli without a Parley server: nobody listening, and a
// listener that never answers. Real sockets on 127.0.0.1.

#include "client-cli/CliClient.h"
#include "client-cli/OneShotCommands.h"
#include "platform/Buffer.h"
#include "platform/LoopThread.h"
#include "platform/TcpServer.h"
#include "tests/client-cli/CliTestSupport.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace parley;
using namespace parley::client;
using namespace parley::client::test;

namespace {

CliOptions optionsFor(std::uint16_t port, std::vector<std::string> command) {
    std::vector<std::string> args = {
        "--server", "127.0.0.1:" + std::to_string(port), "--user", "alice", "--password", "pw123456", "--timeout",
        "0.5"};
    args.insert(args.end(), command.begin(), command.end());
    const ParseResult parsed = parseCommandLine(args, std::nullopt);
    BOOST_TEST_REQUIRE(parsed.options.has_value(), parsed.error);
    return *parsed.options;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_client)

BOOST_AUTO_TEST_CASE(nobody_listening_is_a_connect_failure) {
    const std::uint16_t port = freePort();
    for (const auto& command : std::vector<std::vector<std::string>>{{"who"}, {"register"}, {"send", "bob", "hi"}}) {
        const Outcome outcome = makeOneShotCommand(optionsFor(port, command))->run();
        BOOST_TEST(static_cast<int>(outcome.code) == static_cast<int>(ExitCode::Connect));
        BOOST_TEST(contains(outcome.error, "cannot connect to 127.0.0.1:" + std::to_string(port)), outcome.error);
    }
}

BOOST_AUTO_TEST_CASE(a_listener_that_never_answers_is_a_timeout) {
    net::LoopThread thread;
    net::TcpServer silent(thread.start(), net::InetAddress::loopback(0));
    net::ConnectionCallbacks callbacks;
    callbacks.onMessage = [](const net::TcpConnectionPtr&, net::Buffer& buffer) { buffer.retrieveAll(); };
    silent.setCallbacks(callbacks);
    silent.start();

    const Outcome who = makeOneShotCommand(optionsFor(silent.port(), {"who"}))->run();
    BOOST_TEST(static_cast<int>(who.code) == static_cast<int>(ExitCode::Timeout));
    BOOST_TEST(
        contains(who.error, "timed out connecting to 127.0.0.1:" + std::to_string(silent.port()) + " and logging in"),
        who.error);

    const Outcome registering = makeOneShotCommand(optionsFor(silent.port(), {"register"}))->run();
    BOOST_TEST(static_cast<int>(registering.code) == static_cast<int>(ExitCode::Timeout));
    BOOST_TEST(contains(registering.error, "and registering"), registering.error);
}

BOOST_AUTO_TEST_SUITE_END()
