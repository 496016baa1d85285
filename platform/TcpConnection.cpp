#include "platform/TcpConnection.h"

#include "platform/CatchAll.h"
#include "platform/ConnectionRegistry.h"
#include "platform/SocketOps.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <string>
#include <utility>

namespace parley::net {

namespace {

std::uint32_t clamp32(std::uint64_t value) {
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(value, 0xFFFFFFFFu));
}

std::uint32_t clampMs(std::chrono::milliseconds duration) {
    return clamp32(static_cast<std::uint64_t>(std::max<std::int64_t>(duration.count(), 0)));
}

}  // namespace

TcpConnection::TcpConnection(Reactor& loop, Socket socket, const InetAddress& peer,
                             std::shared_ptr<const ConnectionCallbacks> callbacks, const ConnectionOptions& options,
                             std::weak_ptr<ConnectionRegistry> registry)
    : m_loop(loop),
      m_socket(std::move(socket)),
      m_callbacks(std::move(callbacks)),
      m_registry(std::move(registry)),
      m_peer(peer),
      m_highWaterMark(clamp32(options.output.highWaterMark)),
      m_lowWaterMark(clamp32(options.output.lowWaterMark)),
      m_outputLimit(clamp32(options.output.outputLimit)),
      m_slowConsumerMs(clampMs(options.output.slowConsumerTimeout)),
      m_closeTimeoutMs(clampMs(options.closeTimeout)),
      m_tcpNoDelay(options.tcpNoDelay),
      m_pauseAboveHighWater(options.output.pauseReadingAboveHighWater) {}

TcpConnection::~TcpConnection() {
    assert((state() == State::Disconnected || state() == State::Connecting) &&
           "a registered connection must close before it is destroyed");
}

void TcpConnection::start() {
    m_loop.assertInLoopThread();
    if (state() != State::Connecting) {
        return;  // closed before it started
    }
    setState(State::Connected);
    m_reading = true;
    if (m_tcpNoDelay) {
        sockets::setTcpNoDelay(m_socket.handle(), true);
    }
    if (const std::error_code error = m_loop.addSocket(m_socket.handle(), IoEvents::Readable, *this)) {
        closeNow(error.value());
        return;
    }
    m_announced = true;
    if (m_callbacks->onConnection) {
        guarded("connection callback", [this] { m_callbacks->onConnection(shared_from_this()); });
    }
}

// A send of at least this much goes through a stream layer at once (16 KiB: a whole TLS
// record); smaller ones wait for the end of the iteration, together.
constexpr std::size_t kEncodeAtOnceMin = 16 * 1024;

bool TcpConnection::send(std::string_view data) {
    m_loop.assertInLoopThread();
    if (data.empty()) {
        return state() == State::Connected && !m_overLimit;
    }
    if (!mayQueue(data.size())) {
        return false;
    }
    if (m_layer && data.size() < kEncodeAtOnceMin) {
        // Through the layer once per loop iteration (writeOutput): one TLS record for
        // all of this iteration's small sends instead of one per send.
        m_loop.reuseBuffer(m_plainOutput, data.size());
        m_plainOutput.append(data);
    } else if (m_layer) {
        // A full record's worth or more (a file chunk): no gain in waiting, and no copy;
        // what waits goes first.
        if (!encodePending()) {
            return false;
        }
        m_loop.reuseBuffer(m_output, data.size());
        if (const int error = m_layer->encode(data, m_output); error != 0) {
            closeNow(error);
            return false;
        }
    } else {
        m_loop.reuseBuffer(m_output);
        m_output.append(data);
    }
    afterQueueing();
    return true;
}

bool TcpConnection::encodePending() {
    if (m_plainOutput.empty()) {
        return true;
    }
    m_loop.reuseBuffer(m_output, m_plainOutput.readableBytes());
    const int error = m_layer->encode(m_plainOutput.view(), m_output);
    m_plainOutput.retrieveAll();
    m_loop.recycleBuffer(m_plainOutput);
    if (error != 0) {
        closeNow(error);
        return false;
    }
    return true;
}

