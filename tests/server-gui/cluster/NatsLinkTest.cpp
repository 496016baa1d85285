// The secured link between a Parley node and NATS (docs/cluster-design.md §5, step 1): the
// private nats-server of scripts/nats-instance takes a node user with its password over TLS
// checked against the cluster's CA, and refuses everyone else — a wrong password, an unknown
// user, another node's password, a client that does not trust the CA, a plaintext client.
// Real nats-server on 127.0.0.1 and the real libnats; the suite fails when the fixture is
// missing.

#include "tests/server-gui/cluster/NatsInstance.h"

#include <boost/test/unit_test.hpp>

#include <nats/nats.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>

namespace {

using parley::test::NatsInstance;

struct OptionsDeleter {
    void operator()(natsOptions* options) const { natsOptions_Destroy(options); }
};
struct ConnectionDeleter {
    void operator()(natsConnection* connection) const { natsConnection_Destroy(connection); }
};
struct SubscriptionDeleter {
    void operator()(natsSubscription* subscription) const { natsSubscription_Destroy(subscription); }
};
struct MessageDeleter {
    void operator()(natsMsg* message) const { natsMsg_Destroy(message); }
};
using Options = std::unique_ptr<natsOptions, OptionsDeleter>;
using Connection = std::unique_ptr<natsConnection, ConnectionDeleter>;
using Subscription = std::unique_ptr<natsSubscription, SubscriptionDeleter>;
using Message = std::unique_ptr<natsMsg, MessageDeleter>;

/// How a client tries the link.
struct Attempt {
    std::string url;
    std::string user;
    std::string password;
    std::string caFile;  ///< empty: the system's store only
    bool secure = true;
};

/// The outcome of one connect: the status, and the connection when it is NATS_OK.
struct Connected {
    natsStatus status = NATS_ERR;
    Connection connection;
};

Connected connect(const Attempt& attempt) {
    natsOptions* raw = nullptr;
    BOOST_TEST_REQUIRE(natsOptions_Create(&raw) == NATS_OK);
    const Options options(raw);
    BOOST_TEST_REQUIRE(natsOptions_SetURL(options.get(), attempt.url.c_str()) == NATS_OK);
    BOOST_TEST_REQUIRE(natsOptions_SetTimeout(options.get(), 5000) == NATS_OK);
    BOOST_TEST_REQUIRE(natsOptions_SetMaxReconnect(options.get(), 0) == NATS_OK);
    if (!attempt.user.empty()) {
        BOOST_TEST_REQUIRE(natsOptions_SetUserInfo(options.get(), attempt.user.c_str(), attempt.password.c_str()) ==
                           NATS_OK);
    }
    if (attempt.secure) {
        BOOST_TEST_REQUIRE(natsOptions_SetSecure(options.get(), true) == NATS_OK);
    }
    if (!attempt.caFile.empty()) {
        BOOST_TEST_REQUIRE(natsOptions_LoadCATrustedCertificates(options.get(), attempt.caFile.c_str()) == NATS_OK);
    }
    natsConnection* connection = nullptr;
    Connected result;
    result.status = natsConnection_Connect(&connection, options.get());
    result.connection.reset(connection);
    return result;
}

/// A node's own attempt: its user and password, TLS, the cluster's CA.
Attempt asNode(const NatsInstance& nats, const std::string& user) {
    return Attempt{nats.env.at("URL"), user, nats.password(user), nats.env.at("CA"), true};
}

/// A TCP socket, closed when it goes.
struct Socket {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    Socket() = default;
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    ~Socket() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

std::string describe(natsStatus status) { return natsStatus_GetText(status); }

/// libnats keeps library-wide state (its threads, its OpenSSL set-up): opened once for
/// the module, closed after the last connection is gone.
struct NatsLibrary {
    NatsLibrary() { BOOST_TEST_REQUIRE(nats_Open(-1) == NATS_OK); }
    ~NatsLibrary() { nats_CloseAndWait(5000); }
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(NatsLibrary);

BOOST_AUTO_TEST_SUITE(nats_link)

BOOST_AUTO_TEST_CASE(a_node_user_over_tls_publishes_and_receives) {
    const NatsInstance nats = NatsInstance::fromEnvironment();
    Connected node = connect(asNode(nats, "node-a"));
    BOOST_TEST_REQUIRE(node.status == NATS_OK, describe(node.status));
    BOOST_TEST(natsConnection_IsClosed(node.connection.get()) == false);

    natsSubscription* raw = nullptr;
    BOOST_TEST_REQUIRE(natsConnection_SubscribeSync(&raw, node.connection.get(), "parley.test.echo") == NATS_OK);
    const Subscription subscription(raw);
    // Binary-safe: a frame's bytes, NUL included.
    const std::string frame("\x50\x4c\x00\x09 frame", 10);
    BOOST_TEST_REQUIRE(natsConnection_Publish(node.connection.get(), "parley.test.echo", frame.data(),
                                              static_cast<int>(frame.size())) == NATS_OK);
    BOOST_TEST_REQUIRE(natsConnection_FlushTimeout(node.connection.get(), 5000) == NATS_OK);
    natsMsg* got = nullptr;
    BOOST_TEST_REQUIRE(natsSubscription_NextMsg(&got, subscription.get(), 5000) == NATS_OK);
    const Message message(got);
    BOOST_TEST(std::string(natsMsg_GetData(message.get()),
                           static_cast<std::size_t>(natsMsg_GetDataLength(message.get()))) == frame);
}

BOOST_AUTO_TEST_CASE(every_node_user_has_its_own_password) {
    const NatsInstance nats = NatsInstance::fromEnvironment();
    for (const char* user : {"node-a", "node-b", "node-c"}) {
        BOOST_TEST_CONTEXT(user) {
            Connected node = connect(asNode(nats, user));
            BOOST_TEST(node.status == NATS_OK, describe(node.status));
        }
    }
    // node-b's password does not let anyone in as node-a.
    Attempt borrowed = asNode(nats, "node-a");
    borrowed.password = nats.password("node-b");
    BOOST_TEST(connect(borrowed).status == NATS_CONNECTION_AUTH_FAILED);
}

BOOST_AUTO_TEST_CASE(a_wrong_password_an_unknown_user_and_no_credentials_are_refused) {
    const NatsInstance nats = NatsInstance::fromEnvironment();
    Attempt wrong = asNode(nats, "node-a");
    wrong.password += "x";
    BOOST_TEST(connect(wrong).status == NATS_CONNECTION_AUTH_FAILED);

    Attempt stranger = asNode(nats, "node-a");
    stranger.user = "stranger";
    BOOST_TEST(connect(stranger).status == NATS_CONNECTION_AUTH_FAILED);

    Attempt anonymous = asNode(nats, "node-a");
    anonymous.user.clear();
    anonymous.password.clear();
    BOOST_TEST(connect(anonymous).status == NATS_CONNECTION_AUTH_FAILED);
}

BOOST_AUTO_TEST_CASE(a_client_that_does_not_trust_the_cluster_ca_gets_no_connection) {
    const NatsInstance nats = NatsInstance::fromEnvironment();
    Attempt untrusting = asNode(nats, "node-a");
    untrusting.caFile.clear();  // the system's store does not hold the test CA
    const Connected refused = connect(untrusting);
    BOOST_TEST(refused.status == NATS_SSL_ERROR, describe(refused.status));
    BOOST_TEST(!refused.connection);
}

// libnats upgrades to TLS by itself when the server asks, so a plaintext client is played
// by hand on a socket: the server's INFO demands TLS, and a CONNECT in clear (with a valid
// password) gets an error and the connection closed, never a PONG.
BOOST_AUTO_TEST_CASE(a_plaintext_client_is_refused_even_with_a_valid_password) {
    const NatsInstance nats = NatsInstance::fromEnvironment();
    const Socket socket;
    const int fd = socket.fd;
    BOOST_TEST_REQUIRE(fd >= 0);
    const timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(std::stoi(nats.env.at("PORT"))));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_TEST_REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);

