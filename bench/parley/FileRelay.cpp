// The file shapes: what the server's file relay costs, without disks or hashing.
//
// file-relay (Parley): two users, bu<first> and bu<first+1>. The sender offers a
// virtual file of --file-mib MiB and streams FILE_CHUNKs (256 KiB, a FILE_BLOCK_HASH
// after every 4 MiB block) from one buffer in memory, within the credit the receiver
// grants; the receiver grants the same amount back as chunks arrive (window
// --file-window-mib) and drops the data. Measured: FILE_ACCEPT → FILE_RESULT, so
// the figure is the server's relay plus the loopback, the protocol's credit loop
// included. The server does not check block hashes (the receiver does), so zeros
// pass through it.
//
// tcp-copy: the same number of bytes, in the same 256 KiB writes, over one direct
// loopback TCP connection inside this process (no server): the ceiling for a relay
// that has to read and write every byte once.

#include "bench/parley/Endpoint.h"
#include "bench/parley/ParleyWire.h"
#include "bench/parley/ProcStats.h"
#include "bench/parley/Shapes.h"
#include "bench/parley/Stats.h"
#include "bench/parley/Targets.h"
#include "platform/LoopThread.h"
#include "platform/TcpServer.h"
#include "shared/proto/Wire.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

namespace parley::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr proto::TransferId kTransferId = 1;
/// Chunks are handed to the connection while less than this is waiting to be written.
constexpr std::size_t kOutputLimit = 1024 * 1024;
/// The receiver grants credit back in steps of at least this much.
constexpr std::uint32_t kCreditStep = 1024 * 1024;

/// A one-shot "the run ended" signal, set from a loop thread, waited for on the main thread.
class Finish {
public:
    void set(bool ok, std::string why = {}) {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_done) return;
        m_done = true;
        m_ok = ok;
        m_why = std::move(why);
        m_end = Clock::now();
        m_changed.notify_all();
    }
    bool wait(double seconds) {
        std::unique_lock<std::mutex> lock(m_mutex);
        return m_changed.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return m_done; });
    }
    bool ok() const {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_ok;
    }
    std::string why() const {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_why;
    }
    Clock::time_point end() const {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_end;
    }

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_done = false;
    bool m_ok = false;
    std::string m_why;
    Clock::time_point m_end;
};

/// A whole frame from `source` to `destination` (FILE_* messages are addressed to the peer).
std::string encodeTo(proto::UserId source, proto::UserId destination, proto::MessageId id, const proto::Body& body) {
    proto::Header header;
    header.source = source;
    header.destination = destination;
    header.messageId = id;
    const std::vector<std::uint8_t> frame = proto::encode(header, body);
    return std::string(frame.begin(), frame.end());
}

/// Header + transferId + offset of a FILE_CHUNK carrying `length` bytes.
constexpr std::size_t kChunkPrefix = proto::kHeaderSize + 16;

void writeChunkPrefix(std::uint8_t* out, proto::UserId source, proto::UserId destination, proto::MessageId id,
                      std::uint64_t offset, std::size_t length) {
    proto::Header header;
    header.type = static_cast<std::uint8_t>(proto::MessageType::FileChunk);
    header.source = source;
    header.destination = destination;
    header.messageId = id;
    header.payloadLength = static_cast<std::uint32_t>(16 + length);
    proto::encodeHeader(header, out);
    proto::storeU64(out + proto::kHeaderSize, kTransferId);
    proto::storeU64(out + proto::kHeaderSize + 8, offset);
}

/// One side of the relayed transfer, on its own client loop.
class FileEndpoint final : public Endpoint {
public:
    enum class Role { Sender, Receiver };

    FileEndpoint(Shared& shared, net::Reactor& loop, std::uint32_t index, Role role, Finish& finish)
        : Endpoint(shared, loop, index),
          m_role(role),
          m_finish(finish),
          m_username(userName(shared.options, index)),
          m_lastId(messageIdBase()) {}

    std::uint32_t address() const override { return m_userId; }
    void sendChat(std::uint32_t, const PayloadFields&) override {}  // no chat in this shape