bool TcpConnection::mayQueue(std::size_t more) {
    if (state() != State::Connected || m_overLimit) {
        return false;
    }
    if (m_outputLimit != 0 && outputBytes() + more > m_outputLimit) {
        overLimit(outputBytes() + more);
        return false;
    }
    return true;
}

void TcpConnection::afterQueueing() {
    const std::size_t queued = outputBytes();
    if (!m_aboveHighWater && queued >= m_highWaterMark) {
        enterHighWater(queued);
    }
    requestFlush();
}

bool TcpConnection::sendOwned(std::string data) {
    m_loop.assertInLoopThread();
    if (m_layer || !m_output.empty() || data.empty()) {
        return send(data);  // behind copied bytes (or through the layer): copied too, in order
    }
    if (!mayQueue(data.size())) {
        return false;
    }
    if (!m_owned) {
        m_owned = std::make_unique<OwnedOutput>();
    }
    m_owned->bytes += data.size();
    m_owned->blocks.push_back(std::move(data));
    afterQueueing();
    return true;
}

void TcpConnection::enterHighWater(std::size_t queued) {
    m_aboveHighWater = true;
    if (m_pauseAboveHighWater) {
        updateInterest();
    }
    armSlowConsumerTimer();
    if (m_callbacks->onHighWaterMark) {
        m_callbacks->onHighWaterMark(shared_from_this(), queued);
    }
}

void TcpConnection::armSlowConsumerTimer() {
    if (m_slowConsumerMs == 0 || m_slowConsumerTimer != kInvalidTimerId) {
        return;
    }
    m_slowConsumerTimer = m_loop.runAfter(std::chrono::milliseconds(m_slowConsumerMs), [weak = weak_from_this()] {
        const TcpConnectionPtr connection = weak.lock();
        if (!connection) {
            return;
        }
        connection->m_slowConsumerTimer = kInvalidTimerId;
        if (connection->m_aboveHighWater && connection->state() != State::Disconnected) {
            connection->m_loop.logger().warn(
                "connection " + connection->m_peer.toString() +
                " closed as a slow consumer: " + std::to_string(connection->outputBytes()) + " bytes queued, above " +
                std::to_string(connection->m_highWaterMark) + " for " + std::to_string(connection->m_slowConsumerMs) +
                " ms");
            connection->closeNow(compat::kTimedOut);
        }
    });
}

// Refuses the send and closes at the end of this loop iteration, not inside the caller
// (which may be iterating over many recipients).
void TcpConnection::overLimit(std::size_t wouldQueue) {
    m_overLimit = true;
    m_loop.logger().warn("connection " + m_peer.toString() + " closed: its output would reach " +
                         std::to_string(wouldQueue) + " bytes, over its limit of " + std::to_string(m_outputLimit));
    m_reading = false;
    updateInterest();
    m_loop.post([self = shared_from_this()] { self->closeNow(compat::kNoBufferSpace); });
}

bool TcpConnection::sendNow(std::string_view data) {
    m_loop.assertInLoopThread();
    if (state() != State::Connected || m_overLimit || m_layer || !outputEmpty() || m_waitingWritable || data.empty()) {
        return send(data);  // behind what is queued (or through the layer): in order
    }
    std::ptrdiff_t n = sockets::write(m_socket.handle(), data.data(), data.size());
    if (n < 0) {
        if (!compat::isTransient(sockets::lastError())) {
            // The deferred flush meets the error again and closes there, outside the
            // caller's loop over its recipients.
            return send(data);
        }
        n = 0;  // the socket is full
    }
    addCount(m_bytesSent, static_cast<std::size_t>(n));
    data.remove_prefix(static_cast<std::size_t>(n));
    if (data.empty()) {
        return true;
    }
    waitWritable(true);  // the rest goes when the socket is writable, not at the flush
    return send(data);
}

