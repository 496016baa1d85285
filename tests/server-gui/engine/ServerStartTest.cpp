// Server::start() failures the operator must understand (database unreachable,
// port busy), and a stop/start cycle on the same database.
#include "platform/LoopPool.h"
#include "tests/server-gui/engine/EngineHarness.h"
#include "tests/support/OneCpu.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <thread>

using namespace parley;
using namespace parley::test;

namespace {

// start() must throw StartError and leave nothing running; returns its text.
std::string startError(const server::ServerConfig& config) {
    server::Server server(config);
    try {
        server.start();
    } catch (const server::StartError& error) {
        BOOST_TEST(!server.running());
        BOOST_TEST(server.port() == 0u);
        return error.what();
    }
    BOOST_FAIL("start() succeeded with " << config.database << " on port " << config.listenPort);
    return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(server_start)

// threads 0: one I/O loop per usable core less one (never none); the log line says how many.
BOOST_AUTO_TEST_CASE(by_default_one_core_is_left_to_the_database_workers) {
    const std::size_t cores = net::LoopPool::usableCores();
    const unsigned expected = cores > 1 ? static_cast<unsigned>(cores - 1) : 1U;
    BOOST_TEST(server::defaultIoThreads() == expected);
    const auto startedWith = [](unsigned threads) {
        TempDir dir("parley-threads");
        server::ServerConfig config = testConfig("sqlite:" + dir.file("parley.db"));
        config.threads = threads;
        LogRecorder log;
        server::Server server(config, &log);
        server.start();
        server.stop();
        for (const std::string& line : log.lines())
            if (contains(line, "listening on")) return line;
        return std::string("no 'listening on' line");
    };
    const std::string byDefault = startedWith(0);
    BOOST_TEST(contains(byDefault, " " + std::to_string(expected) + (expected == 1 ? " I/O thread)" : " I/O threads)")),
               byDefault);
    const std::string three = startedWith(3);
    BOOST_TEST(contains(three, " 3 I/O threads)"), three);
#if defined(__linux__)
    // Restricted to one CPU (taskset, a container's cpuset): one loop, not zero.
    std::string pinned = "could not pin the starting thread to one CPU";
    std::thread starter([&] {
        if (pinThisThreadToOneCpu()) pinned = startedWith(0);
    });
    starter.join();
    BOOST_TEST(contains(pinned, " 1 I/O thread)"), pinned);
#endif
}

BOOST_AUTO_TEST_CASE(an_unwritable_sqlite_path_is_a_start_error) {
    TempDir dir("parley-start");
    // A regular file where the database's folder should be: not creatable, even as root.
    const std::string blocker = dir.file("not-a-folder");
    std::ofstream(blocker) << "x";
    const std::string path = blocker + "/parley.db";
    const std::string text = startError(testConfig("sqlite:" + path));
    BOOST_TEST(contains(text, "database"), text);
    BOOST_TEST(contains(text, path), text);
}

BOOST_AUTO_TEST_CASE(an_unreachable_odbc_database_is_a_start_error_without_the_password) {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const std::string text = startError(
        testConfig("odbc:Driver={MariaDB Unicode};Server=127.0.0.1;Port=1;Database=parley;Uid=parley;Pwd=s3cret-pw"));
    BOOST_TEST(contains(text, "database"), text);
    BOOST_TEST(contains(text, "127.0.0.1"), text);
    BOOST_TEST(!contains(text, "s3cret-pw"), text);
}

BOOST_AUTO_TEST_CASE(a_busy_port_is_a_start_error_naming_the_port) {
    EngineHarness running;
    TempDir dir("parley-start");
    auto config = testConfig("sqlite:" + dir.file("other.db"));
    config.listenPort = running.port();
    const std::string text = startError(config);
    BOOST_TEST(contains(text, std::to_string(running.port())), text);
    BOOST_TEST(contains(text, "in use"), text);
    // The server that owns the port is unaffected.
    auto client = running.connect();
    client->send(proto::Ping{});
    BOOST_TEST(client->waitFor<proto::Pong>(10s).has_value());
}

BOOST_AUTO_TEST_CASE(a_bad_listen_address_is_a_start_error) {
    TempDir dir("parley-start");
    auto config = testConfig("sqlite:" + dir.file("parley.db"));
    config.listenHost = "localhost.invalid";
    BOOST_TEST(contains(startError(config), "localhost.invalid"));
}

BOOST_AUTO_TEST_CASE(stop_and_start_again_keeps_accounts_and_stored_messages) {
    TempDir dir("parley-start");
    server::Server server(testConfig("sqlite:" + dir.file("parley.db")));
    server.start();
    proto::UserId bobId = 0;
    proto::MessageId id = 0;
    {
        TestClient alice;
        BOOST_REQUIRE(alice.connect(server.port()));
        BOOST_REQUIRE((registerStatus(alice, "alice") == proto::AuthStatus::Ok));
        const auto bob = alice.registerUser("bob", kPassword);
        BOOST_REQUIRE(bob);
        BOOST_REQUIRE((bob->body.status == proto::AuthStatus::Ok));
        bobId = bob->body.userId;
        BOOST_REQUIRE((loginStatus(alice, "alice") == proto::AuthStatus::Ok));
        id = alice.sendChat(bobId, "see you after the restart");
        BOOST_REQUIRE(waitAck(alice, proto::AckKind::Stored, bobId, id));
    }
    server.stop();
    BOOST_TEST(!server.running());
    server.start();
    BOOST_TEST(server.running());
    TestClient bob;
    BOOST_REQUIRE(bob.connect(server.port()));
    BOOST_REQUIRE((loginStatus(bob, "bob") == proto::AuthStatus::Ok));
    const auto chat = bob.waitFor<proto::Chat>(10s);
    BOOST_REQUIRE(chat);
    BOOST_TEST(chat->header.messageId == id);
    BOOST_TEST(chat->body.text == "see you after the restart");
    server.stop();
}

BOOST_AUTO_TEST_SUITE_END()
