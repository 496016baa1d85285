#include "server-gui/cluster/NatsTransport.h"

#include <nats/nats.h>

#include <climits>
#include <condition_variable>
#include <fstream>
#include <list>
#include <mutex>
#include <utility>

namespace parley::cluster {

namespace {

constexpr int kReconnectWaitMs = 250;
constexpr int kReconnectJitterMs = 100;
constexpr int kReconnectJitterTlsMs = 250;
// A silent, half-open link is found after about kPingIntervalMs * kMaxPingsOut (libnats'
// default is 2 minutes per ping); until then publications pile up in a dead socket.
constexpr int kPingIntervalMs = 5000;
constexpr int kMaxPingsOut = 2;
// A publish waits at most this long for a socket that does not drain, then the link counts
// as broken and reconnects (libnats' default is to block).
constexpr int kWriteDeadlineMs = 2000;

/// A libnats object, destroyed by its own function.
template <auto Destroy>
struct NatsDeleter {
    template <typename T>
    void operator()(T* object) const {
        Destroy(object);
    }
};
using Options = std::unique_ptr<natsOptions, NatsDeleter<natsOptions_Destroy>>;
using Connection = std::unique_ptr<natsConnection, NatsDeleter<natsConnection_Destroy>>;
using Subscription = std::unique_ptr<natsSubscription, NatsDeleter<natsSubscription_Destroy>>;
using Message = std::unique_ptr<natsMsg, NatsDeleter<natsMsg_Destroy>>;

/// What libnats' threads share with the transport. Each callback takes a shared_ptr to it
/// first, so that the mutex it signals outlives the destructor that waits for it.
struct Shared : std::enable_shared_from_this<Shared> {
    TransportEvents events;
    std::mutex mutex;
    std::condition_variable changed;
    bool closing = false;     ///< the destructor runs: events are no longer passed on
    bool closedSeen = false;  ///< libnats' closed callback has returned (its last one)

