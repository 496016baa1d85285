// Parley's own TLS 1.3 records (platform/tls/Tls13Records) against OpenSSL's, over
// memory: the handshake is OpenSSL's on both sides, then one side's records are ours and
// the other side's OpenSSL's (or ours on both), so every byte ours seals is checked by
// OpenSSL and every record OpenSSL seals is opened by ours. Each cipher suite, bytes cut
// at every size, key updates in both directions and our own rotation, a tampered record,
// records too long or unprotected, close_notify and a fatal alert from the peer.
#include "tests/support/TempDir.h"

#include "platform/Buffer.h"
#include "platform/tls/Certificate.h"
#include "platform/tls/Tls13Records.h"
#include "platform/tls/TlsContext.h"
#include "platform/tls/TlsLayer.h"

#include <boost/test/unit_test.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace parley::net::test {

namespace {

constexpr const char* kSuites[] = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"};

std::string randomBytes(std::size_t size, unsigned seed) {
    std::mt19937 generator(seed);
    std::string bytes(size, '\0');
    for (char& byte : bytes) {
        byte = static_cast<char>(generator() & 0xFFU);
    }
    return bytes;
}

/// A self-signed certificate for 127.0.0.1 in a temporary folder.
struct ServerFiles {
    parley::test::TempDir dir{"parley-tls13"};
    TlsServerSettings settings;

    ServerFiles() {
        CertificateSpec spec;
        spec.ipAddresses = {"127.0.0.1"};
        const PemPair pair = makeCertificate(spec);
        settings.certificateFile = dir.file("server.pem");
        settings.keyFile = dir.file("server.key");
        std::ofstream(settings.certificateFile, std::ios::binary) << pair.certificate;
        std::ofstream(settings.keyFile, std::ios::binary) << pair.key;
    }
};

void captureSecrets(const SSL* ssl, const char* line) {
    if (auto* secrets = static_cast<HandshakeSecrets*>(SSL_get_app_data(ssl))) {
        secrets->capture(line);
    }
}

/// A bare OpenSSL endpoint over two memory BIOs.
class OpenSslEnd {
public:
    OpenSslEnd(bool server, const ServerFiles* files, const char* suite, int tickets = 0) {
        m_ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
        BOOST_REQUIRE(m_ctx != nullptr);
        SSL_CTX_set_min_proto_version(m_ctx, TLS1_3_VERSION);
        if (suite != nullptr) {
            BOOST_REQUIRE_EQUAL(SSL_CTX_set_ciphersuites(m_ctx, suite), 1);
        }
        if (server) {
            BOOST_REQUIRE(files != nullptr);
            BOOST_REQUIRE_EQUAL(
                SSL_CTX_use_certificate_file(m_ctx, files->settings.certificateFile.c_str(), SSL_FILETYPE_PEM), 1);
            BOOST_REQUIRE_EQUAL(SSL_CTX_use_PrivateKey_file(m_ctx, files->settings.keyFile.c_str(), SSL_FILETYPE_PEM),
                                1);
            SSL_CTX_set_num_tickets(m_ctx, static_cast<std::size_t>(tickets));
        } else {
            SSL_CTX_set_verify(m_ctx, SSL_VERIFY_NONE, nullptr);
        }
        SSL_CTX_set_keylog_callback(m_ctx, captureSecrets);
        m_ssl = SSL_new(m_ctx);
        m_in = BIO_new(BIO_s_mem());
        m_out = BIO_new(BIO_s_mem());
        SSL_set_bio(m_ssl, m_in, m_out);
        SSL_set_app_data(m_ssl, &secrets);
        if (server) {
            SSL_set_accept_state(m_ssl);
        } else {
            SSL_set_connect_state(m_ssl);
        }
    }
    ~OpenSslEnd() {
        SSL_free(m_ssl);
        SSL_CTX_free(m_ctx);
    }
    OpenSslEnd(const OpenSslEnd&) = delete;
    OpenSslEnd& operator=(const OpenSslEnd&) = delete;

