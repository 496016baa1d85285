#pragma once
// One OpenSSL SSL_CTX and what every TlsLayer made from it shares: the protocol
// versions, the certificate and key (server), the trust anchors (client) and the BIO
// method that connects OpenSSL to a connection's buffers (TlsLayer.cpp).
//
// Threading: created on any thread, then immutable; layers on many loops share one
// context (OpenSSL's SSL_CTX is thread-safe for that use).
// Errors: the factories throw TlsError with a sentence for the operator ("the key in
// FILE does not match the certificate in FILE").

#include <memory>
#include <stdexcept>
#include <string>

struct ssl_ctx_st;
struct bio_method_st;

namespace parley::net {

class TlsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The oldest protocol a context accepts: TLS 1.3 unless 1.2 is allowed explicitly.
enum class TlsMinimum { Tls13, Tls12 };

struct TlsServerSettings {
    std::string certificateFile;  ///< PEM: the certificate, then any intermediates
    std::string keyFile;          ///< PEM: its private key (unencrypted)
    TlsMinimum minimum = TlsMinimum::Tls13;
};

struct TlsClientSettings {
    /// PEM file of the CAs to verify servers against; empty = the system's CAs.
    std::string caFile;
    TlsMinimum minimum = TlsMinimum::Tls13;
};

class TlsContext {
public:
    static std::shared_ptr<const TlsContext> server(const TlsServerSettings& settings);
    static std::shared_ptr<const TlsContext> client(const TlsClientSettings& settings);

    ~TlsContext();
    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;

    bool isServer() const { return m_server; }
    /// Server: SHA-256 of its certificate (DER), "AB:CD:..." (certificateFingerprint()).
    const std::string& fingerprint() const { return m_fingerprint; }

    ssl_ctx_st* native() const { return m_ctx; }
    bio_method_st* bioMethod() const { return m_bioMethod; }

private:
    explicit TlsContext(bool server);

    ssl_ctx_st* m_ctx = nullptr;
    bio_method_st* m_bioMethod = nullptr;
    bool m_server;
    std::string m_fingerprint;
};

/// The newest OpenSSL error of this thread as text (and clears the queue); `fallback`
/// when there is none.
std::string takeOpenSslError(const std::string& fallback);

}  // namespace parley::net
