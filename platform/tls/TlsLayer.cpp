#include "platform/tls/TlsLayer.h"

#include "platform/Buffer.h"
#include "platform/Compat.h"
#include "platform/tls/Certificate.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <cstdio>
#include <utility>

namespace parley::net {

namespace {

constexpr unsigned char kHandshakeRecord = 0x16;
constexpr std::size_t kReadChunk = 16U << 10U;  // one TLS record's plaintext at most

/// Points the BIO at this call's input and output, and back at nothing afterwards.
/// Nests: an onEstablished callback that sends runs encode() inside decode(), and the
/// rest of decode()'s input must be there again afterwards.
class EndpointScope {
public:
    EndpointScope(BioEndpoint& endpoint, std::string_view input, Buffer* output)
        : m_endpoint(endpoint), m_saved(endpoint) {
        m_endpoint.input = input;
        m_endpoint.output = output;
    }
    ~EndpointScope() { m_endpoint = m_saved; }
    EndpointScope(const EndpointScope&) = delete;
    EndpointScope& operator=(const EndpointScope&) = delete;

private:
    BioEndpoint& m_endpoint;
    BioEndpoint m_saved;
};

bool isIpAddress(const std::string& name) {
    unsigned char scratch[16];
    return inet_pton(AF_INET, name.c_str(), scratch) == 1 || inet_pton(AF_INET6, name.c_str(), scratch) == 1;
}

std::string hexByte(unsigned char byte) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%02x", byte);
    return text;
}

}  // namespace

TlsLayer::TlsLayer(std::shared_ptr<const TlsContext> context, TlsEvents events)
    : m_context(std::move(context)), m_events(std::move(events)), m_server(m_context->isServer()) {
    m_ssl = SSL_new(m_context->native());
    BIO* bio = m_ssl != nullptr ? newBufferBio(m_context->bioMethod(), m_endpoint) : nullptr;
    if (bio == nullptr) {
        SSL_free(m_ssl);
        throw TlsError(takeOpenSslError("cannot create a TLS connection"));
    }
    SSL_set_bio(m_ssl, bio, bio);  // the SSL owns it now (one reference, both directions)
    m_secrets = std::make_unique<HandshakeSecrets>();
    SSL_set_app_data(m_ssl, m_secrets.get());  // TlsContext's key log callback fills it
}

TlsLayer::~TlsLayer() { SSL_free(m_ssl); }

std::unique_ptr<TlsLayer> TlsLayer::server(std::shared_ptr<const TlsContext> context, TlsEvents events) {
    std::unique_ptr<TlsLayer> layer(new TlsLayer(std::move(context), std::move(events)));
    SSL_set_accept_state(layer->m_ssl);
    return layer;
}

std::unique_ptr<TlsLayer> TlsLayer::client(std::shared_ptr<const TlsContext> context, const std::string& serverName,
                                           TlsEvents events) {
    std::unique_ptr<TlsLayer> layer(new TlsLayer(std::move(context), std::move(events)));
    SSL* ssl = layer->m_ssl;
    SSL_set_connect_state(ssl);
    if (isIpAddress(serverName)) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName.c_str());
    } else if (!serverName.empty()) {
        // SSL_set_tlsext_host_name is a macro with a C cast; this is what it expands to.
        SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(serverName.c_str()));
        SSL_set1_host(ssl, serverName.c_str());
    }
    return layer;
}

std::string TlsLayer::protocol() const { return m_ssl != nullptr ? SSL_get_version(m_ssl) : "TLSv1.3"; }

int TlsLayer::open(Buffer& wireOut) {
    if (m_server) {
        return 0;  // the client speaks first
    }
    const EndpointScope scope(m_endpoint, {}, &wireOut);
    return advanceHandshake();  // the ClientHello
}

int TlsLayer::decode(std::string_view wire, Buffer& application, Buffer& wireOut) {
    if (m_failed) {
        return compat::kConnAborted;
    }
    if (m_server && !m_sawFirstByte && !wire.empty()) {
        m_sawFirstByte = true;
        const auto first = static_cast<unsigned char>(wire.front());
        if (first != kHandshakeRecord) {
            return fail("it does not speak TLS (first byte " + hexByte(first) +
                        ", not a TLS handshake record): a plaintext client on the TLS port?");
        }
    }
    const EndpointScope scope(m_endpoint, wire, &wireOut);
    if (!m_established) {
        if (const int error = advanceHandshake(); error != 0 || !m_established) {
            return error;
        }
    }
    return readRecords(application);
}

int TlsLayer::encode(std::string_view application, Buffer& wireOut) {
    if (m_failed) {
        return compat::kConnAborted;
    }
    if (!m_established) {
        if (m_held.size() + application.size() > kMaxHeldBytes) {
            return fail("more than " + std::to_string(kMaxHeldBytes) + " bytes queued before the handshake finished");
        }
        m_held.append(application);
        return 0;
    }
    const EndpointScope scope(m_endpoint, {}, &wireOut);
    return writeRecords(application);
}