    void give(std::string_view wire) {
        if (!wire.empty()) {
            BIO_write(m_in, wire.data(), static_cast<int>(wire.size()));
        }
    }
    std::string take() {
        std::string wire;
        char chunk[16384];
        int got = 0;
        while ((got = BIO_read(m_out, chunk, sizeof chunk)) > 0) {
            wire.append(chunk, static_cast<std::size_t>(got));
        }
        return wire;
    }
    bool handshake() { return SSL_do_handshake(m_ssl) == 1; }
    void write(std::string_view text) {
        BOOST_REQUIRE_EQUAL(SSL_write(m_ssl, text.data(), static_cast<int>(text.size())),
                            static_cast<int>(text.size()));
    }
    /// Everything readable now; `error` receives SSL_get_error of the last call.
    std::string read(int* error = nullptr) {
        std::string text;
        char chunk[16384];
        int got = 0;
        while ((got = SSL_read(m_ssl, chunk, sizeof chunk)) > 0) {
            text.append(chunk, static_cast<std::size_t>(got));
        }
        if (error != nullptr) {
            *error = SSL_get_error(m_ssl, got);
        }
        return text;
    }
    SSL* ssl() { return m_ssl; }
    std::uint16_t suite() const { return SSL_CIPHER_get_protocol_id(SSL_get_current_cipher(m_ssl)); }

    HandshakeSecrets secrets;

private:
    SSL_CTX* m_ctx = nullptr;
    SSL* m_ssl = nullptr;
    BIO* m_in = nullptr;
    BIO* m_out = nullptr;
};

/// Our TlsLayer with its buffers (made by ourServer / ourClient: its callbacks point at
/// it, so it stays where it was made).
struct OurEnd {
    std::unique_ptr<TlsLayer> layer;
    Buffer application;
    std::string failure;

