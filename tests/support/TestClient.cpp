#include "tests/support/TestClient.h"

#include "platform/Buffer.h"
#include "platform/InetAddress.h"
#include "platform/TcpConnection.h"
#include "platform/tls/TlsLayer.h"
#include "shared/proto/Codec.h"
#include "shared/proto/Framer.h"

#include <map>
#include <sstream>
#include <type_traits>
#include <utility>

namespace parley::test {

proto::MessageId nextMessageId() {
    static std::atomic<proto::MessageId> next{1};
    return next.fetch_add(1);
}

namespace {

std::string clip(const std::string& text) { return text.size() <= 40 ? text : text.substr(0, 37) + "..."; }

std::string describeBody(const proto::Body& body) {
    return std::visit(
        [](const auto& b) -> std::string {
            using T = std::decay_t<decltype(b)>;
            std::ostringstream out;
            if constexpr (std::is_same_v<T, proto::Chat> || std::is_same_v<T, proto::Room>) {
                out << "'" << clip(b.text) << "' at " << b.timestampMs;
            } else if constexpr (std::is_same_v<T, proto::Ack>) {
                out << proto::toString(b.kind) << " upTo=" << b.upTo;
            } else if constexpr (std::is_same_v<T, proto::Error>) {
                out << proto::toString(b.code) << " ref=" << int{b.refType} << ": " << b.text;
            } else if constexpr (std::is_same_v<T, proto::LoginResult>) {
                out << proto::toString(b.status) << " id=" << b.userId << " retry=" << b.retryAfterSeconds << ": "
                    << b.text;
            } else if constexpr (std::is_same_v<T, proto::RegisterResult>) {
                out << proto::toString(b.status) << " id=" << b.userId << ": " << b.text;
            } else if constexpr (std::is_same_v<T, proto::Kicked>) {
                out << proto::toString(b.reason) << ": " << b.text;
            } else if constexpr (std::is_same_v<T, proto::Presence>) {
                out << b.contact.username << " (" << b.contact.userId << ") " << proto::toString(b.contact.state);
            } else if constexpr (std::is_same_v<T, proto::Contacts>) {
                out << b.contacts.size() << " contacts" << (b.last ? ", last" : ", more");
            }
            return out.str();
        },
        body);
}

}  // namespace

std::string describe(const proto::Message& message) {
    const proto::Header& h = message.header;
    std::ostringstream out;
    out << proto::toString(proto::typeOf(message.body)) << " [" << h.source << "->" << h.destination << " #"
        << h.messageId << "] " << describeBody(message.body);
    return out.str();
}

TestClient::TestClient(net::Reactor* loop) : m_loop(loop) {
    if (m_loop == nullptr) {
        m_ownLoop = std::make_unique<net::LoopThread>();
        m_loop = &m_ownLoop->start();
    }
}

TestClient::~TestClient() {
    if (m_tcp) m_tcp->stop();  // force-closes and waits for the close callback
    m_tcp.reset();
    if (m_ownLoop) m_ownLoop->stop();
}

bool TestClient::connect(std::uint16_t port, const std::string& host, std::chrono::milliseconds timeout) {
    const auto address = net::InetAddress::parse(host, port);
    if (!address || m_tcp) return false;
    m_tcp = std::make_unique<net::TcpClient>(*m_loop, *address);
    net::ConnectionCallbacks callbacks;
    callbacks.onConnection = [this](const net::TcpConnectionPtr& c) { onConnection(c); };
    callbacks.onMessage = [this](const net::TcpConnectionPtr& c, net::Buffer& input) { onBytes(c, input); };
    callbacks.onClose = [this](const net::TcpConnectionPtr&) { onClosed(); };
    m_tcp->setCallbacks(std::move(callbacks));
    m_tcp->setConnectFailedCallback([this](const std::error_code&) {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_connectFailed = true;
        m_changed.notify_all();
    });
    m_tcp->connect();
    std::unique_lock<std::mutex> lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [this] {
        return m_connection != nullptr || m_connectFailed || m_closed;
    }) && m_connection != nullptr;
}