    /// Sender, loop thread: offers the virtual file to `receiver`.
    void offer(proto::UserId receiver, std::uint64_t size) {
        m_peer = receiver;
        m_size = size;
        proto::FileOffer offer;
        offer.transferId = kTransferId;
        offer.fileName = "parley-bench.bin";
        offer.size = size;
        offer.blockSize = proto::kDefaultBlockSize;
        send(encodeTo(m_userId, m_peer, nextId(), offer));
    }

    Clock::time_point acceptedAt() const { return m_acceptedAt; }
    std::uint64_t chunks() const { return m_chunks; }

private:
    void connected() override { send(encodeFrame(0, nextId(), proto::Login{m_username, m_shared.options.password})); }

    void drained() override {
        if (m_role == Role::Sender) pump();
    }

    void received(net::Buffer& input) override {
        proto::ProtocolError error = proto::ProtocolError::None;
        if (!forEachFrame(
                input, [this](const proto::FrameView& frame) { handle(frame); }, error))
            stop(std::string("framing error: ") + proto::toString(error));
    }

    void handle(const proto::FrameView& frame) {
        const proto::Header& header = frame.header;
        switch (header.messageType()) {
        case proto::MessageType::LoginResult: return loggedIn(frame);
        case proto::MessageType::FileChunk: return chunkArrived(frame);
        case proto::MessageType::Ping: send(encodeFrame(m_userId, header.messageId, proto::Pong{})); return;
        case proto::MessageType::Error: stop("server error: " + errorText(frame)); return;
        case proto::MessageType::Kicked: stop("kicked"); return;
        default: break;
        }
        if (header.type < static_cast<std::uint8_t>(proto::MessageType::FileOffer) ||
            header.type > static_cast<std::uint8_t>(proto::MessageType::FileBlockHash))
            return;  // CONTACTS, PRESENCE, PONG
        proto::Body body;
        if (proto::decodePayload(header, frame.payload, frame.payloadSize, body) != proto::ProtocolError::None)
            return stop("malformed " + std::string(proto::toString(header.messageType())));
        std::visit([this, &header](const auto& message) { fileMessage(header, message); }, body);
    }

    void loggedIn(const proto::FrameView& frame) {
        proto::Body body;
        if (proto::decodePayload(frame.header, frame.payload, frame.payloadSize, body) != proto::ProtocolError::None)
            return stop("malformed LOGIN_RESULT");
        const auto& result = std::get<proto::LoginResult>(body);
        if (result.status != proto::AuthStatus::Ok)
            return stop("login of " + m_username + " refused: " + proto::toString(result.status));
        m_userId = result.userId;
        ready();
    }

    // ---- receiver ----
    void fileMessage(const proto::Header& header, const proto::FileOffer& offer) {
        m_peer = header.source;
        m_size = offer.size;
        m_acceptedAt = Clock::now();
        send(encodeTo(m_userId, m_peer, nextId(), proto::FileAccept{offer.transferId, 0}));
        send(encodeTo(m_userId, m_peer, nextId(), proto::FileCredit{offer.transferId, window()}));
    }

    void chunkArrived(const proto::FrameView& frame) {
        if (frame.payloadSize < 16) return stop("short FILE_CHUNK");
        const std::uint64_t offset = proto::loadU64(frame.payload + 8);
        const std::size_t length = frame.payloadSize - 16;
        if (offset != m_next)
            return stop("FILE_CHUNK at " + std::to_string(offset) + ", expected " + std::to_string(m_next));
        m_next += length;
        ++m_chunks;
        m_ungranted += length;
        if (m_ungranted >= kCreditStep && m_next < m_size) {
            send(encodeTo(m_userId, m_peer, nextId(),
                          proto::FileCredit{kTransferId, static_cast<std::uint32_t>(m_ungranted)}));
            m_ungranted = 0;
        }
    }

    void fileMessage(const proto::Header&, const proto::FileDone& done) {
        if (done.size != m_size || m_next != m_size)
            return stop("FILE_DONE with " + std::to_string(m_next) + " of " + std::to_string(m_size) + " bytes");
        send(encodeTo(m_userId, m_peer, nextId(),
                      proto::FileResult{kTransferId, proto::FileResultStatus::Verified, {}}));
        m_finish.set(true);
    }