    TlsEvents events() {
        TlsEvents events;
        events.onFailure = [this](const std::string& reason) { failure = reason; };
        return events;
    }
    /// Feeds `wire`, returns what must go back.
    std::string give(std::string_view wire, int* error = nullptr) {
        Buffer out;
        const int result = layer->decode(wire, application, out);
        if (error != nullptr) {
            *error = result;
        }
        return out.retrieveAllAsString();
    }
    std::string send(std::string_view text) {
        Buffer out;
        BOOST_REQUIRE_EQUAL(layer->encode(text, out), 0);
        return out.retrieveAllAsString();
    }
};

using OurEndPtr = std::unique_ptr<OurEnd>;

OurEndPtr ourServer(const std::shared_ptr<const TlsContext>& context) {
    auto end = std::make_unique<OurEnd>();
    end->layer = TlsLayer::server(context, end->events());
    return end;
}

/// A client that trusts whatever server it meets.
OurEndPtr ourClient(const std::shared_ptr<const TlsContext>& context) {
    auto end = std::make_unique<OurEnd>();
    TlsEvents events = end->events();
    events.trust = [](const TlsPeer&) { return true; };
    end->layer = TlsLayer::client(context, "127.0.0.1", std::move(events));
    return end;
}

/// Our server layer and an OpenSSL client, handshake done.
void handshake(OurEnd& server, OpenSslEnd& client) {
    for (int round = 0; round < 10 && !(client.handshake() && server.layer->established()); ++round) {
        client.give(server.give(client.take()));
    }
    BOOST_REQUIRE(server.layer->established());
    BOOST_REQUIRE(client.handshake());
}

/// Two OpenSSL ends, handshake done; the client's secrets captured. What the server sends
/// after the client is done (session tickets) stays in the server's output.
void handshake(OpenSslEnd& server, OpenSslEnd& client) {
    bool clientDone = client.handshake();
    for (int round = 0; round < 10; ++round) {
        server.give(client.take());
        if (server.handshake() && clientDone) {
            break;
        }
        if (!clientDone) {
            client.give(server.take());
            clientDone = client.handshake();
        }
    }
    BOOST_REQUIRE(server.handshake());
    BOOST_REQUIRE(clientDone);
}

std::unique_ptr<Tls13Records> recordsOfClient(OpenSslEnd& client, std::uint64_t recordsPerKey) {
    std::unique_ptr<Tls13Records> records =
        Tls13Records::create(client.suite(), true, client.secrets.server, client.secrets.client, recordsPerKey);
    BOOST_REQUIRE(records != nullptr);
    return records;
}

std::string decodeAll(Tls13Records& records, std::string_view wire, std::string* back = nullptr) {
    Buffer application;
    Buffer out;
    BOOST_REQUIRE(records.decode(wire, application, out) == Tls13Records::Status::Open);
    if (back != nullptr) {
        *back = out.retrieveAllAsString();
    }
    return application.retrieveAllAsString();
}

std::string sealed(Tls13Records& records, std::string_view text) {
    Buffer out;
    BOOST_REQUIRE(records.encode(text, out));
    return out.retrieveAllAsString();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tls13_records)

BOOST_AUTO_TEST_CASE(our_records_and_openssls_agree_for_every_suite_and_every_cut) {
    const ServerFiles files;
    const std::shared_ptr<const TlsContext> context = TlsContext::server(files.settings);
    for (const char* suite : kSuites) {
        BOOST_TEST_CONTEXT(suite) {
            const OurEndPtr server = ourServer(context);
            OpenSslEnd client(false, nullptr, suite);
            handshake(*server, client);
            BOOST_TEST(server->layer->ownsRecords());
            BOOST_TEST(server->layer->protocol() == "TLSv1.3");

            // OpenSSL's records to ours, given in slices of 1, 2, 3 ... bytes.
            const std::string upstream = randomBytes(200'000, 1);
            client.write(upstream);
            const std::string wire = client.take();
            std::size_t slice = 1;
            for (std::size_t at = 0; at < wire.size(); at += slice, ++slice) {
                BOOST_REQUIRE(server->give(std::string_view(wire).substr(at, slice)).empty());
            }
            BOOST_TEST(server->application.retrieveAllAsString() == upstream);

            // Ours to OpenSSL's: 16 KiB records and a zero-length encode.
            const std::string downstream = randomBytes(100'000, 2);
            client.give(server->send(downstream) + server->send(""));
            BOOST_TEST(client.read() == downstream);
            BOOST_TEST(server->failure.empty());
        }
    }
}

BOOST_AUTO_TEST_CASE(both_ends_of_parley_free_their_ssl_and_talk) {
    const ServerFiles files;
    const OurEndPtr server = ourServer(TlsContext::server(files.settings));
    const OurEndPtr client = ourClient(TlsContext::client({}));
    Buffer hello;
    BOOST_REQUIRE_EQUAL(client->layer->open(hello), 0);
    std::string toServer = hello.retrieveAllAsString() + client->send("LOGIN held until the handshake is done");
    for (int round = 0; round < 10 && !toServer.empty(); ++round) {
        toServer = client->give(server->give(toServer));
    }
    BOOST_REQUIRE(server->layer->established() && client->layer->established());
    BOOST_TEST(server->layer->ownsRecords());
    BOOST_TEST(client->layer->ownsRecords());
    BOOST_TEST(server->application.retrieveAllAsString() == "LOGIN held until the handshake is done");
    const std::string big = randomBytes(1 << 20, 3);
    BOOST_TEST(client->give(server->send(big)).empty());
    BOOST_TEST(client->application.retrieveAllAsString() == big);

    Buffer farewell;
    client->layer->close(farewell);
    int error = -1;
    BOOST_TEST(server->give(farewell.retrieveAllAsString() + "bytes after close_notify are ignored", &error).empty());
    BOOST_TEST(error == 0);
    BOOST_TEST(server->application.readableBytes() == 0U);
    BOOST_TEST(server->failure.empty());
}

BOOST_AUTO_TEST_CASE(a_key_update_from_openssl_is_followed_and_answered) {
    const ServerFiles files;
    const OurEndPtr server = ourServer(TlsContext::server(files.settings));
    OpenSslEnd client(false, nullptr, nullptr);
    handshake(*server, client);
    for (int round = 0; round < 3; ++round) {
        BOOST_REQUIRE_EQUAL(SSL_key_update(client.ssl(), SSL_KEY_UPDATE_REQUESTED), 1);
        client.write("after update " + std::to_string(round));
        const std::string answer = server->give(client.take());
        BOOST_TEST(!answer.empty());  // our KeyUpdate
        BOOST_TEST(server->application.retrieveAllAsString() == "after update " + std::to_string(round));
        client.give(answer + server->send("under our new key"));
        BOOST_TEST(client.read() == "under our new key");
    }
    BOOST_REQUIRE_EQUAL(SSL_key_update(client.ssl(), SSL_KEY_UPDATE_NOT_REQUESTED), 1);
    client.write("not requested");
    BOOST_TEST(server->give(client.take()).empty());
    BOOST_TEST(server->application.retrieveAllAsString() == "not requested");
    BOOST_TEST(server->failure.empty());
}

BOOST_AUTO_TEST_CASE(our_keys_rotate_every_n_records_and_openssl_follows) {
    const ServerFiles files;
    for (const char* suite : kSuites) {
        BOOST_TEST_CONTEXT(suite) {
            OpenSslEnd server(true, &files, suite);
            OpenSslEnd client(false, nullptr, suite);
            handshake(server, client);
            const std::unique_ptr<Tls13Records> records = recordsOfClient(client, 2);
            std::string expected;
            for (int i = 0; i < 9; ++i) {
                const std::string text = "record " + std::to_string(i);
                server.give(sealed(*records, text));
                expected += text;
            }
            BOOST_TEST(server.read() == expected);
            server.write("and back");
            BOOST_TEST(decodeAll(*records, server.take()) == "and back");
        }
    }
}

BOOST_AUTO_TEST_CASE(a_client_drops_session_tickets) {
    const ServerFiles files;
    OpenSslEnd server(true, &files, nullptr, 2);
    OpenSslEnd client(false, nullptr, nullptr);
    handshake(server, client);
    const std::unique_ptr<Tls13Records> records = recordsOfClient(client, Tls13Records::kRecordsPerKey);
    server.write("after the tickets");  // the two NewSessionTickets go first
    BOOST_TEST(decodeAll(*records, server.take()) == "after the tickets");
}

BOOST_AUTO_TEST_CASE(a_tampered_record_fails_with_bad_record_mac_and_the_peer_is_told) {
    const ServerFiles files;
    const OurEndPtr server = ourServer(TlsContext::server(files.settings));
    OpenSslEnd client(false, nullptr, nullptr);
    handshake(*server, client);
    client.write("an honest message");
    std::string wire = client.take();
    wire[wire.size() / 2] = static_cast<char>(wire[wire.size() / 2] ^ 0x01);
    int error = 0;
    const std::string alert = server->give(wire, &error);
    BOOST_TEST(error != 0);
    BOOST_TEST(server->failure.find("bad_record_mac") != std::string::npos, server->failure);
    BOOST_TEST(server->application.readableBytes() == 0U);  // nothing of the forged record
    client.give(alert);
    int sslError = 0;
    BOOST_TEST(client.read(&sslError).empty());
    BOOST_TEST(sslError == SSL_ERROR_SSL);
    ERR_clear_error();
    // And nothing more is read.
    BOOST_TEST(server->give(wire, &error).empty());
    BOOST_TEST(error != 0);
}

BOOST_AUTO_TEST_CASE(records_too_long_short_or_unprotected_are_refused_with_a_reason) {
    const ServerFiles files;
    const std::shared_ptr<const TlsContext> context = TlsContext::server(files.settings);
    const struct {
        std::string wire;
        const char* reason;
    } cases[] = {
        {std::string("\x17\x03\x03\x50\x00", 5), "20480 bytes"},
        {std::string("\x17\x03\x03\x00\x05hello", 10), "too short"},
        {std::string("\x16\x03\x03\x00\x04\x01\x00\x00\x00", 9), "unprotected"},
        {std::string("\x14\x03\x03\x00\x01\x01", 6), "unprotected"},
    };
    for (const auto& bad : cases) {
        BOOST_TEST_CONTEXT(bad.reason) {
            const OurEndPtr server = ourServer(context);
            OpenSslEnd client(false, nullptr, nullptr);
            handshake(*server, client);
            int error = 0;
            client.give(server->give(bad.wire, &error));
            BOOST_TEST(error != 0);
            BOOST_TEST(server->failure.find(bad.reason) != std::string::npos, server->failure);
            int sslError = 0;
            client.read(&sslError);
            BOOST_TEST(sslError == SSL_ERROR_SSL);  // it got a fatal alert
            ERR_clear_error();
        }
    }
}

BOOST_AUTO_TEST_CASE(close_notify_ends_the_stream_and_a_fatal_alert_says_which) {
    const ServerFiles files;
    {
        OpenSslEnd server(true, &files, nullptr);
        OpenSslEnd client(false, nullptr, nullptr);
        handshake(server, client);
        const std::unique_ptr<Tls13Records> records = recordsOfClient(client, Tls13Records::kRecordsPerKey);
        server.write("last words");
        SSL_shutdown(server.ssl());
        Buffer application;
        Buffer out;
        BOOST_TEST((records->decode(server.take(), application, out) == Tls13Records::Status::PeerClosed));
        BOOST_TEST(application.retrieveAllAsString() == "last words");
    }
    {
        OpenSslEnd server(true, &files, nullptr);
        OpenSslEnd client(false, nullptr, nullptr);
        handshake(server, client);
        const std::unique_ptr<Tls13Records> records = recordsOfClient(client, Tls13Records::kRecordsPerKey);
        std::string forged = sealed(*records, "to be broken");
        forged.back() = static_cast<char>(forged.back() ^ 0x80);
        server.give(forged);
        server.read();  // OpenSSL answers with a fatal alert
        ERR_clear_error();
        Buffer application;
        Buffer out;
        BOOST_TEST((records->decode(server.take(), application, out) == Tls13Records::Status::Failed));
        BOOST_TEST(records->failure() == "the peer sent the TLS alert bad_record_mac");
        BOOST_TEST(out.readableBytes() == 0U);  // no alert back to an alert
    }
}

BOOST_AUTO_TEST_CASE(a_suite_we_do_not_implement_stays_with_openssl) {
    TrafficSecret secret;
    secret.size = 32;
    BOOST_TEST(!Tls13Records::create(0x1304, false, secret, secret));  // AES-128-CCM
    TrafficSecret shorter = secret;
    shorter.size = 20;
    BOOST_TEST(!Tls13Records::create(0x1301, false, shorter, shorter));
    BOOST_TEST(static_cast<bool>(Tls13Records::create(0x1301, false, secret, secret)));
}

BOOST_AUTO_TEST_CASE(a_key_log_line_fills_only_the_traffic_secrets) {
    HandshakeSecrets secrets;
    const std::string random(64, 'a');
    secrets.capture("CLIENT_HANDSHAKE_TRAFFIC_SECRET_0 " + random + " 00112233");
    secrets.capture("SERVER_TRAFFIC_SECRET_0 " + random + " 0a0B");
    secrets.capture("CLIENT_TRAFFIC_SECRET_0 " + random + " zz");
    secrets.capture("CLIENT_TRAFFIC_SECRET_0 " + random + " " + std::string(98, 'f'));  // 49 bytes: too long
    secrets.capture("CLIENT_TRAFFIC_SECRET_0");
    BOOST_TEST(secrets.client.size == 0U);
    BOOST_REQUIRE(secrets.server.size == 2U);
    BOOST_TEST(secrets.server.bytes[0] == 0x0A);
    BOOST_TEST(secrets.server.bytes[1] == 0x0B);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace parley::net::test