void TestClient::onConnection(const net::TcpConnectionPtr& connection) {
    if (m_tls) {
        net::TlsEvents events;
        const std::weak_ptr<net::TcpConnection> weak = connection;
        events.onEstablished = [this, weak] {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_connection = weak.lock();
            m_changed.notify_all();
        };
        events.trust = [](const net::TlsPeer&) { return true; };
        connection->setStreamLayer(net::TlsLayer::client(m_tls, "127.0.0.1", std::move(events)));
        return;
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    m_connection = connection;
    m_changed.notify_all();
}

void TestClient::onBytes(const net::TcpConnectionPtr& connection, net::Buffer& input) {
    std::map<proto::UserId, proto::MessageId> acks;
    std::vector<proto::Message> received;
    std::string error;
    const auto* data = reinterpret_cast<const std::uint8_t*>(input.peek());
    const proto::FrameScan scan = proto::scanFrames(data, input.readableBytes(), [&](const proto::FrameView& view) {
        proto::Message message;
        message.header = view.header;
        const auto decoded = proto::decodePayload(view.header, view.payload, view.payloadSize, message.body);
        if (decoded != proto::ProtocolError::None) {
            error = std::string("undecodable frame of type ") + std::to_string(view.header.type) + ": " +
                    proto::toString(decoded);
            return proto::FrameAction::Next;
        }
        if (m_autoAck && std::holds_alternative<proto::Chat>(message.body)) {
            proto::MessageId& upTo = acks[message.header.source];
            upTo = std::max(upTo, message.header.messageId);
        }
        if (!m_drop || !m_drop(message)) received.push_back(std::move(message));
        return proto::FrameAction::Next;
    });
    if (scan.status == proto::FrameStatus::Error) {
        error = std::string("framing error from the server: ") + proto::toString(scan.error);
        input.retrieveAll();
    } else {
        input.retrieve(scan.consumed);
    }
    for (const auto& [sender, upTo] : acks) {
        proto::Header header;
        header.source = m_userId;
        header.destination = sender;
        header.messageId = nextMessageId();
        const auto bytes = proto::encode(header, proto::Ack{proto::AckKind::Received, upTo});
        connection->send(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    for (auto& message : received) {
        m_history.push_back(message);
        m_queue.push_back(std::move(message));
    }
    if (!error.empty()) m_decodeErrors.push_back(error);
    m_changed.notify_all();
}

void TestClient::onClosed() {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_closed = true;
    m_changed.notify_all();
}

net::TcpConnectionPtr TestClient::connection() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_connection;
}

proto::MessageId TestClient::send(const proto::Body& body, proto::UserId destination, proto::MessageId messageId,
                                  std::uint16_t flags, std::optional<proto::UserId> source) {
    proto::Header header;
    header.flags = flags;
    header.source = source.value_or(m_userId);
    header.destination = destination;
    header.messageId = messageId != 0 ? messageId : nextMessageId();
    const auto bytes = proto::encode(header, body);
    sendRaw(std::string(bytes.begin(), bytes.end()));
    return header.messageId;
}

void TestClient::sendRaw(std::string bytes) {
    if (const auto c = connection()) c->postSend(std::move(bytes));
}

proto::MessageId TestClient::sendChat(proto::UserId to, const std::string& text, proto::MessageId messageId) {
    return send(proto::Chat{0, text}, to, messageId);
}

void TestClient::ackReceived(proto::UserId sender, proto::MessageId upTo) {
    send(proto::Ack{proto::AckKind::Received, upTo}, sender);
}

void TestClient::dropOnArrival(Predicate predicate) { m_drop = std::move(predicate); }

void TestClient::setAutoAck(bool on) { m_autoAck = on; }

void TestClient::pauseReading() {
    if (const auto c = connection()) m_loop->runInLoopAndWait([c] { c->stopReading(); });
}

void TestClient::resumeReading() {
    if (const auto c = connection()) m_loop->runInLoopAndWait([c] { c->startReading(); });
}

void TestClient::close() {
    if (const auto c = connection()) c->postClose();
}

std::optional<proto::Message> TestClient::waitForMessage(std::chrono::milliseconds timeout,
                                                         const Predicate& predicate) {
    std::optional<proto::Message> found;
    std::unique_lock<std::mutex> lock(m_mutex);
    m_changed.wait_for(lock, timeout, [&] {
        for (auto it = m_queue.begin(); it != m_queue.end(); ++it) {
            if (predicate(*it)) {
                found = std::move(*it);
                m_queue.erase(it);
                return true;
            }
        }
        return false;
    });
    return found;
}

bool TestClient::expectNothing(std::chrono::milliseconds duration, const Predicate& predicate) {
    std::unique_lock<std::mutex> lock(m_mutex);
    const bool arrived = m_changed.wait_for(lock, duration, [&] {
        for (const auto& message : m_queue)
            if (!predicate || predicate(message)) return true;
        return false;
    });
    return !arrived;
}

bool TestClient::waitClosed(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [this] { return m_closed; });
}

bool TestClient::isClosed() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_closed;
}

std::vector<proto::Message> TestClient::takeAll() {
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<proto::Message> all(std::make_move_iterator(m_queue.begin()), std::make_move_iterator(m_queue.end()));
    m_queue.clear();
    return all;
}

std::vector<proto::Message> TestClient::history() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_history;
}

std::vector<std::string> TestClient::decodeErrors() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_decodeErrors;
}

std::string TestClient::describeQueue() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    std::string text;
    for (const auto& message : m_queue) text += "\n  " + describe(message);
    return text.empty() ? " (nothing queued)" : text;
}

std::optional<Frame<proto::RegisterResult>> TestClient::registerUser(const std::string& username,
                                                                     const std::string& password,
                                                                     const std::string& displayName,
                                                                     std::chrono::milliseconds timeout) {
    send(proto::Register{username, password, displayName});
    return waitFor<proto::RegisterResult>(timeout);
}

std::optional<Frame<proto::LoginResult>> TestClient::login(const std::string& username, const std::string& password,
                                                           std::chrono::milliseconds timeout) {
    return login(proto::Login{username, password}, timeout);
}

std::optional<Frame<proto::LoginResult>> TestClient::login(const proto::Login& request,
                                                           std::chrono::milliseconds timeout) {
    send(request);
    auto result = waitFor<proto::LoginResult>(timeout);
    if (!result || result->body.status != proto::AuthStatus::Ok) return result;
    m_userId = result->body.userId;
    m_contacts.clear();
    for (;;) {
        auto page = waitFor<proto::Contacts>(timeout);
        if (!page) return std::nullopt;
        m_contacts.insert(m_contacts.end(), page->body.contacts.begin(), page->body.contacts.end());
        if (page->body.last) break;
    }
    return result;
}

}  // namespace parley::test