    // ---- sender ----
    void fileMessage(const proto::Header&, const proto::FileAccept& accept) {
        m_next = accept.offset;
        m_credit = 0;  // protocol 9.8 rule 4
        m_acceptedAt = Clock::now();
    }

    void fileMessage(const proto::Header&, const proto::FileCredit& credit) {
        m_credit += credit.bytes;
        pump();
    }

    void fileMessage(const proto::Header&, const proto::FileResult& result) {
        if (result.status == proto::FileResultStatus::Verified) m_finish.set(true);
        else stop(std::string("FILE_RESULT ") + proto::toString(result.status));
    }

    void fileMessage(const proto::Header&, const proto::FileReject& reject) {
        stop(std::string("FILE_REJECT ") + proto::toString(reject.reason) + ": " + reject.text);
    }

    void fileMessage(const proto::Header&, const proto::FileCancel& cancel) {
        stop(std::string("FILE_CANCEL ") + proto::toString(cancel.reason) + ": " + cancel.text);
    }

    template <class Other>
    void fileMessage(const proto::Header&, const Other&) {}

    /// Sends chunks while there is credit and the connection's output is short.
    void pump() {
        static const std::vector<std::uint8_t> zeros(proto::kMaxChunkData);
        while (m_credit > 0 && m_next < m_size && m_connection && m_connection->outputBytes() < kOutputLimit) {
            const std::uint64_t blockEnd = (m_next / proto::kDefaultBlockSize + 1) * proto::kDefaultBlockSize;
            const std::size_t length = static_cast<std::size_t>(
                std::min<std::uint64_t>({proto::kMaxChunkData, m_credit, m_size - m_next, blockEnd - m_next}));
            std::uint8_t prefix[kChunkPrefix];
            writeChunkPrefix(prefix, m_userId, m_peer, nextId(), m_next, length);
            send(std::string_view(reinterpret_cast<const char*>(prefix), sizeof prefix));
            send(std::string_view(reinterpret_cast<const char*>(zeros.data()), length));
            m_next += length;
            m_credit -= length;
            ++m_chunks;
            if (m_next == blockEnd || m_next == m_size) {
                const std::uint64_t blockStart = blockEnd - proto::kDefaultBlockSize;
                send(encodeTo(m_userId, m_peer, nextId(),
                              proto::FileBlockHash{
                                  kTransferId, blockStart, static_cast<std::uint32_t>(m_next - blockStart), {}}));
            }
            if (m_next == m_size) send(encodeTo(m_userId, m_peer, nextId(), proto::FileDone{kTransferId, m_size}));
        }
    }

    std::uint32_t window() const {
        return static_cast<std::uint32_t>(std::min<std::uint64_t>(
            static_cast<std::uint64_t>(m_shared.options.fileWindowMiB) * 1024 * 1024, proto::kMaxCreditWindow));
    }

    void stop(const std::string& why) {
        m_finish.set(false, m_username + ": " + why);
        fail(why);
    }

    proto::MessageId nextId() { return ++m_lastId; }

    const Role m_role;
    Finish& m_finish;
    std::string m_username;
    proto::MessageId m_lastId;
    proto::UserId m_userId = 0;
    proto::UserId m_peer = 0;
    std::uint64_t m_size = 0;
    std::uint64_t m_next = 0;       ///< next offset to send / expected
    std::uint64_t m_credit = 0;     ///< sender: bytes it may still send
    std::uint64_t m_ungranted = 0;  ///< receiver: bytes received, not yet granted back
    std::uint64_t m_chunks = 0;
    Clock::time_point m_acceptedAt;
};