void TcpConnection::shutdown() {
    m_loop.assertInLoopThread();
    if (state() != State::Connected) {
        return;
    }
    setState(State::ShuttingDown);
    if (m_layer) {
        if (!encodePending()) {
            return;
        }
        m_layer->close(m_output);
    }
    if (outputEmpty()) {
        shutdownWriteNow();
    } else {
        requestFlush();
    }
}

void TcpConnection::close() {
    m_loop.assertInLoopThread();
    const State current = state();
    if (current == State::Disconnected || current == State::Closing) {
        return;
    }
    if (current == State::Connecting) {
        closeNow(0);
        return;
    }
    if (m_layer && current == State::Connected) {
        if (!encodePending()) {
            return;
        }
        m_layer->close(m_output);
    }
    setState(State::Closing);
    m_reading = false;
    if (outputEmpty()) {
        closeNow(0);
        return;
    }
    updateInterest();
    requestFlush();
    armCloseTimer();
}

void TcpConnection::forceClose() {
    m_loop.assertInLoopThread();
    closeNow(0);
}

void TcpConnection::stopReading() {
    m_loop.assertInLoopThread();
    if (m_reading) {
        m_reading = false;
        updateInterest();
    }
}

void TcpConnection::startReading() {
    m_loop.assertInLoopThread();
    if (m_reading || !acceptsInput() || m_overLimit) {
        return;
    }
    m_reading = true;
    updateInterest();
    reofferInput();
}

bool TcpConnection::readingNow() const { return m_reading && !(m_pauseAboveHighWater && m_aboveHighWater); }

void TcpConnection::reofferInput() {
    if (!m_input.empty() && readingNow()) {
        // Bytes held back while paused are handed over again, from the loop, not from
        // inside the caller.
        m_loop.post([self = shared_from_this()] {
            self->guarded("message callback", [&self] {
                if (self->readingNow() && !self->m_input.empty()) {
                    self->dispatchMessage(self, self->m_input);
                    if (self->m_input.empty()) {
                        self->m_input.release();
                    }
                }
            });
        });
    }
}

void TcpConnection::setOutputBounds(const OutputBounds& bounds) {
    m_loop.assertInLoopThread();
    assert(bounds.lowWaterMark <= bounds.highWaterMark);
    m_highWaterMark = clamp32(bounds.highWaterMark);
    m_lowWaterMark = clamp32(bounds.lowWaterMark);
    m_outputLimit = clamp32(bounds.outputLimit);
    m_slowConsumerMs = clampMs(bounds.slowConsumerTimeout);
    m_pauseAboveHighWater = bounds.pauseReadingAboveHighWater;
    cancelTimer(m_slowConsumerTimer);
    if (m_aboveHighWater) {
        armSlowConsumerTimer();
    }
    updateInterest();
    checkLowWater();
}

void TcpConnection::setStreamLayer(std::unique_ptr<StreamLayer> layer) {
    m_loop.assertInLoopThread();
    m_layer = std::move(layer);
    if (!m_layer || state() != State::Connected) {
        return;
    }
    m_loop.reuseBuffer(m_output);
    if (const int error = m_layer->open(m_output); error != 0) {
        closeNow(error);
    } else if (!m_output.empty()) {
        requestFlush();
    }
}

std::error_code TcpConnection::lastError() const {
    return m_lastError == 0 ? std::error_code() : sockets::toErrorCode(m_lastError);
}

void TcpConnection::postSend(std::string data) {
    m_loop.runInLoop([self = shared_from_this(), data = std::move(data)] { self->send(data); });
}

void TcpConnection::postShutdown() { postCall(&TcpConnection::shutdown); }
void TcpConnection::postClose() { postCall(&TcpConnection::close); }
void TcpConnection::postForceClose() { postCall(&TcpConnection::forceClose); }

void TcpConnection::postCall(void (TcpConnection::*method)()) {
    m_loop.runInLoop([self = shared_from_this(), method] { (self.get()->*method)(); });
}

template <class Body>
void TcpConnection::guarded(const char* where, Body&& body) {
    catchAll(body, [this, where](const char* what) { failed(where, what); });
}

