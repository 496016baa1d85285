#include "platform/tls/TlsContext.h"

#include "platform/tls/BufferBio.h"
#include "platform/tls/Certificate.h"
#include "platform/tls/Tls13Records.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509err.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace parley::net {

namespace {

// A file OpenSSL could not use: say whether it is missing/unreadable or not PEM.
void requireReadable(const std::string& path, const char* what) {
    if (path.empty()) {
        throw TlsError(std::string("no ") + what + " file given");
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw TlsError(std::string("cannot read the ") + what + " file " + path + ": " + std::strerror(errno));
    }
}

int versionOf(TlsMinimum minimum) { return minimum == TlsMinimum::Tls12 ? TLS1_2_VERSION : TLS1_3_VERSION; }

// The handshake goes on whatever the chain says; TlsLayer reads the verdict afterwards
// (SSL_get_verify_result) and lets the client's trust rules decide, e.g. a pinned
// self-signed certificate.
int acceptForLater(int, X509_STORE_CTX*) { return 1; }

// The system's CA file and hashed CA folder (SSL_CERT_FILE / SSL_CERT_DIR override them), as
// SSL_CTX_set_default_verify_paths loads them but without the "store" lookup OpenSSL 3.0 adds
// there: that one reads and decodes the whole CA folder for every issuer it looks up, i.e. in
// every handshake with a self-signed server (~0.4 ms of client CPU each; most of a 10,000-client
// reconnect storm's client side). Missing files leave only pinned certificates trusted.
void loadSystemCas(SSL_CTX* ctx) {
    const auto fromEnv = [](const char* variable, const char* fallback) {
        const char* value = std::getenv(variable);
        return value != nullptr && *value != '\0' ? value : fallback;
    };
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    const char* file = fromEnv(X509_get_default_cert_file_env(), X509_get_default_cert_file());
    const char* dir = fromEnv(X509_get_default_cert_dir_env(), X509_get_default_cert_dir());
    if (X509_LOOKUP* lookup = X509_STORE_add_lookup(store, X509_LOOKUP_file())) {
        X509_LOOKUP_load_file(lookup, file, X509_FILETYPE_PEM);
    }
    if (X509_LOOKUP* lookup = X509_STORE_add_lookup(store, X509_LOOKUP_hash_dir())) {
        X509_LOOKUP_add_dir(lookup, dir, X509_FILETYPE_PEM);
    }
    ERR_clear_error();  // an absent file or folder is not an error here
}

// The application traffic secrets go to the connection's HandshakeSecrets (TlsLayer sets
// it as the SSL's app data for the handshake): its records are Tls13Records' afterwards.
void keyLogged(const SSL* ssl, const char* line) {
    if (auto* secrets = static_cast<HandshakeSecrets*>(SSL_get_app_data(ssl))) {
        secrets->capture(line);
    }
}

}  // namespace

std::string takeOpenSslError(const std::string& fallback) {
    unsigned long newest = 0;
    while (const unsigned long code = ERR_get_error()) {
        newest = code;
    }
    if (newest == 0) {
        return fallback;
    }
    char text[256];
    ERR_error_string_n(newest, text, sizeof text);
    return fallback + " (" + text + ")";
}

TlsContext::TlsContext(bool server) : m_server(server) {
    m_ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    m_bioMethod = newBufferBioMethod();
    if (m_ctx == nullptr || m_bioMethod == nullptr) {
        throw TlsError(takeOpenSslError("cannot create a TLS context"));
    }
    // Idle connections give their 16-34 KiB of record buffers back (memory per idle
    // connection is a target); no renegotiation for TLS 1.2 (1.3 has none); no session
    // tickets: Parley's clients do not resume, and each ticket costs a message and CPU.
    SSL_CTX_set_mode(m_ctx, SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_options(m_ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_NO_TICKET);
    SSL_CTX_set_num_tickets(m_ctx, 0);
    SSL_CTX_set_keylog_callback(m_ctx, keyLogged);
}

TlsContext::~TlsContext() {
    SSL_CTX_free(m_ctx);
    BIO_meth_free(m_bioMethod);
}

std::shared_ptr<const TlsContext> TlsContext::server(const TlsServerSettings& settings) {
    requireReadable(settings.certificateFile, "certificate");
    requireReadable(settings.keyFile, "key");
    std::shared_ptr<TlsContext> context(new TlsContext(true));
    SSL_CTX* ctx = context->m_ctx;
    SSL_CTX_set_min_proto_version(ctx, versionOf(settings.minimum));
    if (SSL_CTX_use_certificate_chain_file(ctx, settings.certificateFile.c_str()) != 1) {
        throw TlsError(
            takeOpenSslError("the certificate file " + settings.certificateFile + " holds no usable PEM certificate"));
    }
    const std::string mismatch =
        "the key in " + settings.keyFile + " does not match the certificate in " + settings.certificateFile;
    if (SSL_CTX_use_PrivateKey_file(ctx, settings.keyFile.c_str(), SSL_FILETYPE_PEM) != 1) {
        // OpenSSL checks the pair here already; say which of the two things is wrong.
        const bool otherKey = ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH;
        throw TlsError(takeOpenSslError(
            otherKey ? mismatch : "the key file " + settings.keyFile + " holds no usable PEM private key"));
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        throw TlsError(takeOpenSslError(mismatch));
    }
    context->m_fingerprint = sha256Fingerprint(SSL_CTX_get0_certificate(ctx));
    return context;
}

std::shared_ptr<const TlsContext> TlsContext::client(const TlsClientSettings& settings) {
    std::shared_ptr<TlsContext> context(new TlsContext(false));
    SSL_CTX* ctx = context->m_ctx;
    SSL_CTX_set_min_proto_version(ctx, versionOf(settings.minimum));
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, acceptForLater);
    if (!settings.caFile.empty()) {
        requireReadable(settings.caFile, "CA");
        if (SSL_CTX_load_verify_locations(ctx, settings.caFile.c_str(), nullptr) != 1) {
            throw TlsError(takeOpenSslError("the CA file " + settings.caFile + " holds no usable PEM certificate"));
        }
    } else {
        loadSystemCas(ctx);
    }
    return context;
}

}  // namespace parley::net
