// A cluster's server list in the desktop client's core: "A,B,C" parsed and written
// back, the first node the server's identity; SessionController moving on to the next
// node at once, when the first one cannot be reached and when the node it is logged in
// on dies, and one clear failure when none answers. The two "nodes" are two real
// parley-server processes serving one certificate, each with alice registered (a real
// cluster, over NATS and MariaDB, is tested in tests/server-gui/cluster).

#include "client-gui/core/ServerAddress.h"
#include "client-gui/core/SessionController.h"
#include "tests/client-gui/core/GuiTestSupport.h"

#include <QSignalSpy>

#include <boost/test/unit_test.hpp>

using namespace parley::gui;
using namespace parley::gui::test;
using parley::test::TempDir;

namespace {

const QString kPassword = QStringLiteral("correct horse");

QString deadNode() { return QStringLiteral("127.0.0.1:%1").arg(freePort()); }

/// Two servers with one certificate (as the nodes of a cluster serve), alice on both.
struct TwoNodes {
    TempDir dir;
    ServerProcess first{dir.path() / "first"};
    ServerProcess second{dir.path() / "second",
                         {"--tls-cert", (first.dataDir() / "tls-certificate.pem").string(), "--tls-key",
                          (first.dataDir() / "tls-key.pem").string()}};
    AccountPaths profile = first.pinnedProfile(QString::fromStdString((dir.path() / "alice").string()));

    TwoNodes() {
        registerUser(profile, first.address(), QStringLiteral("alice"), kPassword);
        // Registering on the second alone is a server of its own: its own pin (of the
        // same certificate). In the lists below its identity is the first node's.
        second.pinIn(QString::fromStdString((dir.path() / "alice").string()));
        registerUser(profile, second.address(), QStringLiteral("alice"), kPassword);
    }

    /// A controller with a reconnect backoff far longer than any wait below: a node
    /// reached within them was tried at once.
    std::unique_ptr<SessionController> controller(const QString& list) {
        auto c = std::make_unique<SessionController>(profile);
        c->setReconnectDelays(60'000, 60'000);
        const auto server = ServerAddress::parse(list);
        BOOST_TEST_REQUIRE(server.has_value(), list.toStdString());
        c->connectToServer(*server);
        return c;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(server_list)

BOOST_AUTO_TEST_CASE(a_list_parses_into_nodes_and_the_first_is_the_identity) {
    const auto list = ServerAddress::parse(QStringLiteral(" 10.0.0.1:9000, [::1]:9001 ,chat.example.org "));
    BOOST_TEST_REQUIRE(list.has_value());
    BOOST_TEST(list->nodeCount() == 3);
    BOOST_TEST(list->toString() == QStringLiteral("10.0.0.1:9000"));
    BOOST_TEST(list->listText() == QStringLiteral("10.0.0.1:9000,[::1]:9001,chat.example.org:7878"));
    BOOST_TEST(ServerAddress::nodeText(list->node(1)) == QStringLiteral("[::1]:9001"));
    BOOST_TEST(ServerAddress::parse(list->listText())->listText() == list->listText());
    // The same first node is the same server (one history, one pin), whatever follows.
    BOOST_TEST((*list == *ServerAddress::parse(QStringLiteral("10.0.0.1:9000"))));
    BOOST_TEST(ServerAddress::parse(QStringLiteral("10.0.0.1:9000"))->listText() == QStringLiteral("10.0.0.1:9000"));

    BOOST_TEST(!ServerAddress::parse(QStringLiteral("a:1,,b:2")).has_value());
    BOOST_TEST(!ServerAddress::parse(QStringLiteral("a:1,")).has_value());
    BOOST_TEST(!ServerAddress::parse(QStringLiteral("a,a:7878")).has_value());  // one node twice
    BOOST_TEST(!ServerAddress::parse(QStringLiteral("a:1,b:0")).has_value());
}

BOOST_FIXTURE_TEST_CASE(a_dead_first_node_is_passed_over_at_once, TwoNodes) {
    const QString dead = deadNode();
    auto c = controller(dead + QLatin1Char(',') + second.address().toString());
    QSignalSpy succeeded(c.get(), &SessionController::loginSucceeded);
    QSignalSpy messages(c.get(), &SessionController::connectionMessage);
    QSignalSpy trust(c.get(), &SessionController::trustRequired);
    c->logIn(QStringLiteral("alice"), kPassword);
    // The server's identity is the first node: its certificate, presented by the second
    // node, is asked about once under the first node's name, as at any first contact.
    BOOST_TEST_REQUIRE(waitFor([&] { return trust.count() == 1; }, 10s));
    BOOST_TEST(trust.at(0).at(0).value<ServerAddress>().toString() == dead);
    BOOST_TEST(trust.at(0).at(1).toString() == second.fingerprint());
    c->trustCertificate(second.fingerprint());
    BOOST_TEST_REQUIRE(waitFor([&] { return succeeded.count() == 1; }, 10s));
    BOOST_TEST(c->currentNode() == second.address().toString());
    BOOST_TEST_REQUIRE(messages.count() >= 1);
    BOOST_TEST(messages.at(0).at(0).toString() ==
               dead + QStringLiteral(" did not answer (Connection refused); trying ") + second.address().toString());
}

BOOST_FIXTURE_TEST_CASE(when_its_node_dies_the_client_moves_to_the_next_and_logs_in_there, TwoNodes) {
    auto c = controller(first.address().toString() + QLatin1Char(',') + second.address().toString());
    QSignalSpy ready(c.get(), &SessionController::ready);
    c->logIn(QStringLiteral("alice"), kPassword);
    BOOST_TEST_REQUIRE(waitFor([&] { return ready.count() == 1; }, 10s));
    BOOST_TEST(c->currentNode() == first.address().toString());

    first.kill();
    // Well within the 60 s backoff: the next node was tried at once.
    BOOST_TEST_REQUIRE(waitFor([&] { return ready.count() == 2; }, 10s));
    BOOST_TEST((c->connectionState() == ConnectionState::Connected));
    BOOST_TEST(c->currentNode() == second.address().toString());
}

BOOST_FIXTURE_TEST_CASE(when_no_node_answers_the_login_fails_once_naming_the_list, TwoNodes) {
    const QString list = deadNode() + QLatin1Char(',') + deadNode();
    auto c = controller(list);
    QSignalSpy failed(c.get(), &SessionController::loginFailed);
    c->logIn(QStringLiteral("alice"), kPassword);
    BOOST_TEST_REQUIRE(waitFor([&] { return failed.count() == 1; }, 10s));
    BOOST_TEST((failed.at(0).at(0).value<LoginError>() == LoginError::Unreachable));
    BOOST_TEST(failed.at(0).at(1).toString().contains(list), failed.at(0).at(1).toString().toStdString());
    spin(500ms);  // and no endless round
    BOOST_TEST(failed.count() == 1);
    BOOST_TEST((c->connectionState() == ConnectionState::Offline));
}

BOOST_AUTO_TEST_SUITE_END()