    bool passOn() {
        const std::lock_guard<std::mutex> lock(mutex);
        return !closing;
    }
};

/// One subscription's closure: what its delivery thread calls.
struct Slot {
    std::shared_ptr<Shared> shared;
    MessageHandler onMessage;  ///< subscribe()
    RequestHandler onRequest;  ///< serve()
    natsConnection* connection = nullptr;
    Subscription subscription;
    bool done = false;  ///< its delivery thread has ended (guarded by shared->mutex)
};

const std::uint8_t* bytesOf(const natsMsg* message) {
    return reinterpret_cast<const std::uint8_t*>(natsMsg_GetData(message));
}

std::size_t sizeOf(const natsMsg* message) {
    const int size = natsMsg_GetDataLength(message);
    return size > 0 ? static_cast<std::size_t>(size) : 0;
}

// The handlers are C++ called from C: nothing may be thrown through libnats. A handler that
// throws loses that one message (the links re-send; a request goes unanswered and times out).
void deliver(natsConnection* /*connection*/, natsSubscription* /*subscription*/, natsMsg* raw, void* closure) {
    const Message message(raw);
    Slot& slot = *static_cast<Slot*>(closure);
    try {
        if (slot.onMessage) {
            slot.onMessage(bytesOf(message.get()), sizeOf(message.get()));
            return;
        }
        const char* replyTo = natsMsg_GetReply(message.get());
        const std::vector<std::uint8_t> reply = slot.onRequest(bytesOf(message.get()), sizeOf(message.get()));
        if (replyTo != nullptr && reply.size() <= static_cast<std::size_t>(INT_MAX)) {
            natsConnection_Publish(slot.connection, replyTo, reply.data(), static_cast<int>(reply.size()));
        }
    } catch (...) {}
}

// Runs on the delivery thread after its last message callback returned (the subscription
// was closed): from here on the slot may be freed, so it is not touched after `done`.
void deliveryEnded(void* closure) {
    Slot& slot = *static_cast<Slot*>(closure);
    const std::shared_ptr<Shared> shared = slot.shared;
    {
        const std::lock_guard<std::mutex> lock(shared->mutex);
        slot.done = true;
    }
    shared->changed.notify_all();
}

void passOn(const std::function<void()>& event) {
    try {
        if (event) event();
    } catch (...) {}
}

// libnats calls these from one thread of its own, in the order the events happened, and the
// closed one last of all for a connection: once it returned, no event callback runs.
void onDisconnected(natsConnection* /*connection*/, void* closure) {
    const std::shared_ptr<Shared> shared = static_cast<Shared*>(closure)->shared_from_this();
    if (shared->passOn()) passOn(shared->events.disconnected);
}

void onReconnected(natsConnection* /*connection*/, void* closure) {
    const std::shared_ptr<Shared> shared = static_cast<Shared*>(closure)->shared_from_this();
    if (shared->passOn()) passOn(shared->events.reconnected);
}

// Asynchronous errors; the one that matters above is a subscription that fell so far behind
// that libnats dropped messages for it (its pending limits).
void onError(natsConnection* /*connection*/, natsSubscription* /*subscription*/, natsStatus status, void* closure) {
    const std::shared_ptr<Shared> shared = static_cast<Shared*>(closure)->shared_from_this();
    if (status == NATS_SLOW_CONSUMER && shared->passOn()) passOn(shared->events.dropped);
}

void onClosed(natsConnection* /*connection*/, void* closure) {
    const std::shared_ptr<Shared> shared = static_cast<Shared*>(closure)->shared_from_this();
    if (shared->passOn()) passOn(shared->events.closed);
    {
        const std::lock_guard<std::mutex> lock(shared->mutex);
        shared->closedSeen = true;
    }
    shared->changed.notify_all();
}

std::string joinRedacted(const std::vector<std::string>& urls) {
    std::string joined;
    for (const std::string& url : urls) {
        if (!joined.empty()) joined += ", ";
        joined += NatsTransport::redactUrl(url);
    }
    return joined;
}

/// libnats' text for a failure: the thread's last error ("(conn.c:733): SSL handshake
/// error: …" without its source position), else the status's. Secrets that could appear in
/// it (a URL's userinfo, the password) are cut out.
std::string detailOf(natsStatus status, const NatsSettings& settings) {
    const char* last = nats_GetLastError(nullptr);
    std::string detail = last != nullptr ? last : "";
    if (!detail.empty() && detail.front() == '(') {
        const auto end = detail.find("): ");
        if (end != std::string::npos) detail.erase(0, end + 3);
    }
    if (detail.empty()) detail = natsStatus_GetText(status);
    for (const std::string& url : settings.urls) {
        const std::string redacted = NatsTransport::redactUrl(url);
        if (redacted == url) continue;
        for (auto at = detail.find(url); at != std::string::npos; at = detail.find(url, at + redacted.size())) {
            detail.replace(at, url.size(), redacted);
        }
    }
    if (!settings.password.empty()) {
        for (auto at = detail.find(settings.password); at != std::string::npos;
             at = detail.find(settings.password, at + 3)) {
            detail.replace(at, settings.password.size(), "***");
        }
    }
    return detail;
}

/// Why natsConnection_Connect failed, for the operator.
std::string connectError(natsStatus status, const NatsSettings& settings) {
    const std::string where = joinRedacted(settings.urls);
    const std::string detail = detailOf(status, settings);
    switch (status) {
    case NATS_CONNECTION_AUTH_FAILED:
        return "NATS at " + where + " refused " +
               (settings.user.empty() ? std::string("a connection without credentials")
                                      : "the credentials of user " + settings.user) +
               ": " + detail;
    case NATS_SSL_ERROR:
    case NATS_SECURE_CONNECTION_REQUIRED:
    case NATS_SECURE_CONNECTION_WANTED:
        if (settings.plaintext) {
            return "NATS at " + where + " requires TLS, and the cluster link is set to plaintext: " + detail;
        }
        return "TLS with NATS at " + where + " failed: " + detail;
    default: return "cannot reach NATS at " + where + ": " + detail;
    }
}

/// Applies one option; on failure sets `error` to what was being set and why.
bool apply(natsStatus status, const char* what, const NatsSettings& settings, std::string& error) {
    if (status == NATS_OK) return true;
    error = std::string("cannot set up the NATS connection (") + what + "): " + detailOf(status, settings);
    return false;
}

}  // namespace

struct NatsTransport::Impl {
    std::shared_ptr<Shared> shared = std::make_shared<Shared>();
    Connection connection;
    int flushTimeoutMs = 0;
    std::mutex slotsMutex;
    std::list<std::unique_ptr<Slot>> slots;  ///< stable addresses: libnats holds them as closures

