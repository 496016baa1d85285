#pragma once
// The cluster's Transport over core NATS (libnats 3.4, docs/cluster-design.md §2.2, §2.5, §5).
// NatsTransport.cpp is the only file of the product that includes <nats/nats.h>.
//
//   connect()    one connection: TLS against the cluster's CA (plaintext only when asked),
//                the node's user and password, a bounded first connect; afterwards it
//                reconnects forever (every 250 ms, with jitter) and restores subscriptions.
//   publish      a copy into libnats' buffer, sent by libnats' flusher thread; buffered
//                while reconnecting (up to libnats' 8 MiB), lost if the link drops with it
//                in flight — the links above re-send (Link.h).
//   NoEcho       a node never receives what it published itself, on any subject (its own
//                heartbeats and presence on `parley.P.all` included); so a node cannot serve
//                its own requests either.
//   subscribe    one libnats delivery thread per subscription (no global pool): one
//                message at a time, in arrival order.
//   events       libnats' disconnected/reconnected/closed, on libnats' callback thread.
//
// Destruction closes the connection and waits until every handler and event callback has
// returned; none runs after the destructor. Secrets (the password, the key) are never put
// in an error text; URLs in error texts lose their userinfo (redactUrl).

#include "server-gui/cluster/Transport.h"

#include <memory>
#include <string>
#include <vector>

namespace parley::cluster {

struct NatsSettings {
    std::vector<std::string> urls;  ///< tls://host:port (nats://host:port with plaintext)
    std::string name;               ///< the connection's name as nats-server shows it
    std::string caFile;             ///< PEM CA the server's certificate must chain to; empty: the system's
    std::string certFile, keyFile;  ///< the node's client certificate (mutual TLS); optional
    std::string user, password;     ///< the node's NATS user; optional
    bool plaintext = false;         ///< no TLS asked for and no CA loaded (loopback tests only)
    int connectTimeoutMs = 2000;    ///< per connect attempt: TCP connect, TLS, CONNECT/PONG
};

class NatsTransport final : public Transport {
public:
    /// Connects once to the first of settings.urls that answers. Null with `error` set when
    /// none can be reached within the timeout ("cannot reach NATS at …"), the credentials are
    /// refused ("… refused user …"), TLS fails, or an option is unusable (a missing CA file).
    /// `events` are called only after a successful connect.
    static std::unique_ptr<NatsTransport> connect(const NatsSettings& settings, TransportEvents events,
                                                  std::string& error);

    /// Closes the connection; returns once no handler and no event callback runs any more.
    /// The events are not called for this close. Never from the transport's own handlers or
    /// events (it would wait for itself).
    ~NatsTransport() override;

    bool publish(const std::string& subject, const std::uint8_t* data, std::size_t size) override;
    bool subscribe(const std::string& subject, MessageHandler handler) override;
    RequestResult request(const std::string& subject, const std::uint8_t* data, std::size_t size, int timeoutMs,
                          std::vector<std::uint8_t>& reply) override;
    bool serve(const std::string& subject, RequestHandler handler) override;
    bool connected() const override;

    /// `url` without the user and password it may carry: tls://user:pw@host:4222 → tls://***@host:4222.
    static std::string redactUrl(const std::string& url);

    /// Frees libnats' process-wide state (its threads, its TLS set-up) once every transport
    /// is gone: at the end of main or of a test module. Waits up to timeoutMs.
    static void closeLibrary(int timeoutMs);

private:
    struct Impl;
    explicit NatsTransport(std::unique_ptr<Impl> impl);

    std::unique_ptr<Impl> m_impl;
};

}  // namespace parley::cluster