// The loop's scratch buffer may still hold this read: the next connection must not see it.
void TcpConnection::failed(const char* where, const char* what) {
    m_loop.scratchBuffer().retrieveAll();
    m_input.retrieveAll();
    m_loop.logger().error("connection " + m_peer.toString() + " closed: " + what + " in its " + where);
    closeNow(compat::kConnAborted);
}

void TcpConnection::handleEvents(IoEvents ready) {
    guarded("I/O handling", [this, ready] { handleEventsUnguarded(ready); });
}

void TcpConnection::handleEventsUnguarded(IoEvents ready) {
    const TcpConnectionPtr self = shared_from_this();
    const bool readable = hasAny(ready, IoEvents::Readable) && readingNow();
    if (hasAny(ready, IoEvents::Error) && !readable) {
        // Error or hang-up and nothing to read first: the pending error says why.
        closeNow(sockets::pendingError(m_socket.handle()));
        return;
    }
    if (readable) {
        handleRead(self);
    }
    if (hasAny(ready, IoEvents::Writable) && m_waitingWritable && state() != State::Disconnected) {
        writeOutput();
    }
}

void TcpConnection::handleLoopExit() { closeNow(compat::kConnAborted); }

// At least this much of an unfinished message in the input buffer (a file chunk is up
// to 256 KiB) and the next read goes straight into it: the rest of that message is
// copied by the kernel alone, not through the scratch buffer as well. Below it (the
// tail of a chat frame) reads go through the scratch buffer, so that a connection does
// not grow a 64 KiB input buffer for a few bytes.
constexpr std::size_t kDirectReadMin = 16 * 1024;

void TcpConnection::handleRead(const TcpConnectionPtr& self) {
    if (!m_layer && m_input.readableBytes() >= kDirectReadMin) {
        readIntoInput(self);
        return;
    }
    Buffer& wire = m_loop.scratchBuffer();
    wire.ensureWritable(Reactor::kScratchSize);  // a callback may have shrunk it
    const std::ptrdiff_t n = sockets::read(m_socket.handle(), wire.beginWrite(), wire.writableBytes());
    if (n > 0) {
        wire.hasWritten(static_cast<std::size_t>(n));
        addCount(m_bytesReceived, static_cast<std::size_t>(n));
        deliver(self, wire);
        wire.retrieveAll();
    } else if (n == 0) {
        handlePeerEof();
    } else if (const int error = sockets::lastError(); !compat::isTransient(error)) {
        closeNow(error);
    }
}

void TcpConnection::readIntoInput(const TcpConnectionPtr& self) {
    // At most a scratch buffer's worth per read, as through the scratch buffer: the
    // bounds on partial input see the same growth per read.
    m_input.ensureWritable(Reactor::kScratchSize);
    const std::ptrdiff_t n = sockets::read(m_socket.handle(), m_input.beginWrite(), Reactor::kScratchSize);
    if (n > 0) {
        m_input.hasWritten(static_cast<std::size_t>(n));
        addCount(m_bytesReceived, static_cast<std::size_t>(n));
        dispatchMessage(self, m_input);
        if (m_input.empty() || !acceptsInput()) {
            m_input.retrieveAll();
            m_input.release();
        }
    } else if (n == 0) {
        handlePeerEof();
    } else if (const int error = sockets::lastError(); !compat::isTransient(error)) {
        closeNow(error);
    }
}

// The common case costs no copy: with nothing buffered, the callback reads straight from
// the loop's scratch buffer and only an incomplete message is copied into m_input.
void TcpConnection::deliver(const TcpConnectionPtr& self, Buffer& wire) {
    if (m_layer) {
        m_loop.reuseBuffer(m_input, wire.readableBytes());
        if (const int error = m_layer->decode(wire.view(), m_input, m_output); error != 0) {
            closeNow(error);
            return;
        }
        if (!m_output.empty()) {
            requestFlush();
        }
        if (!m_input.empty()) {
            dispatchMessage(self, m_input);
        }
    } else if (m_input.empty()) {
        dispatchMessage(self, wire);
        if (!wire.empty() && acceptsInput()) {
            m_input.append(wire.view());
        }
    } else {
        m_input.append(wire.view());
        dispatchMessage(self, m_input);
    }
    if (m_input.empty() || !acceptsInput()) {
        m_input.retrieveAll();
        if (m_layer) {
            m_loop.recycleBuffer(m_input);  // decoded bytes: the loop keeps it for the next read
        } else {
            m_input.release();
        }
    }
}