    bool add(const std::string& subject, MessageHandler onMessage, RequestHandler onRequest) {
        auto slot = std::make_unique<Slot>();
        slot->shared = shared;
        slot->onMessage = std::move(onMessage);
        slot->onRequest = std::move(onRequest);
        slot->connection = connection.get();
        natsSubscription* raw = nullptr;
        if (natsConnection_Subscribe(&raw, connection.get(), subject.c_str(), deliver, slot.get()) != NATS_OK) {
            return false;
        }
        slot->subscription.reset(raw);
        Slot& kept = *slot;
        {
            const std::lock_guard<std::mutex> lock(slotsMutex);
            slots.push_back(std::move(slot));  // until the destructor, whatever happens next
        }
        if (natsSubscription_SetOnCompleteCB(raw, deliveryEnded, &kept) != NATS_OK) {
            // Closed between the two calls (the connection closed for good): its delivery
            // thread has stopped, or stops without taking another message.
            const std::lock_guard<std::mutex> lock(shared->mutex);
            kept.done = true;
            return false;
        }
        // A round trip, so that the server has the interest when this returns (a peer told
        // "I am here" next does not publish into the void). Disconnected: libnats restores
        // the subscription when it reconnects.
        natsConnection_FlushTimeout(connection.get(), flushTimeoutMs);
        return true;
    }
};

NatsTransport::NatsTransport(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

std::unique_ptr<NatsTransport> NatsTransport::connect(const NatsSettings& settings, TransportEvents events,
                                                      std::string& error) {
    error.clear();
    if (settings.urls.empty()) {
        error = "no NATS server URL given";
        return nullptr;
    }
    auto impl = std::make_unique<Impl>();
    impl->shared->events = std::move(events);
    Shared* closure = impl->shared.get();

    natsOptions* rawOptions = nullptr;
    if (!apply(natsOptions_Create(&rawOptions), "options", settings, error)) return nullptr;
    const Options options(rawOptions);
    natsOptions* o = options.get();

    std::vector<const char*> servers;
    for (const std::string& url : settings.urls) servers.push_back(url.c_str());
    const bool applied =
        apply(natsOptions_SetServers(o, servers.data(), static_cast<int>(servers.size())), "server URLs", settings,
              error) &&
        (settings.name.empty() || apply(natsOptions_SetName(o, settings.name.c_str()), "name", settings, error)) &&
        apply(natsOptions_SetTimeout(o, settings.connectTimeoutMs), "connect timeout", settings, error) &&
        apply(natsOptions_SetNoRandomize(o, true), "server order", settings, error) &&
        apply(natsOptions_SetMaxReconnect(o, -1), "reconnect", settings, error) &&
        apply(natsOptions_SetReconnectWait(o, kReconnectWaitMs), "reconnect wait", settings, error) &&
        apply(natsOptions_SetReconnectJitter(o, kReconnectJitterMs, kReconnectJitterTlsMs), "reconnect jitter",
              settings, error) &&
        apply(natsOptions_SetPingInterval(o, kPingIntervalMs), "ping interval", settings, error) &&
        apply(natsOptions_SetMaxPingsOut(o, kMaxPingsOut), "pings", settings, error) &&
        apply(natsOptions_SetWriteDeadline(o, kWriteDeadlineMs), "write deadline", settings, error) &&
        apply(natsOptions_SetNoEcho(o, true), "no echo", settings, error) &&
        apply(natsOptions_UseGlobalMessageDelivery(o, false), "delivery threads", settings, error) &&
        apply(natsOptions_SetFailRequestsOnDisconnect(o, true), "requests", settings, error) &&
        apply(natsOptions_SetDisconnectedCB(o, onDisconnected, closure), "events", settings, error) &&
        apply(natsOptions_SetReconnectedCB(o, onReconnected, closure), "events", settings, error) &&
        apply(natsOptions_SetClosedCB(o, onClosed, closure), "events", settings, error) &&
        apply(natsOptions_SetErrorHandler(o, onError, closure), "events", settings, error);
    if (!applied) return nullptr;
    if (!settings.plaintext) {
        if (!apply(natsOptions_SetSecure(o, true), "TLS", settings, error)) return nullptr;
        for (const std::string* file : {&settings.caFile, &settings.certFile, &settings.keyFile}) {
            if (!file->empty() && !std::ifstream(*file).good()) {
                error = "cannot read the file " + *file + " for the link to NATS";
                return nullptr;
            }
        }
        if (!settings.caFile.empty() && natsOptions_LoadCATrustedCertificates(o, settings.caFile.c_str()) != NATS_OK) {
            error = "cannot load the NATS CA file " + settings.caFile + ": " + detailOf(NATS_SSL_ERROR, settings);
            return nullptr;
        }
        if ((!settings.certFile.empty() || !settings.keyFile.empty()) &&
            natsOptions_LoadCertificatesChain(o, settings.certFile.c_str(), settings.keyFile.c_str()) != NATS_OK) {
            error = "cannot load the NATS client certificate " + settings.certFile +
                    " and its key: " + detailOf(NATS_SSL_ERROR, settings);
            return nullptr;
        }
    }
    if (!settings.user.empty() &&
        !apply(natsOptions_SetUserInfo(o, settings.user.c_str(), settings.password.c_str()), "user", settings, error)) {
        return nullptr;
    }

    // A failed first connect invokes none of the callbacks (libnats runs them only for a
    // connection it returned), so the closure may go with `impl`.
    natsConnection* rawConnection = nullptr;
    const natsStatus status = natsConnection_Connect(&rawConnection, o);
    if (status != NATS_OK) {
        if (rawConnection != nullptr) natsConnection_Destroy(rawConnection);
        error = connectError(status, settings);
        return nullptr;
    }
    impl->connection.reset(rawConnection);
    impl->flushTimeoutMs = settings.connectTimeoutMs;
    return std::unique_ptr<NatsTransport>(new NatsTransport(std::move(impl)));
}

NatsTransport::~NatsTransport() {
    Shared& shared = *m_impl->shared;
    {
        const std::lock_guard<std::mutex> lock(shared.mutex);
        shared.closing = true;
    }
    // Close flushes what is buffered (up to 500 ms), ends every subscription (each delivery
    // thread finishes its current message and reports deliveryEnded) and queues the closed
    // callback behind any other event callback of this connection.
    natsConnection_Close(m_impl->connection.get());
    {
        std::unique_lock<std::mutex> lock(shared.mutex);
        shared.changed.wait(lock, [this, &shared] {
            if (!shared.closedSeen) return false;
            const std::lock_guard<std::mutex> slotsLock(m_impl->slotsMutex);
            for (const auto& slot : m_impl->slots) {
                if (!slot->done) return false;
            }
            return true;
        });
    }
    // Subscriptions before the connection they belong to.
    m_impl->slots.clear();
    m_impl->connection.reset();
}

bool NatsTransport::publish(const std::string& subject, const std::uint8_t* data, std::size_t size) {
    if (size > static_cast<std::size_t>(INT_MAX)) return false;
    return natsConnection_Publish(m_impl->connection.get(), subject.c_str(), data, static_cast<int>(size)) == NATS_OK;
}

bool NatsTransport::subscribe(const std::string& subject, MessageHandler handler) {
    if (!handler) return false;
    return m_impl->add(subject, std::move(handler), {});
}

bool NatsTransport::serve(const std::string& subject, RequestHandler handler) {
    if (!handler) return false;
    return m_impl->add(subject, {}, std::move(handler));
}

Transport::RequestResult NatsTransport::request(const std::string& subject, const std::uint8_t* data, std::size_t size,
                                                int timeoutMs, std::vector<std::uint8_t>& reply) {
    reply.clear();
    if (size > static_cast<std::size_t>(INT_MAX)) return RequestResult::Failed;
    natsMsg* raw = nullptr;
    const natsStatus status = natsConnection_Request(&raw, m_impl->connection.get(), subject.c_str(), data,
                                                     static_cast<int>(size), timeoutMs);
    const Message message(raw);
    switch (status) {
    case NATS_OK: break;
    case NATS_NO_RESPONDERS: return RequestResult::NoResponders;
    case NATS_TIMEOUT: return RequestResult::Timeout;
    default: return RequestResult::Failed;
    }
    // libnats >= 2.4.1 turns the server's 503 status message into NATS_NO_RESPONDERS; checked
    // again in case a library hands it through.
    if (natsMsg_IsNoResponders(message.get())) return RequestResult::NoResponders;
    const std::uint8_t* bytes = bytesOf(message.get());
    reply.assign(bytes, bytes + sizeOf(message.get()));
    return RequestResult::Reply;
}

bool NatsTransport::connected() const {
    return natsConnection_Status(m_impl->connection.get()) == NATS_CONN_STATUS_CONNECTED;
}

std::string NatsTransport::redactUrl(const std::string& url) {
    const auto scheme = url.find("://");
    const std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
    const auto end = url.find_first_of("/?#", start);
    const auto at = url.rfind('@', end == std::string::npos ? std::string::npos : end);
    if (at == std::string::npos || at < start) return url;
    return url.substr(0, start) + "***" + url.substr(at);
}

void NatsTransport::closeLibrary(int timeoutMs) { nats_CloseAndWait(timeoutMs); }

}  // namespace parley::cluster
