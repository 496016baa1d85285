// parley-server's configuration: the command line, the config file (with the
// command line winning), the data folder and the one-server-per-SQLite-file lock.
#include "server-gui/DataFolder.h"
#include "server-gui/ServerConfigFile.h"
#include "server-gui/ServerOptions.h"
#include "tests/support/TempDir.h"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace parley::server;
using parley::test::TempDir;

namespace {

std::string writeFile(const TempDir& dir, const std::string& name, const std::string& text) {
    const std::string path = dir.file(name);
    std::ofstream(path) << text;
    return path;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_options)

BOOST_AUTO_TEST_CASE(the_config_file_is_read_and_the_command_line_wins) {
    TempDir dir("parley-options");
    const std::string conf = writeFile(dir, "server.conf",
                                       "# a comment\n\n"
                                       "listen = 0.0.0.0:9000\n"
                                       "  db =  odbc:DSN=parley  \n"
                                       "rate = 50\n");
    ServerOptions options;
    const std::vector<std::string> args = {"--config", conf, "--listen", "127.0.0.1:9100", "--headless"};
    BOOST_REQUIRE_EQUAL(loadServerOptions(args, options), "");
    BOOST_TEST(options.config.listenHost == "127.0.0.1");
    BOOST_TEST(options.config.listenPort == 9100);
    BOOST_TEST(options.config.database == "odbc:DSN=parley");
    BOOST_TEST(options.databaseGiven);
    BOOST_TEST(options.config.limits.messagesPerSecond == 50.0);
    BOOST_TEST(options.headless);
}

BOOST_AUTO_TEST_CASE(cluster_options_come_from_the_command_line_and_the_config_file) {
    TempDir dir("parley-options");
    const std::string conf = writeFile(dir, "node.conf",
                                       "cluster = tls://nats1:4222,nats2:4222\n"
                                       "node = a\n"
                                       "cluster-name = prod\n"
                                       "cluster-ca = /etc/parley/nats/ca.pem\n"
                                       "cluster-user = node-a\n"
                                       "cluster-password-file = /etc/parley/nats/node-a.pass\n");
    ServerOptions options;
    BOOST_REQUIRE_EQUAL(loadServerOptions({"--config", conf, "--node", "b"}, options), "");
    BOOST_TEST(options.cluster.urls == (std::vector<std::string>{"tls://nats1:4222", "nats2:4222"}),
               boost::test_tools::per_element());
    BOOST_TEST(options.cluster.node == "b");  // the command line wins
    BOOST_TEST(options.cluster.name == "prod");
    BOOST_TEST(options.cluster.caFile == "/etc/parley/nats/ca.pem");
    BOOST_TEST(options.cluster.user == "node-a");
    BOOST_TEST(options.cluster.passwordFile == "/etc/parley/nats/node-a.pass");
    BOOST_TEST(!options.cluster.plaintext);

    ServerOptions plain;
    BOOST_REQUIRE_EQUAL(loadServerOptions({"--cluster", "127.0.0.1:4222", "--node", "c", "--cluster-plaintext"}, plain),
                        "");
    BOOST_TEST(plain.cluster.plaintext);

    ServerOptions wrong;
    BOOST_TEST(loadServerOptions({"--cluster", "nats:4222"}, wrong).find("--cluster needs --node") !=
               std::string::npos);
    BOOST_TEST(loadServerOptions({"--node", "a"}, wrong).find("give --cluster") != std::string::npos);
    BOOST_TEST(loadServerOptions({"--cluster", "a:1,,b:2", "--node", "a"}, wrong).find("invalid value for --cluster") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_login_throttle_is_set_by_options) {
    ServerOptions options;
    const std::vector<std::string> args = {"--login-failures",
                                           "3",
                                           "--login-failures-per-address",
                                           "50",
                                           "--login-failures-per-account",
                                           "0",
                                           "--login-wait",
                                           "5",
                                           "--login-max-wait",
                                           "60"};
    BOOST_REQUIRE_EQUAL(loadServerOptions(args, options), "");
    const auto& login = options.config.limits.login;
    BOOST_TEST(login.perAccountAndAddress == 3u);
    BOOST_TEST(login.perAddress == 50u);
    BOOST_TEST(login.perAccount == 0u);
    BOOST_TEST(login.firstSeconds == 5u);
    BOOST_TEST(login.maxSeconds == 60u);
    ServerOptions refused;
    BOOST_TEST(loadServerOptions({"--login-wait", "0"}, refused) != "");
}

BOOST_AUTO_TEST_CASE(a_bad_config_line_is_refused_with_its_file_and_line) {
    TempDir dir("parley-options");
    ServerOptions options;
    const std::string unknown = writeFile(dir, "a.conf", "listen = :7878\nno-such-key = 1\n");
    BOOST_TEST(applyServerConfigFile(unknown, options) == unknown + ":2: unknown option 'no-such-key'");
    const std::string badValue = writeFile(dir, "b.conf", "threads = many\n");
    BOOST_TEST(applyServerConfigFile(badValue, options) == badValue + ":1: invalid value for threads: 'many'");
    const std::string noEquals = writeFile(dir, "c.conf", "headless\n");
    BOOST_TEST(applyServerConfigFile(noEquals, options).find(noEquals + ":1: expected `name = value`") == 0);
    const std::string twice = writeFile(dir, "d.conf", "rate = 5\nrate = 6\n");
    BOOST_TEST(applyServerConfigFile(twice, options) == twice + ":2: 'rate' is set twice");
    const std::string nested = writeFile(dir, "e.conf", "config = other.conf\n");
    BOOST_TEST(applyServerConfigFile(nested, options).find(":1: a config file cannot name another one") !=
               std::string::npos);
    BOOST_TEST(applyServerConfigFile(dir.file("missing.conf"), options).find("cannot read") != std::string::npos);

    // Through loadServerOptions the error reaches main() as it is.
    ServerOptions viaMain;
    BOOST_TEST(loadServerOptions({"--config", unknown}, viaMain) == unknown + ":2: unknown option 'no-such-key'");
}

BOOST_AUTO_TEST_CASE(the_bounds_can_be_set_on_the_command_line) {
    ServerOptions options;
    BOOST_TEST(
        parseServerOptions({"--output-high-water", "1000000", "--output-limit", "8000000", "--slow-consumer", "10",
                            "--control-rate", "500", "--control-burst", "800", "--prelogin-input-budget", "1048576"},
                           options) == "");
    const Limits& limits = options.config.limits;
    BOOST_TEST(limits.outputHighWater == 1'000'000u);
    BOOST_TEST(limits.outputLowWater == 250'000u);
    BOOST_TEST(limits.outputLimit == 8'000'000u);
    BOOST_TEST(limits.slowConsumerMs == 10'000u);
    BOOST_TEST(limits.controlFramesPerSecond == 500.0);
    BOOST_TEST(limits.controlFrameBurst == 800.0);
    BOOST_TEST(limits.preLoginInputBudget == 1'048'576u);
    ServerOptions bad;
    BOOST_TEST(parseServerOptions({"--output-high-water", "0"}, bad) == "invalid value for --output-high-water: '0'");
}

BOOST_AUTO_TEST_CASE(command_line_errors_name_the_argument) {
    ServerOptions options;
    BOOST_TEST(parseServerOptions({"--no-such-option"}, options) == "unknown option '--no-such-option' (see --help)");
    BOOST_TEST(parseServerOptions({"--threads", "x"}, options) == "invalid value for --threads: 'x'");
    BOOST_TEST(parseServerOptions({"--threads"}, options) == "--threads needs a value");
    BOOST_TEST(parseServerOptions({"--config"}, options) == "--config needs a value");
    ServerOptions version;
    BOOST_TEST(parseServerOptions({"--version"}, version) == "");
    BOOST_TEST(version.version);
    BOOST_TEST(serverVersion().rfind("parley-server ", 0) == 0);
}

BOOST_AUTO_TEST_CASE(without_db_the_sqlite_file_lives_in_the_data_folder_made_private) {
    TempDir dir("parley-options");
    const std::string data = dir.file("nested/data");
    ServerOptions options;
    BOOST_REQUIRE_EQUAL(loadServerOptions({"--data", data}, options), "");
    BOOST_REQUIRE_EQUAL(resolveDataFolder(options), "");
    BOOST_TEST(options.config.database == "sqlite:" + data + "/parley.db");
    namespace fs = std::filesystem;
    const auto mode = static_cast<unsigned>(fs::status(data).permissions() & fs::perms::all);
    BOOST_TEST(mode == 0700u);

    // An explicit --db is left alone, and no data folder is made for it.
    ServerOptions explicitDb;
    BOOST_REQUIRE_EQUAL(loadServerOptions({"--data", dir.file("unused"), "--db", "sqlite:/x/y.db"}, explicitDb), "");
    BOOST_REQUIRE_EQUAL(resolveDataFolder(explicitDb), "");
    BOOST_TEST(explicitDb.config.database == "sqlite:/x/y.db");
    BOOST_TEST(!fs::exists(dir.file("unused")));
}

BOOST_AUTO_TEST_CASE(a_data_folder_that_cannot_be_made_is_an_error) {
    TempDir dir("parley-options");
    const std::string blocker = writeFile(dir, "file", "not a folder");
    ServerOptions options;
    BOOST_REQUIRE_EQUAL(loadServerOptions({"--data", blocker + "/data"}, options), "");
    BOOST_TEST(resolveDataFolder(options).find("cannot create the data folder") == 0);
}

BOOST_AUTO_TEST_CASE(one_server_per_sqlite_file) {
    TempDir dir("parley-options");
    const std::string database = "sqlite:" + dir.file("db/parley.db");
    DatabaseLock first;
    BOOST_REQUIRE_EQUAL(first.acquire(database), "");
    DatabaseLock second;
    const std::string refused = second.acquire(database);
    BOOST_TEST(refused.find("is in use by another parley-server (pid ") != std::string::npos, refused);

    // Other files, ODBC and in-memory databases are not locked.
    DatabaseLock other;
    BOOST_TEST(other.acquire("sqlite:" + dir.file("db/other.db")) == "");
    DatabaseLock odbc;
    BOOST_TEST(odbc.acquire("odbc:DSN=parley") == "");
    DatabaseLock memory;
    BOOST_TEST(memory.acquire("sqlite::memory:") == "");
}

BOOST_AUTO_TEST_CASE(a_released_lock_can_be_taken_again) {
    TempDir dir("parley-options");
    const std::string database = "sqlite:" + dir.file("parley.db");
    {
        DatabaseLock first;
        BOOST_REQUIRE_EQUAL(first.acquire(database), "");
    }
    DatabaseLock again;
    BOOST_TEST(again.acquire(database) == "");
}

BOOST_AUTO_TEST_SUITE_END()