bool TcpConnection::acceptsInput() const {
    const State current = state();
    return current == State::Connected || current == State::ShuttingDown;
}

void TcpConnection::dispatchMessage(const TcpConnectionPtr& self, Buffer& buffer) {
    if (m_callbacks->onMessage) {
        m_callbacks->onMessage(self, buffer);
    } else {
        buffer.retrieveAll();
    }
}

void TcpConnection::handlePeerEof() {
    m_reading = false;
    if (outputEmpty()) {
        closeNow(0);
        return;
    }
    // The peer has finished sending; deliver what is still queued for it, then close.
    setState(State::Closing);
    updateInterest();
    armCloseTimer();
}

void TcpConnection::requestFlush() {
    if (m_flushScheduled || m_waitingWritable || state() == State::Disconnected) {
        return;
    }
    m_flushScheduled = true;
    // Aliasing constructor: Flushable is a private base, so convert here where it is accessible.
    m_loop.scheduleFlush(std::shared_ptr<Flushable>(shared_from_this(), static_cast<Flushable*>(this)));
}

void TcpConnection::flush() {
    m_flushScheduled = false;
    if (state() != State::Disconnected && !m_waitingWritable) {
        guarded("write", [this] { writeOutput(); });
    }
}

// One send() per call: a short write means the socket buffer is full, so the rest waits
// for Writable instead of trying again at once. Owned blocks and the copied bytes after
// them leave in one gathered write.
void TcpConnection::writeOutput() {
    if (m_layer && !encodePending()) {
        return;
    }
    const bool hadOutput = !outputEmpty();
    if (hadOutput) {
        std::ptrdiff_t n = 0;
        if (!m_owned) {
            n = sockets::write(m_socket.handle(), m_output.peek(), m_output.readableBytes());
        } else {
            IoSlice slices[kMaxIoSlices];
            std::size_t count = 0;
            std::size_t offset = m_owned->frontOffset;
            for (const std::string& block : m_owned->blocks) {
                if (count == kMaxIoSlices) {
                    break;
                }
                slices[count++] = IoSlice{block.data() + offset, block.size() - offset};
                offset = 0;
            }
            // The copied bytes come after every owned block: only with all of them.
            if (!m_output.empty() && count == m_owned->blocks.size() && count < kMaxIoSlices) {
                slices[count++] = IoSlice{m_output.peek(), m_output.readableBytes()};
            }
            n = sockets::writeGathered(m_socket.handle(), slices, count);
        }
        if (n < 0) {
            const int error = sockets::lastError();
            if (compat::isTransient(error)) {
                waitWritable(true);
            } else {
                closeNow(error);
            }
            return;
        }
        consumeOutput(static_cast<std::size_t>(n));
        addCount(m_bytesSent, static_cast<std::size_t>(n));
        if (!outputEmpty()) {
            waitWritable(true);
            checkLowWater();
            return;
        }
        m_loop.recycleBuffer(m_output);
    }
    waitWritable(false);
    outputDrained(hadOutput);
}

void TcpConnection::consumeOutput(std::size_t count) {
    if (m_owned) {
        while (count > 0 && !m_owned->blocks.empty()) {
            const std::size_t left = m_owned->blocks.front().size() - m_owned->frontOffset;
            const std::size_t taken = std::min(left, count);
            count -= taken;
            m_owned->bytes -= taken;
            if (taken == left) {
                m_owned->blocks.pop_front();
                m_owned->frontOffset = 0;
            } else {
                m_owned->frontOffset += taken;
            }
        }
        if (m_owned->blocks.empty()) {
            m_owned.reset();
        }
    }
    m_output.retrieve(count);
}

