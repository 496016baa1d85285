// Argument parsing of parley-cli (no server needed).

#include "client-cli/CliOptions.h"

#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <vector>

using namespace parley::client;
using namespace std::chrono_literals;

namespace {

ParseResult parse(const std::vector<std::string>& args, const std::optional<std::string>& envPassword = std::nullopt) {
    return parseCommandLine(args, envPassword);
}

/// The parse must succeed; returns the options.
CliOptions ok(const std::vector<std::string>& args, const std::optional<std::string>& envPassword = std::nullopt) {
    const ParseResult result = parse(args, envPassword);
    BOOST_TEST_REQUIRE(result.options.has_value(), "unexpected error: " << result.error);
    return *result.options;
}

/// The parse must fail; returns the error.
std::string error(const std::vector<std::string>& args) {
    const ParseResult result = parse(args);
    BOOST_TEST_REQUIRE(!result.options.has_value());
    BOOST_TEST(!result.error.empty());
    return result.error;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_options)

BOOST_AUTO_TEST_CASE(a_server_list_names_the_nodes_of_a_cluster_and_the_first_keys_the_state) {
    const CliOptions options = ok({"--server", "127.0.0.1:7878, 127.0.0.1:7879,[::1]:7880", "--user", "a", "who"});
    BOOST_TEST(options.host == "127.0.0.1");
    BOOST_TEST(options.port == 7878);
    BOOST_TEST(options.serverText() == "127.0.0.1:7878");
    const auto list = options.serverList();
    BOOST_REQUIRE_EQUAL(list.size(), 3u);
    BOOST_TEST(list[1].port == 7879);
    BOOST_TEST(list[2].host == "::1");
    BOOST_TEST(formatServer(list[2].host, list[2].port) == "[::1]:7880");
    BOOST_TEST(ok({"--user", "a", "who"}).serverList().size() == 1u);  // the default alone
    BOOST_TEST(parse({"--server", "127.0.0.1:1,,127.0.0.1:2", "--user", "a", "who"}).error.find("empty entry") !=
               std::string::npos);
    BOOST_TEST(parse({"--server", "127.0.0.1:1,127.0.0.1:1", "--user", "a", "who"}).error.find("twice") !=
               std::string::npos);
    BOOST_TEST(parse({"--server", "127.0.0.1:1,nowhere:2", "--user", "a", "who"}).error.find("'nowhere:2'") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_command_is_interactive_with_defaults) {
    const CliOptions options = ok({"--user", "alice", "--password", "secret12"});
    BOOST_TEST(static_cast<int>(options.command) == static_cast<int>(Command::Interactive));
    BOOST_TEST(options.host == "127.0.0.1");
    BOOST_TEST(options.port == 7878);
    BOOST_TEST(options.serverText() == "127.0.0.1:7878");
    BOOST_TEST(options.timeout.count() == 10'000);
    BOOST_TEST(options.user == "alice");
    BOOST_TEST(options.password == "secret12");
}

BOOST_AUTO_TEST_CASE(send_takes_name_and_joins_the_text_words) {
    const CliOptions options = ok(
        {"--server", "127.0.0.1:9000", "--user", "alice", "--password", "pw123456", "send", "bob", "hello", "there"});
    BOOST_TEST(static_cast<int>(options.command) == static_cast<int>(Command::Send));
    BOOST_TEST(options.port == 9000);
    BOOST_TEST(options.recipient == "bob");
    BOOST_TEST(options.text == "hello there");
}

BOOST_AUTO_TEST_CASE(sendfile_and_recvfile_take_their_arguments) {
    const CliOptions send = ok({"--user", "a", "--password", "p", "sendfile", "bob", "dir/report.pdf"});
    BOOST_TEST((send.command == Command::SendFile));
    BOOST_TEST(send.recipient == "bob");
    BOOST_TEST(send.path == "dir/report.pdf");
    BOOST_TEST(contains(error({"--user", "a", "--password", "p", "sendfile", "bob"}), "sendfile NAME PATH"));

    const CliOptions recv = ok({"--user", "a", "--password", "p", "recvfile", "--dir", "/tmp/in"});
    BOOST_TEST((recv.command == Command::RecvFile));
    BOOST_TEST(recv.directory == "/tmp/in");
    BOOST_TEST(recv.wait.count() == 60'000);  // recvfile waits a minute for an offer by default
    BOOST_TEST(ok({"--user", "a", "--password", "p", "recvfile", "--wait", "3"}).directory == ".");
    BOOST_TEST(contains(error({"--user", "a", "--password", "p", "who", "--dir", "x"}), "--dir belongs"));
}

// Resume state lives in the profile's state folder, never in --dir (issue 14, finding 11).
BOOST_AUTO_TEST_CASE(the_state_folder_is_the_profile_s_unless_given) {
    const CliOptions given = ok({"--user", "a", "--password", "p", "recvfile", "--dir", "in", "--state-dir", "/s"});
    BOOST_TEST(given.stateDirectory == "/s");
    const CliOptions byDefault = ok({"--user", "a", "--password", "p", "recvfile", "--dir", "in"});
    BOOST_TEST(byDefault.stateDirectory == defaultStateDirectory());
    BOOST_TEST(!byDefault.stateDirectory.empty());
    BOOST_TEST(byDefault.stateDirectory != byDefault.directory);
}

BOOST_AUTO_TEST_CASE(options_may_follow_the_command_and_use_equals) {
    const CliOptions options = ok({"recv", "--wait=2.5", "--user=bob", "--password=pw123456", "--timeout", "3"});
    BOOST_TEST(static_cast<int>(options.command) == static_cast<int>(Command::Recv));
    BOOST_TEST(options.wait.count() == 2500);
    BOOST_TEST(options.timeout.count() == 3000);
    BOOST_TEST(options.user == "bob");
}

BOOST_AUTO_TEST_CASE(double_dash_lets_the_text_start_with_a_dash) {
    const CliOptions options = ok({"--user", "a1b", "--password", "pw123456", "send", "bob", "--", "-1", "--x"});
    BOOST_TEST(options.text == "-1 --x");
}

BOOST_AUTO_TEST_CASE(password_comes_from_the_environment_unless_given) {
    BOOST_TEST(ok({"--user", "alice", "who"}, std::string("fromenv1")).password == "fromenv1");
    BOOST_TEST(ok({"--user", "alice", "--password", "given123", "who"}, std::string("fromenv1")).password ==
               "given123");
}

BOOST_AUTO_TEST_CASE(register_takes_a_display_name) {
    const CliOptions options = ok({"--user", "alice", "--password", "pw123456", "register", "--display", "Alice A."});
    BOOST_TEST(static_cast<int>(options.command) == static_cast<int>(Command::Register));
    BOOST_TEST(options.displayName == "Alice A.");
}

BOOST_AUTO_TEST_CASE(help_and_version_need_nothing_else) {
    BOOST_TEST(static_cast<int>(ok({"--help"}).command) == static_cast<int>(Command::Help));
    BOOST_TEST(static_cast<int>(ok({"send", "-h"}).command) == static_cast<int>(Command::Help));
    BOOST_TEST(static_cast<int>(ok({"--version"}).command) == static_cast<int>(Command::Version));
}

BOOST_AUTO_TEST_CASE(missing_credentials_are_usage_errors) {
    BOOST_TEST(contains(error({"who"}), "--user"));
    BOOST_TEST(contains(error({"--user", "alice", "--no-remember", "who"}), "PARLEY_PASSWORD"));
    BOOST_TEST(contains(error({"--user", "alice", "register"}), "PARLEY_PASSWORD"));
    // By default a saved login token may stand in for the password (the client looks).
    BOOST_TEST(ok({"--user", "alice", "who"}).remember);
    BOOST_TEST((ok({"--user", "alice", "logout"}).command == Command::Logout));
    // Interactive mode says how to create an account.
    BOOST_TEST(contains(error({}), "register"));
}

BOOST_AUTO_TEST_CASE(wrong_words_are_usage_errors) {
    const std::vector<std::string> account = {"--user", "alice", "--password", "pw123456"};
    auto with = [&account](std::vector<std::string> rest) {
        std::vector<std::string> args = account;
        args.insert(args.end(), rest.begin(), rest.end());
        return args;
    };
    BOOST_TEST(contains(error(with({"fly"})), "unknown command 'fly'"));
    BOOST_TEST(contains(error(with({"--colour", "red"})), "unknown option '--colour'"));
    BOOST_TEST(contains(error(with({"send", "bob"})), "send NAME TEXT"));
    BOOST_TEST(contains(error(with({"who", "extra"})), "unexpected argument 'extra'"));
    BOOST_TEST(contains(error(with({"who", "--display", "X"})), "--display"));
    BOOST_TEST(contains(error(with({"send", "bob", "hi", "--wait", "2"})), "--wait"));
    BOOST_TEST(contains(error(with({"--timeout", "0", "who"})), "--timeout"));
    BOOST_TEST(contains(error(with({"--timeout", "soon", "who"})), "--timeout"));
    BOOST_TEST(contains(error(with({"who", "--server"})), "wants a value"));
    BOOST_TEST(contains(error(with({"--server", "example.com:7878", "who"})), "numeric"));
}

BOOST_AUTO_TEST_CASE(server_addresses) {
    std::string host;
    std::uint16_t port = 0;
    BOOST_TEST(parseServerAddress("10.0.0.5:7000", host, port));
    BOOST_TEST(host == "10.0.0.5");
    BOOST_TEST(port == 7000);
    BOOST_TEST(parseServerAddress("localhost:7001", host, port));
    BOOST_TEST(host == "127.0.0.1");
    BOOST_TEST(port == 7001);
    BOOST_TEST(parseServerAddress("[::1]:7002", host, port));
    BOOST_TEST(host == "::1");
    BOOST_TEST(port == 7002);
    BOOST_TEST(parseServerAddress("127.0.0.1", host, port));
    BOOST_TEST(port == 7878);

    for (const char* bad : {"", ":7000", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:70000", "127.0.0.1:70x", "::1:7000",
                            "[::1", "[::1]x", "host:1"}) {
        BOOST_TEST(!parseServerAddress(bad, host, port), bad);
    }

    CliOptions options;
    options.host = "::1";
    options.port = 7002;
    BOOST_TEST(options.serverText() == "[::1]:7002");
}

BOOST_AUTO_TEST_CASE(seconds) {
    BOOST_TEST(parseSeconds("10").value().count() == 10'000);
    BOOST_TEST(parseSeconds("0.25").value().count() == 250);
    BOOST_TEST(parseSeconds("0").value().count() == 0);
    for (const char* bad : {"", "-1", "1s", "abc", "nan", "inf", "100000"}) {
        BOOST_TEST(!parseSeconds(bad).has_value(), bad);
    }
}

BOOST_AUTO_TEST_CASE(help_documents_commands_and_exit_codes) {
    const std::string help = usageText();
    for (const char* part : {"--server HOST:PORT", "--user", "--password", "PARLEY_PASSWORD", "--timeout", "register",
                             "send", "recv", "who", "/msg", "/quit", "0  ok", "1  usage", "2  cannot connect",
                             "3  login refused", "4  refused by the server", "5  timeout"}) {
        BOOST_TEST(contains(help, part), part);
    }
    BOOST_TEST(contains(versionText(), "parley-cli "));
}

BOOST_AUTO_TEST_SUITE_END()