void TlsLayer::close(Buffer& wireOut) {
    if (!m_established || m_failed || m_closed) {
        return;
    }
    m_closed = true;
    if (m_records) {
        m_records->closeNotify(wireOut);
        return;
    }
    const EndpointScope scope(m_endpoint, {}, &wireOut);
    SSL_shutdown(m_ssl);  // queues close_notify; the peer's is not waited for
    ERR_clear_error();
}

int TlsLayer::advanceHandshake() {
    const int result = SSL_do_handshake(m_ssl);
    if (result != 1) {
        const int error = SSL_get_error(m_ssl, result);
        if (error == SSL_ERROR_WANT_READ) {
            return 0;  // more bytes from the peer first
        }
        return fail(sslFailure(result, "the TLS handshake"));
    }
    if (!m_server && !trustPeer()) {
        return fail("the server's certificate is not trusted");
    }
    m_established = true;
    takeOverRecords();
    // What was held goes first, ahead of anything the callback sends.
    if (!m_held.empty()) {
        std::string held;
        held.swap(m_held);
        if (const int error = writeRecords(held); error != 0) {
            return error;
        }
    }
    if (m_events.onEstablished) {
        m_events.onEstablished();
    }
    return m_failed ? compat::kConnAborted : 0;
}

bool TlsLayer::trustPeer() {
    X509* certificate = SSL_get_peer_certificate(m_ssl);
    if (certificate == nullptr) {
        return false;
    }
    TlsPeer peer;
    peer.fingerprint = sha256Fingerprint(certificate);
    X509_free(certificate);
    const long verdict = SSL_get_verify_result(m_ssl);
    peer.verified = verdict == X509_V_OK;
    if (!peer.verified) {
        peer.verifyError = X509_verify_cert_error_string(verdict);
    }
    peer.protocol = protocol();
    return m_events.trust ? m_events.trust(peer) : peer.verified;
}

void TlsLayer::takeOverRecords() {
    SSL_set_app_data(m_ssl, nullptr);
    const std::unique_ptr<HandshakeSecrets> secrets = std::move(m_secrets);
    // Only at a record boundary: OpenSSL reads records exactly (no read-ahead), so what
    // follows the handshake is still in the BIO's input, and it has sent nothing under
    // the application keys yet (no session tickets: TlsContext).
    if (SSL_version(m_ssl) != TLS1_3_VERSION || SSL_pending(m_ssl) != 0 || SSL_has_pending(m_ssl) != 0) {
        return;
    }
    const SSL_CIPHER* cipher = SSL_get_current_cipher(m_ssl);
    if (cipher == nullptr) {
        return;
    }
    const TrafficSecret& read = m_server ? secrets->client : secrets->server;
    const TrafficSecret& write = m_server ? secrets->server : secrets->client;
    m_records = Tls13Records::create(SSL_CIPHER_get_protocol_id(cipher), !m_server, read, write);
    if (m_records) {
        SSL_free(m_ssl);
        m_ssl = nullptr;
    }
}

int TlsLayer::readRecords(Buffer& application) {
    if (m_records) {
        const Tls13Records::Status status = m_records->decode(m_endpoint.input, application, *m_endpoint.output);
        m_endpoint.input = {};
        if (status == Tls13Records::Status::PeerClosed) {
            m_closed = true;  // close_notify: the TCP close follows
        }
        return status == Tls13Records::Status::Failed ? fail(m_records->failure()) : 0;
    }
    for (;;) {
        application.ensureWritable(kReadChunk);
        std::size_t read = 0;
        const int result = SSL_read_ex(m_ssl, application.beginWrite(), application.writableBytes(), &read);
        if (result == 1) {
            application.hasWritten(read);
            continue;
        }
        const int error = SSL_get_error(m_ssl, result);
        if (error == SSL_ERROR_WANT_READ) {
            return 0;  // everything decoded; a partial record waits inside OpenSSL
        }
        if (error == SSL_ERROR_ZERO_RETURN) {
            m_closed = true;  // close_notify: the TCP close follows
            return 0;
        }
        return fail(sslFailure(result, "reading"));
    }
}

int TlsLayer::writeRecords(std::string_view application) {
    if (application.empty()) {
        return 0;
    }
    if (m_records) {
        return m_records->encode(application, *m_endpoint.output) ? 0 : fail("cannot seal a TLS record");
    }
    std::size_t written = 0;
    // The BIO takes every byte, so a write completes at once, in as many records as needed.
    const int result = SSL_write_ex(m_ssl, application.data(), application.size(), &written);
    if (result != 1 || written != application.size()) {
        return fail(sslFailure(result, "writing"));
    }
    return 0;
}

int TlsLayer::fail(const std::string& reason) {
    if (!m_failed) {
        m_failed = true;
        m_held.clear();
        if (m_events.onFailure) {
            m_events.onFailure(reason);
        }
    }
    return compat::kConnAborted;
}

std::string TlsLayer::sslFailure(int result, const char* during) {
    const int error = SSL_get_error(m_ssl, result);
    if (error == SSL_ERROR_SSL) {
        return takeOpenSslError(std::string(during) + " failed");
    }
    ERR_clear_error();
    return std::string(during) + " failed (OpenSSL error " + std::to_string(error) + ")";
}

}  // namespace parley::net