void TcpConnection::outputDrained(bool wroteSomething) {
    checkLowWater();
    if (wroteSomething && state() == State::Connected && m_callbacks->onWriteComplete) {
        m_callbacks->onWriteComplete(shared_from_this());
    }
    // The callback may have queued more; finishing a shutdown or close waits for that.
    if (!outputEmpty()) {
        return;
    }
    if (state() == State::ShuttingDown) {
        shutdownWriteNow();
    } else if (state() == State::Closing) {
        closeNow(0);
    }
}

void TcpConnection::checkLowWater() {
    if (m_aboveHighWater && outputBytes() <= m_lowWaterMark && state() != State::Disconnected) {
        m_aboveHighWater = false;
        cancelTimer(m_slowConsumerTimer);
        if (m_pauseAboveHighWater) {
            updateInterest();
            reofferInput();
        }
        if (m_callbacks->onLowWaterMark) {
            m_callbacks->onLowWaterMark(shared_from_this(), outputBytes());
        }
    }
}

void TcpConnection::waitWritable(bool on) {
    if (m_waitingWritable != on) {
        m_waitingWritable = on;
        updateInterest();
    }
}

void TcpConnection::updateInterest() {
    const State current = state();
    if (current == State::Connecting || current == State::Disconnected) {
        return;
    }
    IoEvents interest = IoEvents::None;
    if (readingNow() && current != State::Closing) {
        interest |= IoEvents::Readable;
    }
    if (m_waitingWritable) {
        interest |= IoEvents::Writable;
    }
    if (const std::error_code error = m_loop.updateSocket(m_socket.handle(), interest)) {
        closeNow(error.value());
    }
}

void TcpConnection::shutdownWriteNow() {
    if (!m_writeShut) {
        m_writeShut = true;
        sockets::shutdownWrite(m_socket.handle());
    }
}

void TcpConnection::armCloseTimer() {
    if (m_closeTimer != kInvalidTimerId) {
        return;
    }
    m_closeTimer = m_loop.runAfter(std::chrono::milliseconds(m_closeTimeoutMs), [weak = weak_from_this()] {
        if (const TcpConnectionPtr connection = weak.lock()) {
            connection->m_closeTimer = kInvalidTimerId;
            connection->closeNow(compat::kTimedOut);
        }
    });
}

void TcpConnection::cancelTimer(TimerId& timer) {
    if (timer != kInvalidTimerId) {
        m_loop.cancel(timer);
        timer = kInvalidTimerId;
    }
}

void TcpConnection::closeNow(int error) {
    if (state() == State::Disconnected) {
        return;
    }
    const TcpConnectionPtr self = shared_from_this();
    setState(State::Disconnected);
    m_lastError = error;
    m_reading = false;
    m_waitingWritable = false;
    cancelTimer(m_closeTimer);
    cancelTimer(m_slowConsumerTimer);
    m_loop.removeSocket(m_socket.handle());
    m_socket.close();
    m_output.retrieveAll();
    m_loop.recycleBuffer(m_output);
    m_owned.reset();
    m_plainOutput.retrieveAll();
    m_plainOutput.release();
    if (error != 0 && m_loop.logger().enabled(LogLevel::Debug)) {
        m_loop.logger().debug("connection " + m_peer.toString() + " closed: " + lastError().message());
    }
    if (m_announced && m_callbacks->onClose) {
        catchAll([this, &self] { m_callbacks->onClose(self); },
                 [this](const char* what) {
                     m_loop.logger().error("connection " + m_peer.toString() + ": " + what + " in its close callback");
                 });
    }
    m_context.reset();
    if (const auto registry = m_registry.lock()) {
        registry->remove(this);
    }
}

void TcpConnection::addCount(std::atomic<std::uint64_t>& counter, std::size_t bytes) {
    // Single writer (the loop thread): a plain load/store, no locked instruction.
    counter.store(counter.load(std::memory_order_relaxed) + bytes, std::memory_order_relaxed);
}

}  // namespace parley::net
