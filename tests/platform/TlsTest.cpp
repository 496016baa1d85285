// TLS as a stream layer over real loopback sockets, on the backend under test: a chat
// round trip, the client's CA rules (verified, expired, other host, self-signed), bad
// input instead of a ClientHello, a ClientHello cut at every byte, the certificate/key
// checks of a server context, a renegotiation attempt over TLS 1.2, and a thousand
// handshakes at once beside a live pair.
#include "tests/platform/ResourceLimits.h"
#include "tests/platform/TestSupport.h"
#include "tests/support/TempDir.h"

#include "platform/Buffer.h"
#include "platform/InetAddress.h"
#include "platform/TcpClient.h"
#include "platform/TcpConnection.h"
#include "platform/tls/Certificate.h"
#include "platform/tls/TlsContext.h"
#include "platform/tls/TlsLayer.h"

#include <boost/test/unit_test.hpp>

#include <openssl/ssl.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace parley::net::test {

namespace {

/// A CA, certificates it signed (good, expired, for another host) and a self-signed
/// one, as files in a temporary folder.
struct Certificates {
    parley::test::TempDir dir{"parley-tls"};
    PemPair ca;
    std::string caFile;

    Certificates() {
        CertificateSpec authority;
        authority.commonName = "Parley test CA";
        authority.certificateAuthority = true;
        ca = makeCertificate(authority);
        caFile = write("ca.pem", ca.certificate);
    }

    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(dir.file(name), std::ios::binary) << text;
        return dir.file(name);
    }

    /// A server context presenting a certificate made from `spec` (signed by the CA
    /// unless `selfSigned`); `fingerprint` receives its fingerprint.
    std::shared_ptr<const TlsContext> server(CertificateSpec spec, bool selfSigned = false,
                                             std::string* fingerprint = nullptr) const {
        if (!selfSigned) {
            spec.issuer = &ca;
        }
        const PemPair pair = makeCertificate(spec);
        static std::atomic<int> counter{0};
        const std::string base = "server-" + std::to_string(++counter);
        TlsServerSettings settings;
        settings.certificateFile = write(base + ".pem", pair.certificate);
        settings.keyFile = write(base + ".key", pair.key);
        if (fingerprint != nullptr) {
            *fingerprint = sha256FingerprintOfPem(pair.certificate);
        }
        return TlsContext::server(settings);
    }

    std::shared_ptr<const TlsContext> client() const {
        TlsClientSettings settings;
        settings.caFile = caFile;
        return TlsContext::client(settings);
    }
};

CertificateSpec forLoopback() {
    CertificateSpec spec;
    spec.ipAddresses = {"127.0.0.1"};
    return spec;
}

/// What a TLS server side saw: handshakes finished and failure reasons.
struct ServerSide {
    std::mutex mutex;
    std::vector<std::string> failures;
    std::atomic<int> established{0};

    ConnectionCallbacks echo(std::shared_ptr<const TlsContext> context) {
        ConnectionCallbacks callbacks = echoCallbacks();
        callbacks.onConnection = [this, context](const TcpConnectionPtr& connection) {
            TlsEvents events;
            events.onEstablished = [this] { ++established; };
            events.onFailure = [this](const std::string& reason) {
                const std::lock_guard<std::mutex> lock(mutex);
                failures.push_back(reason);
            };
            connection->setStreamLayer(TlsLayer::server(context, std::move(events)));
        };
        return callbacks;
    }

    bool failedWith(const std::string& fragment) {
        const std::lock_guard<std::mutex> lock(mutex);
        for (const std::string& failure : failures) {
            if (failure.find(fragment) != std::string::npos) {
                return true;
            }
        }
        return false;
    }
};

