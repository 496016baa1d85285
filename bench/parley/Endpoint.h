#pragma once
// One benchmark user's connection, whatever the server: the part every
// protocol client shares (connect, callbacks, failure), and the interface the
// load shapes drive. ParleyEndpoint, MqttEndpoint and NatsEndpoint implement it.
//
// Threading: an endpoint lives on one client loop; every method but start()
// and the constructor runs there, and so do the listener's callbacks.
// Ownership: the Fleet owns endpoints and stops their loops before destroying them.

#include "bench/parley/Options.h"
#include "bench/parley/Payload.h"
#include "platform/InetAddress.h"
#include "platform/Reactor.h"
#include "platform/TcpClient.h"
#include "platform/TcpConnection.h"
#include "platform/tls/TlsContext.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace parley::bench {

class Endpoint;

/// What happens to endpoints, reported on their loop thread.
class EndpointListener {
public:
    virtual ~EndpointListener() = default;
    /// Logged in and subscribed (again, after Endpoint::relogin()).
    virtual void onReady(Endpoint& endpoint) = 0;
    virtual void onFailed(Endpoint& endpoint, const std::string& why) = 0;
    /// A benchmark message arrived at `receiver`.
    virtual void onChat(Endpoint& receiver, const PayloadFields& payload) = 0;
    /// The server acknowledged `count` more of `sender`'s messages (Parley: ACK
    /// Delivered; MQTT QoS 1: PUBACK; NATS with --nats-acks: the receiver's ack).
    virtual void onAcked(Endpoint& sender, std::uint64_t count) = 0;
};

/// Settings and counters shared by all endpoints of one run (any thread).
struct Shared {
    explicit Shared(const Options& o) : options(o) {}
    const Options& options;
    net::InetAddress server;
    /// Where the odd endpoints (the pairs' receivers) connect: --receiver-port, else `server`.
    net::InetAddress receiverServer;
    /// Where reconnects go (--failover-port); unset: where the endpoint connected first.
    std::optional<net::InetAddress> failoverServer;
    std::string runTag;                          ///< distinguishes this run's MQTT client ids
    std::shared_ptr<const net::TlsContext> tls;  ///< set when the run speaks TLS

    std::atomic<std::uint64_t> bytesIn{0};
    std::atomic<std::uint64_t> errors{0};  ///< ERROR frames, refused packets
    std::atomic<std::uint64_t> stored{0};  ///< Parley ACK Stored (live path not taken)
    std::atomic<bool> stopping{false};

    // register shape
    std::atomic<std::size_t> nextToRegister{0};
    std::size_t registerEnd = 0;
    std::atomic<std::uint64_t> registered{0};
    std::atomic<std::uint64_t> alreadyThere{0};

    void noteError(const std::string& text);
    std::string firstError() const;

private:
    mutable std::mutex m_mutex;
    std::string m_firstError;
};

class Endpoint {
public:
    Endpoint(Shared& shared, net::Reactor& loop, std::uint32_t index);
    virtual ~Endpoint();
    Endpoint(const Endpoint&) = delete;
    Endpoint& operator=(const Endpoint&) = delete;

    void setListener(EndpointListener* listener) { m_listener = listener; }
    /// Any thread: connects; onReady or onFailed follows.
    void start();

    /// Queues one benchmark message to the user at `to` (see address()).
    virtual void sendChat(std::uint32_t to, const PayloadFields& payload) = 0;
    /// Called every few seconds: send a keepalive if the protocol needs one.
    virtual void keepalive(std::uint64_t /*nowMs*/) {}
    /// Logs out and in again (Parley: LOGOUT, reconnect, LOGIN); onReady follows.
    virtual void relogin() {}
    /// How other endpoints address this one: the Parley user id, else the index.
    virtual std::uint32_t address() const { return m_index; }

    std::uint32_t index() const { return m_index; }
    net::Reactor& loop() const { return m_loop; }
    bool isReady() const { return m_ready; }
    /// Steady clock (ns) when the read now being handled completed: one clock
    /// read per read, not per message (loop thread, inside the callbacks).
    std::uint64_t readNs() const { return m_readNs; }

    /// The driver's bookkeeping: which pair, which loop.
    std::size_t tag = 0;
    std::size_t loopIndex = 0;

protected:
    /// The TCP connection is up: say hello (log in, CONNECT, ...).
    virtual void connected() = 0;
    /// Bytes arrived: consume whole protocol units, leave a partial one.
    virtual void received(net::Buffer& input) = 0;
    /// The connection closed. Return true if that was expected (e.g. relogin).
    virtual bool closed() { return false; }
    /// Connecting failed. Return true if the endpoint tries again (a server restart).
    virtual bool connectFailed() { return false; }
    /// Everything queued was written (to pace bulk senders).
    virtual void drained() {}

    void ready();
    void fail(const std::string& why);
    void send(std::string_view bytes);
    void reconnect();
    /// Installs the client TLS layer on the connection (its ClientHello goes now; what
    /// is sent meanwhile waits for the handshake). From connected() or, for a protocol
    /// that upgrades (NATS after INFO), from received().
    void startTls();
    /// Whether connected() should speak TLS from the first byte (not NATS: it upgrades).
    virtual bool tlsFromTheStart() const { return true; }

    Shared& m_shared;
    net::Reactor& m_loop;
    const std::uint32_t m_index;
    EndpointListener* m_listener = nullptr;
    net::TcpConnectionPtr m_connection;
    std::unique_ptr<net::TcpClient> m_client;
    bool m_ready = false;
    bool m_failed = false;
    std::uint64_t m_sends = 0;  ///< send() calls, for keepalive decisions
    std::uint64_t m_readNs = 0;
};

}  // namespace parley::bench
