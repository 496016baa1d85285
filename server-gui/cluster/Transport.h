#pragma once
// What the cluster needs from a message bus (docs/cluster-design.md §2.2, §2.5): publish,
// subscribe, request/reply and the connection's events. NatsTransport is the libnats one;
// tests may put an in-memory one in its place. Plain C++: nothing here knows nats.h.
//
// Threads: publish, request and subscribe/serve may be called from any thread. Handlers and
// events run on the transport's own threads and must not block (they post work elsewhere);
// a transport's destructor returns only after the last of them has returned.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace parley::cluster {

/// The connection's state changes. Called from the transport's threads; must not block. Any
/// of them may be empty.
struct TransportEvents {
    std::function<void()> disconnected;  ///< the link to the bus dropped; it reconnects by itself
    std::function<void()> reconnected;   ///< back, subscriptions restored (what was in flight may be lost)
    std::function<void()> closed;        ///< for good (not called for the transport's own destruction)
    std::function<void()> dropped;       ///< a subscription fell behind and messages for it were dropped
};

/// One message's payload, valid only during the call.
using MessageHandler = std::function<void(const std::uint8_t* data, std::size_t size)>;
/// A request's payload (valid only during the call) → the reply's bytes.
using RequestHandler = std::function<std::vector<std::uint8_t>(const std::uint8_t* data, std::size_t size)>;

class Transport {
public:
    Transport() = default;
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;
    virtual ~Transport() = default;

    /// Copies the message into the client's buffer and returns; it does not wait for the
    /// network (it may wait briefly when the socket is backed up). False when the transport
    /// is closed, the subject is invalid, the payload is over the bus's limit, or the buffer
    /// kept while reconnecting is full. A node never hears its own publications.
    virtual bool publish(const std::string& subject, const std::uint8_t* data, std::size_t size) = 0;
    /// Hint that what was published should go out now; optional.
    virtual void flushSoon() {}

    /// One subscription, kept until the transport goes; its handler runs on one thread, one
    /// message at a time, in arrival order. When it returns true while connected, the bus
    /// has the interest: what others publish from then on reaches the handler. False when
    /// the subscription was refused.
    virtual bool subscribe(const std::string& subject, MessageHandler handler) = 0;

    enum class RequestResult {
        Reply,         ///< `reply` holds the answer
        NoResponders,  ///< nobody serves `subject` now (answered at once by the bus)
        Timeout,       ///< nothing within timeoutMs
        Failed         ///< closed, disconnected, or refused
    };
    /// Sends a request and blocks the caller until the first reply or timeoutMs.
    virtual RequestResult request(const std::string& subject, const std::uint8_t* data, std::size_t size, int timeoutMs,
                                  std::vector<std::uint8_t>& reply) = 0;
    /// Serves requests on `subject`: the handler's returned bytes are the reply. Like a
    /// subscription: one thread, one request at a time.
    virtual bool serve(const std::string& subject, RequestHandler handler) = 0;

    /// Connected right now (false while reconnecting and once closed).
    virtual bool connected() const = 0;
};

}  // namespace parley::cluster