/// A TLS client on its own loop that sends `message` once established and collects
/// what comes back.
class TlsEchoClient {
public:
    TlsEchoClient(std::uint16_t port, std::shared_ptr<const TlsContext> context,
                  std::function<bool(const TlsPeer&)> trust = {})
        : m_thread(testBackend(), quietLogger()),
          m_loop(m_thread.start()),
          m_client(m_loop, InetAddress::loopback(port)) {
        ConnectionCallbacks callbacks;
        callbacks.onConnection = [this, context, trust](const TcpConnectionPtr& connection) {
            TlsEvents events;
            events.onEstablished = [this] { m_established = true; };
            events.onFailure = [this](const std::string& reason) {
                const std::lock_guard<std::mutex> lock(m_mutex);
                m_failure = reason;
            };
            events.trust = [this, trust](const TlsPeer& peer) {
                {
                    const std::lock_guard<std::mutex> lock(m_mutex);
                    m_peer = peer;
                }
                return trust ? trust(peer) : peer.verified;
            };
            connection->setStreamLayer(TlsLayer::client(context, "127.0.0.1", std::move(events)));
        };
        callbacks.onMessage = [this](const TcpConnectionPtr&, Buffer& buffer) {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_received += buffer.retrieveAllAsString();
        };
        callbacks.onClose = [this](const TcpConnectionPtr&) { m_closed = true; };
        m_client.setCallbacks(callbacks);
        m_client.connect();
    }

    /// Sends on the loop once connected (held by the layer until the handshake is done).
    void send(std::string data) {
        BOOST_REQUIRE(waitFor([this] { return m_client.connection() != nullptr || m_closed; }));
        m_loop.runInLoop([this, data = std::move(data)] {
            if (const TcpConnectionPtr connection = m_client.connection()) {
                connection->send(data);
            }
        });
    }

    std::string received() {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_received;
    }
    std::string failure() {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_failure;
    }
    TlsPeer peer() {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_peer;
    }
    bool established() const { return m_established; }
    bool closed() const { return m_closed; }

private:
    LoopThread m_thread;
    Reactor& m_loop;
    TcpClient m_client;
    std::mutex m_mutex;
    std::string m_received;
    std::string m_failure;
    TlsPeer m_peer;
    std::atomic<bool> m_established{false};
    std::atomic<bool> m_closed{false};
};

/// A real ClientHello, as the client layer writes it first.
std::string clientHello(const std::shared_ptr<const TlsContext>& context) {
    const std::unique_ptr<TlsLayer> layer = TlsLayer::client(context, "127.0.0.1", {});
    Buffer out;
    BOOST_REQUIRE_EQUAL(layer->open(out), 0);
    return out.retrieveAllAsString();
}

bool echoesOverTls(std::uint16_t port, const std::shared_ptr<const TlsContext>& client, const std::string& text) {
    TlsEchoClient probe(port, client);
    probe.send(text);
    return waitFor([&] { return probe.received() == text; });
}

/// A bare OpenSSL TLS 1.2 client on a blocking socket: what an attacker could drive
/// by hand, renegotiation included (the TlsLayer client never renegotiates).
class RawTls12Client {
public:
    explicit RawTls12Client(std::uint16_t port) : m_socket(connectBlocking(port)) {
        m_socket.setReceiveTimeout(Poco::Timespan(10, 0));  // bounds every read below
        m_ctx = SSL_CTX_new(TLS_client_method());
        BOOST_REQUIRE(m_ctx != nullptr);
        SSL_CTX_set_max_proto_version(m_ctx, TLS1_2_VERSION);
        SSL_CTX_set_verify(m_ctx, SSL_VERIFY_NONE, nullptr);
        m_ssl = SSL_new(m_ctx);
        BOOST_REQUIRE(m_ssl != nullptr);
        SSL_set_fd(m_ssl, static_cast<int>(m_socket.impl()->sockfd()));
    }
    ~RawTls12Client() {
        SSL_free(m_ssl);
        SSL_CTX_free(m_ctx);
    }
    RawTls12Client(const RawTls12Client&) = delete;
    RawTls12Client& operator=(const RawTls12Client&) = delete;

