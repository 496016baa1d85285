// The real parley-server binary, killed with SIGKILL: nothing it acknowledged
// as STORED may be lost (docs/architecture.md, "Delivery"). Linked once per
// database backend (tests/db/Backend*.cpp): SQLite file, MariaDB over ODBC.
// The binary comes from PARLEY_SERVER_BINARY (set by CMake). Over TLS with the
// server's own self-signed certificate, made at first start and kept across restarts.
#include "platform/tls/TlsContext.h"
#include "tests/db/TestDatabase.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/TempDir.h"
#include "tests/support/TestClient.h"

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

using namespace parley;
using namespace parley::test;

namespace {

const char* const kPassword = "correct horse battery";

// All a child printed: its log (stdout), then its errors (stderr).
std::string output(const ChildProcess& child) { return child.readOut() + child.readErr(); }
std::string output(const ProcessResult& result) { return result.out + result.err; }

// parley-server --headless on an ephemeral port of 127.0.0.1 with its data folder in
// `dataDir` (the self-signed certificate lives there); its output goes to
// `<outputBase>.out` / `.err`.
class ServerProcess {
public:
    ServerProcess(const std::string& database, const TempDir& dataDir, const std::filesystem::path& outputBase) {
        const char* binary = std::getenv("PARLEY_SERVER_BINARY");
        BOOST_REQUIRE_MESSAGE(binary != nullptr && *binary != '\0',
                              "PARLEY_SERVER_BINARY is not set: run this suite through ctest");
        m_child = std::make_unique<ChildProcess>(
            std::vector<std::string>{binary, "--headless", "--data", dataDir.path().u8string(), "--listen",
                                     "127.0.0.1:0", "--db", database, "--hash-iterations", "1000", "--threads", "2",
                                     "--stats-every", "0"},
            outputBase);
        const auto line = m_child->waitForLine("ready on port ", 60s);
        BOOST_REQUIRE_MESSAGE(line, "parley-server did not start:\n" << output(*m_child));
        m_port = static_cast<std::uint16_t>(std::stoul(line->substr(line->find("ready on port ") + 14)));
        BOOST_REQUIRE_NE(m_port, 0);
        const std::string marker = "certificate SHA-256 ";
        const auto at = line->find(marker);
        BOOST_REQUIRE_MESSAGE(at != std::string::npos, "not over TLS: " << *line);
        m_fingerprint = line->substr(at + marker.size(), 95);  // 32 bytes as AB:CD:...
    }

