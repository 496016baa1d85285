#pragma once
// TLS as a StreamLayer: OpenSSL runs over the connection's own buffers (BufferBio.h),
// on the connection's loop, never blocking it. The engine and the clients go on
// sending and receiving application bytes; the layer turns them into records.
//
//   server: connection->setStreamLayer(TlsLayer::server(context, events));
//   client: connection->setStreamLayer(TlsLayer::client(context, "127.0.0.1", events));
//
// Before the handshake is done (and, for a client, before its trust rule accepted the
// server's certificate) application bytes are held back, so that a LOGIN never leaves
// before the client knows whom it talks to. A failure (garbage, a plaintext client, a
// certificate the client refuses) calls events.onFailure with the reason, then the
// connection closes. The handshake's deadline is the owner's (a timer: the layer sees
// bytes only when they arrive). Once a TLS 1.3 handshake is done, the records are
// Tls13Records' and the SSL object is freed (idle memory per connection).
//
// Threading: the connection's loop thread only (as every StreamLayer).

#include "platform/StreamLayer.h"
#include "platform/tls/BufferBio.h"
#include "platform/tls/Tls13Records.h"
#include "platform/tls/TlsContext.h"

#include <functional>
#include <memory>
#include <string>

struct ssl_st;

namespace parley::net {

/// What a client learns of the server's certificate at the end of the handshake.
struct TlsPeer {
    std::string fingerprint;  ///< SHA-256 of the DER certificate, "AB:CD:..."
    /// The chain verified against the context's CAs and names the host asked for.
    bool verified = false;
    /// Why not, when not verified ("self-signed certificate", "hostname mismatch", ...).
    std::string verifyError;
    std::string protocol;  ///< "TLSv1.3"
};

struct TlsEvents {
    /// The handshake finished (and, client, the trust rule accepted): held bytes go now.
    std::function<void()> onEstablished;
    /// Why the layer gives up; the connection closes after this returns.
    std::function<void(const std::string& reason)> onFailure;
    /// Client: accept this server? Without it only a verified chain is accepted. When it
    /// refuses, it should say why through its own means; onFailure follows.
    std::function<bool(const TlsPeer& peer)> trust;
};

class TlsLayer final : public StreamLayer {
public:
    /// Application bytes a peer may queue before the handshake finishes.
    static constexpr std::size_t kMaxHeldBytes = 1U << 20U;

    static std::unique_ptr<TlsLayer> server(std::shared_ptr<const TlsContext> context, TlsEvents events);
    /// `serverName`: the host name or IP address the certificate must name (and the SNI
    /// for names).
    static std::unique_ptr<TlsLayer> client(std::shared_ptr<const TlsContext> context, const std::string& serverName,
                                            TlsEvents events);

    ~TlsLayer() override;
    TlsLayer(const TlsLayer&) = delete;
    TlsLayer& operator=(const TlsLayer&) = delete;

    int open(Buffer& wireOut) override;
    int decode(std::string_view wire, Buffer& application, Buffer& wireOut) override;
    int encode(std::string_view application, Buffer& wireOut) override;
    void close(Buffer& wireOut) override;

    bool established() const { return m_established; }
    /// The records are Parley's own (Tls13Records), the SSL object gone.
    bool ownsRecords() const { return m_records != nullptr; }
    /// "TLSv1.3" once established.
    std::string protocol() const;

private:
    TlsLayer(std::shared_ptr<const TlsContext> context, TlsEvents events);

    int advanceHandshake();
    bool trustPeer();
    void takeOverRecords();
    int readRecords(Buffer& application);
    int writeRecords(std::string_view application);
    int fail(const std::string& reason);
    std::string sslFailure(int result, const char* during);

    std::shared_ptr<const TlsContext> m_context;
    TlsEvents m_events;
    BioEndpoint m_endpoint;
    ssl_st* m_ssl = nullptr;                      ///< null once m_records has taken over
    std::unique_ptr<HandshakeSecrets> m_secrets;  ///< during the handshake only
    std::unique_ptr<Tls13Records> m_records;
    std::string m_held;  ///< application bytes waiting for the handshake
    bool m_server;
    bool m_sawFirstByte = false;
    bool m_established = false;
    bool m_failed = false;
    bool m_closed = false;  ///< close_notify sent or received
};

}  // namespace parley::net