    bool closed = false;
    // Up to the end of a line, the server's close, or the 5 s timeout.
    const auto readLine = [fd, &closed] {
        std::string got;
        char chunk[4096];
        for (;;) {
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0) {
                closed = n == 0;
                return got;
            }
            got.append(chunk, static_cast<std::size_t>(n));
            if (got.find("\r\n") != std::string::npos) {
                return got;
            }
        }
    };
    const std::string info = readLine();
    BOOST_TEST_REQUIRE(info.rfind("INFO ", 0) == 0, info);
    BOOST_TEST(info.find("\"tls_required\":true") != std::string::npos, info);

    const std::string connect =
        "CONNECT {\"verbose\":false,\"pedantic\":false,\"tls_required\":false,\"user\":\"node-a\","
        "\"pass\":\"" +
        nats.password("node-a") + "\"}\r\nPING\r\n";
    ::send(fd, connect.data(), connect.size(), MSG_NOSIGNAL);
    std::string answer;
    for (std::string more = readLine(); !more.empty(); more = readLine()) {
        answer += more;
    }
    BOOST_TEST(closed, "the server kept the plaintext connection open");
    BOOST_TEST(answer.find("PONG") == std::string::npos, answer);
    BOOST_TEST(answer.find("+OK") == std::string::npos, answer);
}

BOOST_AUTO_TEST_SUITE_END()
