#pragma once
// A small synchronous Parley protocol client for tests, on the platform layer
// (TcpClient on a Reactor) with the frames decoded by shared/proto.
//
// It speaks the raw protocol on purpose, not through the client session core:
// tests decide every header field (source, destination, messageId, flags) and
// may write arbitrary bytes.
//
//   TestClient alice;
//   alice.connect(port);
//   alice.login("alice", "secret pw");
//   alice.send(proto::Chat{0, "hi"}, bobId);
//   auto ack = alice.waitFor<proto::Ack>(5s, [](const auto&, const proto::Ack& a) {
//       return a.kind == proto::AckKind::Delivered; });
//
// Received frames go into a queue. waitFor<T>() takes the first queued frame of
// type T that matches its predicate, waiting for it if needed; frames it skips
// stay queued, in order, for later waits. history() keeps every frame ever
// received.
//
// Threading: the public methods are for one test thread. The connection lives
// on a loop: the client's own LoopThread, or a Reactor shared by many clients
// (pass it to the constructor; it must outlive the client).
// Errors: methods return false / nullopt on timeouts and failures; they never
// throw and never call Boost.Test, so they also suit helper threads.

#include "platform/Callbacks.h"
#include "platform/LoopThread.h"
#include "platform/TcpClient.h"
#include "shared/proto/Messages.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace parley::net {
class TlsContext;
}

namespace parley::test {

using namespace std::chrono_literals;

/// A received frame of a known type.
template <class T>
struct Frame {
    proto::Header header;
    T body;
};

/// The default predicate of waitFor(): any frame of the type.
struct AnyFrame {
    template <class T>
    bool operator()(const proto::Header&, const T&) const {
        return true;
    }
};

/// A fresh message id, strictly increasing across every client of the process
/// (so per-sender order holds whatever connection a user sends from).
proto::MessageId nextMessageId();

/// "CHAT [7→9 #12] 'hi'", "ERROR [0→7 #3] RateLimited: ..." — for test messages.
std::string describe(const proto::Message& message);

class TestClient {
public:
    using Predicate = std::function<bool(const proto::Message&)>;

    /// `loop`: run the connection on this shared Reactor; null = on an own LoopThread.
    explicit TestClient(net::Reactor* loop = nullptr);
    /// Force-closes the connection and stops the own loop.
    ~TestClient();
    TestClient(const TestClient&) = delete;
    TestClient& operator=(const TestClient&) = delete;

    /// Speak TLS with this client context (call before connect()): connect() then
    /// returns once the handshake is done. The tests' trust rule: any certificate.
    void useTls(std::shared_ptr<const net::TlsContext> context) { m_tls = std::move(context); }

    /// Connects to host:port. False if refused, unreachable or not done in time.
    bool connect(std::uint16_t port, const std::string& host = "127.0.0.1", std::chrono::milliseconds timeout = 10s);

    /// Encodes and sends one frame. `messageId` 0 takes nextMessageId(); `source`
    /// defaults to userId() (a test may claim any other). Returns the id used.
    proto::MessageId send(const proto::Body& body, proto::UserId destination = proto::kServerId,
                          proto::MessageId messageId = 0, std::uint16_t flags = 0,
                          std::optional<proto::UserId> source = std::nullopt);
    /// Sends bytes as they are.
    void sendRaw(std::string bytes);
    /// CHAT / ACK Received shortcuts.
    proto::MessageId sendChat(proto::UserId to, const std::string& text, proto::MessageId messageId = 0);
    void ackReceived(proto::UserId sender, proto::MessageId upTo);

    /// When on, every CHAT that arrives is answered with ACK Received at once,
    /// batched like a real client: one ACK per sender per read.
    void setAutoAck(bool on);
    /// Frames matching `predicate` are dropped on arrival: neither queued nor kept in
    /// history (a long run that must not keep every ROOM it sees). Call before connect().
    void dropOnArrival(Predicate predicate);
    /// Stops / resumes reading from the socket (a slow reader).
    void pauseReading();
    void resumeReading();
    /// Closes gracefully (pending output is written first).
    void close();

    /// The first queued frame (oldest first) matching `predicate`, removed from
    /// the queue; waits up to `timeout` for it. Non-matching frames stay queued.
    std::optional<proto::Message> waitForMessage(std::chrono::milliseconds timeout, const Predicate& predicate);

    template <class T, class Pred = AnyFrame>
    std::optional<Frame<T>> waitFor(std::chrono::milliseconds timeout, Pred predicate = Pred()) {
        auto message = waitForMessage(timeout, [&predicate](const proto::Message& m) {
            const T* body = std::get_if<T>(&m.body);
            return body != nullptr && predicate(m.header, *body);
        });
        if (!message) return std::nullopt;
        return Frame<T>{message->header, std::get<T>(std::move(message->body))};
    }

    /// True if no frame matching `predicate` (default: any) is queued or arrives
    /// within `duration`. Queued frames are kept.
    bool expectNothing(std::chrono::milliseconds duration, const Predicate& predicate = {});

    /// Waits until the connection is closed (by the server or by us).
    bool waitClosed(std::chrono::milliseconds timeout = 10s);
    bool isClosed() const;

    /// Removes and returns every queued frame.
    std::vector<proto::Message> takeAll();
    /// Every frame received since connect(), queued or taken.
    std::vector<proto::Message> history() const;
    /// Frames the client could not decode (a server bug), described.
    std::vector<std::string> decodeErrors() const;
    /// One line per queued frame, for failure messages.
    std::string describeQueue() const;

    // ---- helpers built on the above (each waits up to `timeout`) ----

    /// REGISTER; the REGISTER_RESULT, or nullopt on timeout.
    std::optional<Frame<proto::RegisterResult>> registerUser(const std::string& username, const std::string& password,
                                                             const std::string& displayName = {},
                                                             std::chrono::milliseconds timeout = 10s);
    /// LOGIN; the LOGIN_RESULT, or nullopt on timeout. On Ok it remembers the
    /// user id and also waits for the CONTACTS pages (see contacts()).
    std::optional<Frame<proto::LoginResult>> login(const std::string& username, const std::string& password,
                                                   std::chrono::milliseconds timeout = 10s);
    /// As above with the whole LOGIN (a LoginMode: "remember me", a token login).
    std::optional<Frame<proto::LoginResult>> login(const proto::Login& request,
                                                   std::chrono::milliseconds timeout = 10s);
    /// The contacts of the last successful login (every page).
    const std::vector<proto::Contact>& contacts() const { return m_contacts; }
    proto::UserId userId() const { return m_userId.load(); }

private:
    void onConnection(const net::TcpConnectionPtr& connection);
    void onBytes(const net::TcpConnectionPtr& connection, net::Buffer& input);
    void onClosed();
    net::TcpConnectionPtr connection() const;

    std::unique_ptr<net::LoopThread> m_ownLoop;
    net::Reactor* m_loop;
    std::unique_ptr<net::TcpClient> m_tcp;
    std::shared_ptr<const net::TlsContext> m_tls;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    net::TcpConnectionPtr m_connection;
    bool m_connectFailed = false;
    bool m_closed = false;
    std::deque<proto::Message> m_queue;
    std::vector<proto::Message> m_history;
    std::vector<std::string> m_decodeErrors;
    std::atomic<bool> m_autoAck{false};
    Predicate m_drop;  // set before connect(), then read on the loop only

    std::atomic<proto::UserId> m_userId{0};  // read by auto-acks on the loop
    std::vector<proto::Contact> m_contacts;
};

}  // namespace parley::test