/// Waits up to `seconds` for both endpoints to be logged in.
bool waitReady(const Endpoint& a, const Endpoint& b, double seconds) {
    const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    while (Clock::now() < deadline) {
        if (a.isReady() && b.isReady()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

void printRate(ResultLine& line, std::uint64_t bytes, double seconds) {
    line.add("mib", bytes / (1024 * 1024)).add("seconds", seconds, 3);
    line.add("mb_per_s", static_cast<double>(bytes) / 1e6 / seconds, 0);
}

}  // namespace

int runFileRelay(const Options& options) {
    Shared shared(options);
    if (!prepareShared(options, shared)) return 2;
    const std::uint64_t size = static_cast<std::uint64_t>(options.fileMiB) * 1024 * 1024;
    Finish finish;
    net::LoopThread senderLoop, receiverLoop;
    FileEndpoint sender(shared, senderLoop.start(), static_cast<std::uint32_t>(options.first),
                        FileEndpoint::Role::Sender, finish);
    FileEndpoint receiver(shared, receiverLoop.start(), static_cast<std::uint32_t>(options.first + 1),
                          FileEndpoint::Role::Receiver, finish);
    sender.start();
    receiver.start();
    int status = 2;
    if (!waitReady(sender, receiver, options.setupTimeout)) {
        note("file-relay: login failed: " + shared.firstError());
    } else {
        CpuMeter server(options.serverPid, options.clkTck);
        server.start();
        const std::uint32_t receiverId = receiver.address();
        sender.loop().runInLoop([&sender, receiverId, size] { sender.offer(receiverId, size); });
        const bool ended = finish.wait(options.setupTimeout);
        ResultLine line("file-relay");
        line.add("label", options.label);
        if (ended && finish.ok()) {
            const double seconds = std::chrono::duration<double>(finish.end() - receiver.acceptedAt()).count();
            printRate(line, size, seconds);
            line.add("chunks", receiver.chunks());
            const double cpu = server.elapsed();
            if (cpu >= 0)
                line.add("server_cpu_s", cpu, 3)
                    .add("server_rss_kib", static_cast<std::uint64_t>(residentKiB(options.serverPid)));
            line.add("status", "ok");
            status = 0;
        } else {
            line.add("status", "FAIL");
            note("file-relay: " + (ended ? finish.why() : std::string("timed out")));
            status = 1;
        }
        line.print();
    }
    shared.stopping = true;
    senderLoop.stop();
    receiverLoop.stop();
    return status;
}

int runTcpCopy(const Options& options) {
    const std::uint64_t size = static_cast<std::uint64_t>(options.fileMiB) * 1024 * 1024;
    Finish finish;
    net::LoopThread serverLoop, clientLoop;
    net::TcpServer server(serverLoop.start(), net::InetAddress::loopback(0));
    std::uint64_t received = 0;  // server loop only
    net::ConnectionCallbacks serverCallbacks;
    serverCallbacks.onMessage = [&](const net::TcpConnectionPtr&, net::Buffer& input) {
        received += input.readableBytes();
        input.retrieveAll();
        if (received >= size) finish.set(true);
    };
    server.setCallbacks(std::move(serverCallbacks));
    server.start();

    // The client writes frames of the same size as FILE_CHUNKs, paced the same way.
    net::Reactor& loop = clientLoop.start();
    net::TcpClient client(loop, net::InetAddress::loopback(server.port()));
    const std::vector<char> frame(kChunkPrefix + proto::kMaxChunkData);
    std::uint64_t sent = 0;  // client loop only
    Clock::time_point start;
    auto pump = [&](const net::TcpConnectionPtr& connection) {
        while (sent < size && connection->outputBytes() < kOutputLimit) {
            const std::size_t length = static_cast<std::size_t>(std::min<std::uint64_t>(frame.size(), size - sent));
            connection->send(std::string_view(frame.data(), length));
            sent += length;
        }
    };
    net::ConnectionCallbacks clientCallbacks;
    clientCallbacks.onConnection = [&](const net::TcpConnectionPtr& connection) {
        start = Clock::now();
        pump(connection);
    };
    clientCallbacks.onWriteComplete = pump;
    client.setCallbacks(std::move(clientCallbacks));
    client.setConnectFailedCallback([&](const std::error_code& error) { finish.set(false, error.message()); });
    client.connect();

    const bool ended = finish.wait(options.setupTimeout);
    ResultLine line("tcp-copy");
    line.add("label", "loopback");
    int status = 1;
    if (ended && finish.ok()) {
        printRate(line, size, std::chrono::duration<double>(finish.end() - start).count());
        line.add("status", "ok");
        status = 0;
    } else {
        line.add("status", "FAIL");
        note("tcp-copy: " + (ended ? finish.why() : std::string("timed out")));
    }
    line.print();
    client.stop();
    clientLoop.stop();
    server.stop();
    serverLoop.stop();
    return status;
}

}  // namespace parley::bench