    std::uint16_t port() const { return m_port; }
    const std::string& fingerprint() const { return m_fingerprint; }
    ChildProcess& process() { return *m_child; }

private:
    std::unique_ptr<ChildProcess> m_child;
    std::uint16_t m_port = 0;
    std::string m_fingerprint;
};

/// A TestClient that speaks TLS (it takes any certificate: the pin rules have their
/// own tests; here the fingerprint is compared across restarts instead).
std::unique_ptr<TestClient> tlsClient() {
    auto client = std::make_unique<TestClient>();
    client->useTls(net::TlsContext::client({}));
    return client;
}

std::unique_ptr<TestClient> loggedIn(std::uint16_t port, const std::string& username) {
    auto client = tlsClient();
    BOOST_REQUIRE(client->connect(port));
    const auto result = client->login(username, kPassword, 30s);
    BOOST_REQUIRE_MESSAGE(result, "no LOGIN_RESULT for " << username);
    BOOST_REQUIRE_MESSAGE(result->body.status == proto::AuthStatus::Ok, result->body.text);
    return client;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(durability)

BOOST_AUTO_TEST_CASE(stored_messages_survive_sigkill) {
    db::test::TestDatabase database;
    TempDir logs("parley-durability");
    TempDir data("parley-durability-data");
    std::string fingerprint;
    constexpr int kMessages = 20;
    std::vector<proto::MessageId> ids;
    proto::UserId aliceId = 0;
    proto::UserId bobId = 0;
    {
        ServerProcess server(database.connectionString(), data, logs.path() / "first");
        fingerprint = server.fingerprint();
        auto registrar = tlsClient();
        BOOST_REQUIRE(registrar->connect(server.port()));
        for (const char* name : {"alice", "bob"}) {
            const auto result = registrar->registerUser(name, kPassword, {}, 30s);
            BOOST_REQUIRE(result);
            BOOST_REQUIRE_MESSAGE(result->body.status == proto::AuthStatus::Ok, result->body.text);
            (std::string(name) == "alice" ? aliceId : bobId) = result->body.userId;
        }
        auto alice = loggedIn(server.port(), "alice");
        for (int i = 0; i < kMessages; ++i) ids.push_back(alice->sendChat(bobId, "durable " + std::to_string(i)));
        for (const auto id : ids) {
            const auto ack = alice->waitFor<proto::Ack>(30s);
            BOOST_REQUIRE_MESSAGE(ack, "no ACK for " << id << "; server said:\n" << output(server.process()));
            BOOST_TEST((ack->body.kind == proto::AckKind::Stored));
            BOOST_TEST(ack->body.upTo == id);
        }
        // Right after the last ACK Stored: no clean shutdown, no chance to flush anything.
        server.process().terminate(0ms);  // SIGKILL
        BOOST_TEST(server.process().poll().has_value());
    }

    ServerProcess restarted(database.connectionString(), data, logs.path() / "second");
    BOOST_TEST(restarted.fingerprint() == fingerprint);  // the same certificate after a SIGKILL
    auto bob = loggedIn(restarted.port(), "bob");
    std::vector<proto::MessageId> received;
    for (int i = 0; i < kMessages; ++i) {
        const auto chat = bob->waitFor<proto::Chat>(30s);
        BOOST_REQUIRE_MESSAGE(chat, "only " << received.size() << " of " << kMessages << " messages arrived");
        BOOST_TEST(chat->header.source == aliceId);
        BOOST_TEST(chat->body.text == "durable " + std::to_string(i));
        received.push_back(chat->header.messageId);
    }
    BOOST_TEST(received == ids, boost::test_tools::per_element());

    // Delivered but not acknowledged when the server dies again: delivered again.
    restarted.process().terminate(0ms);  // SIGKILL
    ServerProcess third(database.connectionString(), data, logs.path() / "third");
    auto bobAgain = loggedIn(third.port(), "bob");
    for (const auto id : ids) {
        const auto chat = bobAgain->waitFor<proto::Chat>(30s);
        BOOST_REQUIRE(chat);
        BOOST_TEST(chat->header.messageId == id);
    }
    // Acknowledged ones are gone for good after a clean stop.
    bobAgain->ackReceived(aliceId, ids.back());
    bobAgain->send(proto::Logout{});
    BOOST_TEST(bobAgain->waitClosed(30s));
    // 128 + 9 if it had to be killed after the 30 s.
    const int code = third.process().terminate(30s, SIGINT);
    BOOST_TEST(code == 0, "exit code after SIGINT; output:\n" << output(third.process()));
    BOOST_TEST(output(third.process()).find("stopping") != std::string::npos);

    ServerProcess fourth(database.connectionString(), data, logs.path() / "fourth");
    BOOST_TEST(fourth.fingerprint() == fingerprint);
    auto bobLast = loggedIn(fourth.port(), "bob");
    BOOST_TEST(bobLast->expectNothing(
        500ms, [](const proto::Message& m) { return std::holds_alternative<proto::Chat>(m.body); }));
}

BOOST_AUTO_TEST_CASE(headless_start_errors_are_reported_with_exit_code_2) {
    const char* binary = std::getenv("PARLEY_SERVER_BINARY");
    BOOST_REQUIRE(binary != nullptr && *binary != '\0');
    TempDir dir("parley-headless");
    const std::string blocker = dir.file("file");
    std::ofstream(blocker) << "not a folder";

    // The database cannot be created (its folder is a file). wait() kills a child still
    // running after 30 s: its exit code is then 128 + 9.
    ChildProcess badDb(
        {binary, "--headless", "--plaintext", "--listen", "127.0.0.1:0", "--db", "sqlite:" + blocker + "/x.db"},
        dir.path() / "bad-db");
    const ProcessResult badDbEnd = badDb.wait(30s);
    BOOST_TEST(badDbEnd.exitCode == 2, output(badDbEnd));
    BOOST_TEST(output(badDbEnd).find("database") != std::string::npos, output(badDbEnd));

    // The port is taken by a running server.
    db::test::TestDatabase database;
    ServerProcess running(database.connectionString(), dir, dir.path() / "running");
    const std::string port = std::to_string(running.port());
    ChildProcess busy(
        {binary, "--headless", "--plaintext", "--listen", "127.0.0.1:" + port, "--db", "sqlite:" + dir.file("b.db")},
        dir.path() / "busy");
    const ProcessResult busyEnd = busy.wait(30s);
    BOOST_TEST(busyEnd.exitCode == 2, output(busyEnd));
    BOOST_TEST(output(busyEnd).find(port) != std::string::npos, output(busyEnd));

    // A wrong option is a usage error.
    ChildProcess usage({binary, "--headless", "--no-such-option"}, dir.path() / "usage");
    const ProcessResult usageEnd = usage.wait(30s);
    BOOST_TEST(usageEnd.exitCode == 1, output(usageEnd));
}

BOOST_AUTO_TEST_SUITE_END()