    bool connect() { return SSL_connect(m_ssl) == 1; }
    std::string version() const { return SSL_get_version(m_ssl); }
    bool write(const std::string& text) { return SSL_write(m_ssl, text.data(), static_cast<int>(text.size())) > 0; }
    /// Up to `size` bytes, or empty on an error/alert/EOF.
    std::string read(std::size_t size) {
        std::string text(size, '\0');
        const int got = SSL_read(m_ssl, text.data(), static_cast<int>(size));
        return got > 0 ? text.substr(0, static_cast<std::size_t>(got)) : std::string();
    }
    /// Asks the server for a new handshake; true if one completed.
    bool renegotiate() { return SSL_renegotiate(m_ssl) == 1 && SSL_do_handshake(m_ssl) == 1; }

private:
    Poco::Net::StreamSocket m_socket;
    SSL_CTX* m_ctx = nullptr;
    SSL* m_ssl = nullptr;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(tls)

BOOST_AUTO_TEST_CASE(a_renegotiation_attempt_over_tls12_is_refused_and_harms_nobody) {
    const Certificates certificates;
    ServerSide side;
    CertificateSpec spec = forLoopback();
    spec.issuer = &certificates.ca;
    const PemPair pair = makeCertificate(spec);
    TlsServerSettings settings;
    settings.certificateFile = certificates.write("tls12.pem", pair.certificate);
    settings.keyFile = certificates.write("tls12.key", pair.key);
    settings.minimum = TlsMinimum::Tls12;
    ServerHarness harness(side.echo(TlsContext::server(settings)));

    RawTls12Client attacker(harness.port());
    BOOST_REQUIRE(attacker.connect());
    BOOST_TEST(attacker.version() == "TLSv1.2");
    BOOST_REQUIRE(attacker.write("before"));
    BOOST_TEST(attacker.read(64) == "before");
    BOOST_TEST(!attacker.renegotiate());  // SSL_OP_NO_RENEGOTIATION: never a second handshake
    BOOST_TEST(side.established == 1);
    BOOST_TEST(echoesOverTls(harness.port(), certificates.client(), "still serving"));
}

BOOST_AUTO_TEST_CASE(chat_round_trip_with_a_ca_verified_certificate) {
    const Certificates certificates;
    ServerSide side;
    ServerHarness harness(side.echo(certificates.server(forLoopback())));
    TlsEchoClient client(harness.port(), certificates.client());
    client.send("hello over TLS");  // before the handshake: held, then sent
    BOOST_REQUIRE(waitFor([&] { return client.received() == "hello over TLS"; }));
    BOOST_TEST(client.established());
    BOOST_TEST(client.peer().verified);
    BOOST_TEST(client.peer().protocol == "TLSv1.3");
    BOOST_TEST(side.established == 1);

    // A bigger exchange crosses many records in both directions.
    std::string big(300'000, 'x');
    for (std::size_t i = 0; i < big.size(); ++i) {
        big[i] = static_cast<char>('a' + i % 26);
    }
    client.send(big);
    BOOST_TEST(waitFor([&] { return client.received().size() == 14 + big.size(); }));
    BOOST_TEST((client.received().substr(14) == big));
}

BOOST_AUTO_TEST_CASE(client_refuses_expired_other_host_and_unknown_certificates) {
    const Certificates certificates;

    CertificateSpec expired = forLoopback();
    expired.notBeforeSeconds = -20 * 24 * 3600;
    expired.notAfterSeconds = -24 * 3600;
    CertificateSpec otherHost;
    otherHost.dnsNames = {"elsewhere.example"};
    otherHost.ipAddresses = {"192.0.2.7"};

    struct Case {
        const char* name;
        std::shared_ptr<const TlsContext> server;
        const char* verifyError;
    };
    const std::vector<Case> cases = {
        {"expired", certificates.server(expired), "expired"},
        {"other host", certificates.server(otherHost), "mismatch"},
        {"self-signed", certificates.server(forLoopback(), true), "self-signed"},
    };
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT(c.name) {
            ServerSide side;
            ServerHarness harness(side.echo(c.server));
            TlsEchoClient client(harness.port(), certificates.client());
            client.send("the password");
            BOOST_REQUIRE(waitFor([&] { return client.closed(); }));
            BOOST_TEST(!client.established());
            BOOST_TEST(!client.peer().verified);
            BOOST_TEST(client.peer().verifyError.find(c.verifyError) != std::string::npos, client.peer().verifyError);
            BOOST_TEST(client.failure().find("not trusted") != std::string::npos, client.failure());
            BOOST_TEST(client.received().empty());
        }
    }
}

BOOST_AUTO_TEST_CASE(a_pinned_fingerprint_is_accepted_and_another_refused) {
    const Certificates certificates;
    std::string fingerprint;
    ServerSide side;
    ServerHarness harness(side.echo(certificates.server(forLoopback(), true, &fingerprint)));

    TlsEchoClient pinned(harness.port(), certificates.client(),
                         [&](const TlsPeer& peer) { return peer.fingerprint == fingerprint; });
    pinned.send("pinned");
    BOOST_REQUIRE(waitFor([&] { return pinned.received() == "pinned"; }));
    BOOST_TEST(pinned.peer().fingerprint.size() == 95U);

    const std::string other = "00" + fingerprint.substr(2);
    TlsEchoClient changed(harness.port(), certificates.client(),
                          [&](const TlsPeer& peer) { return peer.fingerprint == other; });
    changed.send("must not leave");
    BOOST_REQUIRE(waitFor([&] { return changed.closed(); }));
    BOOST_TEST(changed.received().empty());
    BOOST_TEST(!changed.established());
}

BOOST_AUTO_TEST_CASE(plaintext_and_garbage_instead_of_a_client_hello_are_closed) {
    const Certificates certificates;
    ServerSide side;
    ServerHarness harness(side.echo(certificates.server(forLoopback())));
    {
        Poco::Net::StreamSocket plain = connectBlocking(harness.port());
        sendAll(plain, "PRLY plaintext login with a password");
        BOOST_TEST(receiveUntilEof(plain).empty());  // nothing comes back, not even an echo
    }
    BOOST_TEST(waitFor([&] { return side.failedWith("does not speak TLS (first byte 0x50"); }));
    {
        // A handshake record header with nonsense in it.
        Poco::Net::StreamSocket garbage = connectBlocking(harness.port());
        sendAll(garbage, std::string("\x16\x03\x01\x00\x08", 5) + "garbage!");
        const std::string answer = receiveUntilEof(garbage);
        BOOST_TEST(answer.find("garbage") == std::string::npos);
    }
    BOOST_TEST(waitFor([&] { return side.failedWith("handshake failed"); }));
    BOOST_TEST(waitFor([&] { return harness.server->connectionCount() == 0; }));
    BOOST_TEST(echoesOverTls(harness.port(), certificates.client(), "still serving"));
}

BOOST_AUTO_TEST_CASE(a_client_hello_cut_at_every_byte_harms_nobody) {
    const Certificates certificates;
    ServerSide side;
    ServerHarness harness(side.echo(certificates.server(forLoopback())));
    const std::string hello = clientHello(certificates.client());
    BOOST_REQUIRE_GT(hello.size(), 100U);
    BOOST_REQUIRE_LT(hello.size(), 4096U);  // bounds the loop below
    for (std::size_t cut = 1; cut < hello.size(); ++cut) {
        Poco::Net::StreamSocket socket = connectBlocking(harness.port());
        sendAll(socket, hello.substr(0, cut));
        socket.shutdownSend();
        receiveUntilEof(socket);  // the server closes when it sees the end
    }
    BOOST_TEST(side.established == 0);
    BOOST_TEST(waitFor([&] { return harness.server->connectionCount() == 0; }));
    BOOST_TEST(echoesOverTls(harness.port(), certificates.client(), "after the cuts"));
}

BOOST_AUTO_TEST_CASE(a_server_context_refuses_a_key_of_another_certificate_and_unreadable_files) {
    const Certificates certificates;
    const PemPair one = makeCertificate(forLoopback());
    const PemPair two = makeCertificate(forLoopback());
    TlsServerSettings mismatch;
    mismatch.certificateFile = certificates.write("one.pem", one.certificate);
    mismatch.keyFile = certificates.write("two.key", two.key);
    BOOST_CHECK_EXCEPTION(TlsContext::server(mismatch), TlsError, [](const TlsError& e) {
        BOOST_TEST_MESSAGE(e.what());
        return std::string(e.what()).find("does not match") != std::string::npos;
    });

    TlsServerSettings missing;
    missing.certificateFile = certificates.write("one-again.pem", one.certificate);
    missing.keyFile = certificates.dir.file("no-such.key");
    BOOST_CHECK_EXCEPTION(TlsContext::server(missing), TlsError, [](const TlsError& e) {
        return std::string(e.what()).find("cannot read the key file") != std::string::npos;
    });

    TlsServerSettings notPem;
    notPem.certificateFile = certificates.write("junk.pem", "not a certificate");
    notPem.keyFile = certificates.write("one.key", one.key);
    BOOST_CHECK_EXCEPTION(TlsContext::server(notPem), TlsError, [](const TlsError& e) {
        return std::string(e.what()).find("no usable PEM certificate") != std::string::npos;
    });
}

BOOST_AUTO_TEST_CASE(a_thousand_handshakes_at_once_do_not_stall_a_live_pair) {
    constexpr std::size_t kHandshakes = 1000;
    constexpr int kRoundTrips = 50;
    BOOST_REQUIRE(raiseOpenFileLimit(2 * kHandshakes + 256) >= 2 * kHandshakes + 64);
    const Certificates certificates;
    ServerSide side;
    ServerHarness harness(side.echo(certificates.server(forLoopback())));
    const std::string hello = clientHello(certificates.client());

    TlsEchoClient pair(harness.port(), certificates.client());
    pair.send("0;");
    BOOST_REQUIRE(waitFor([&] { return pair.received() == "0;"; }));

    // Each of these sends a whole ClientHello (the server does its share: key exchange,
    // signature) and then never finishes.
    std::atomic<bool> opened{false};
    std::vector<Poco::Net::StreamSocket> stalled;
    std::thread storm([&] {
        for (std::size_t i = 0; i < kHandshakes; ++i) {
            stalled.push_back(connectBlocking(harness.port()));
            sendAll(stalled.back(), hello);
        }
        opened = true;
    });
    // Meanwhile the pair goes on: every round trip gets its answer.
    std::string expected = "0;";
    int during = 0;
    for (int i = 1; i <= kRoundTrips; ++i) {
        const std::string line = std::to_string(i) + ";";
        expected += line;
        pair.send(line);
        BOOST_REQUIRE(waitFor([&] { return pair.received() == expected; }));
        during += opened ? 0 : 1;
    }
    storm.join();
    BOOST_TEST_MESSAGE(during << " of " << kRoundTrips
                              << " round trips completed while the ClientHellos were being sent");
    // The storm's last connects can still sit in the kernel's accept queue when it ends (the
    // Poco backend accepts them a little later): wait for the server to hold them all.
    BOOST_TEST(waitFor([&] { return harness.server->connectionCount() >= kHandshakes; }, 30s));
    BOOST_TEST(side.established == 1);
    stalled.clear();
    BOOST_TEST(waitFor([&] { return harness.server->connectionCount() == 1; }, 60s));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace parley::net::test
