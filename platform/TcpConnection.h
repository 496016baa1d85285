#pragma once

#include "platform/Buffer.h"
#include "platform/Callbacks.h"
#include "platform/ConnectionOptions.h"
#include "platform/Flushable.h"
#include "platform/InetAddress.h"
#include "platform/IoHandler.h"
#include "platform/Reactor.h"
#include "platform/Socket.h"
#include "platform/StreamLayer.h"
#include "platform/TimerQueue.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

namespace parley::net {

class ConnectionRegistry;

/// One established TCP connection (muduo TcpConnection), owned by its loop.
///
/// Ownership: always held by std::shared_ptr; the TcpServer/TcpClient registry keeps it
/// alive until it closes, callbacks get a TcpConnectionPtr, and the socket is closed when
/// the connection closes (not when the last pointer goes), so a stale pointer is
/// harmless: sends on a closed connection are dropped.
///
/// Threading: "loop thread" methods run on loop()'s thread only (asserted in debug
/// builds); post*() and the accessors marked "any thread" may be called anywhere.
///
/// Output: send() appends to the output buffer and the connection writes once at the end
/// of the loop iteration, so many small sends cost one syscall. If the peer reads slowly
/// the buffer grows; HighWaterMarkCallback (at highWaterMark) tells the producer to pause
/// and LowWaterMarkCallback / WriteCompleteCallback to resume. OutputBounds (set from
/// ConnectionOptions, changed by setOutputBounds) can also bound it here: above high
/// water stop reading until low water, close a slow consumer that stays above high water
/// too long, close at once at a hard limit. Without them nothing caps the buffer.
///
/// Exceptions: one thrown by a callback of this connection (or by its own code, e.g.
/// bad_alloc) is caught here, logged (Error) and closes this connection (lastError:
/// connection aborted); the loop goes on.
///
/// Memory: an idle connection holds no buffer memory. Reads go to the loop's scratch
/// buffer; only an unconsumed tail is kept, and buffers are released once drained (a
/// small output buffer's memory goes to the loop's spares, Reactor::recycleBuffer, for
/// the next connection that sends).
///
/// Errors: resets and other socket errors close the connection; lastError() says why.
class TcpConnection final : public std::enable_shared_from_this<TcpConnection>, private IoHandler, private Flushable {
public:
    enum class State : std::uint8_t {
        Connecting,  ///< created, start() not run yet
        Connected,
        ShuttingDown,  ///< shutdown(): flushing, then the write side closes; still reading
        Closing,       ///< close() or peer EOF: not reading, flushing, then closing
        Disconnected,
    };

    /// Any thread (TcpServer / TcpClient create connections; use std::make_shared).
    /// Takes ownership of the connected, non-blocking `socket`.
    TcpConnection(Reactor& loop, Socket socket, const InetAddress& peer,
                  std::shared_ptr<const ConnectionCallbacks> callbacks, const ConnectionOptions& options,
                  std::weak_ptr<ConnectionRegistry> registry);
    ~TcpConnection();

    TcpConnection(const TcpConnection&) = delete;
    TcpConnection& operator=(const TcpConnection&) = delete;

    // ---- loop thread ----

    /// Registers with the loop and runs ConnectionCallback. Called once by the owner.
    void start();

    /// Queues bytes for sending (copied). Returns false, sending nothing, unless the
    /// connection is Connected.
    bool send(std::string_view data);

    /// Like send(), but writes at once instead of at the end of the loop iteration:
    /// straight from `data` when nothing is queued, queueing only what the socket does
    /// not take (then as send() does, with the write-complete callback when that is out).
    /// For fan-out, where one iteration sends to thousands of connections and send()
    /// would hold a buffer for each until the iteration ends. Runs no callback itself
    /// (an error is found, and closes, at the deferred flush). Loop thread.
    bool sendNow(std::string_view data);

    /// Like send(), but takes `data` over instead of copying it when no copied bytes
    /// are queued (then it is written from the string itself, gathered with what
    /// follows it); behind copied bytes, or through a stream layer, it is copied as
    /// send() does, so the order stays the order of the calls. For large frames the
    /// caller has already copied once (a relayed file chunk). Loop thread.
    bool sendOwned(std::string data);

    /// Half-close: sends what is queued, then shuts down the write side. Reading goes on
    /// until the peer closes too.
    void shutdown();

    /// Stops reading, sends what is queued and closes; if the peer does not take it within
    /// ConnectionOptions::closeTimeout, closes anyway (lastError: timed out).
    void close();

    /// Closes now; queued output is dropped.
    void forceClose();

    /// Pause / resume reading (read-side backpressure). Bytes left unconsumed in the
    /// input buffer are offered to MessageCallback again soon after reading resumes.
    void stopReading();
    void startReading();

    /// Replaces the bounds from ConnectionOptions (e.g. larger ones once a peer has logged
    /// in). Applies from the next send; a connection above the new limit closes then.
    void setOutputBounds(const OutputBounds& bounds);

    /// Installs a stream layer (e.g. TLS) before any data is exchanged, typically from
    /// ConnectionCallback. Without one, bytes pass unchanged and uncopied.
    void setStreamLayer(std::unique_ptr<StreamLayer> layer);

    /// A slot for the user's per-connection state (the engine's session). It is destroyed
    /// right after CloseCallback, which breaks any cycle through the connection. A
    /// type-erased shared_ptr rather than std::any, which would allocate again to hold one.
    std::shared_ptr<void>& context() { return m_context; }

    std::size_t outputBytes() const { return m_output.readableBytes() + ownedBytes() + m_plainOutput.readableBytes(); }
    /// Memory held by the input and output buffers (0 when idle).
    std::size_t bufferCapacity() const {
        return m_input.capacity() + m_output.capacity() + ownedBytes() + m_plainOutput.capacity();
    }

    /// Why the connection closed: empty for an orderly close. Loop thread, or in/after
    /// CloseCallback.
    std::error_code lastError() const;

    // ---- any thread ----

    /// Thread-safe variants: run the loop-thread method on the loop (at once if called
    /// there). postSend takes the bytes by value; one allocation per call.
    void postSend(std::string data);
    void postShutdown();
    void postClose();
    void postForceClose();

    Reactor& loop() const { return m_loop; }
    State state() const { return m_state.load(std::memory_order_acquire); }
    bool connected() const { return state() == State::Connected; }
    const InetAddress& peerAddress() const { return m_peer; }
    std::uint64_t bytesReceived() const { return m_bytesReceived.load(std::memory_order_relaxed); }
    std::uint64_t bytesSent() const { return m_bytesSent.load(std::memory_order_relaxed); }

private:
    void handleEvents(IoEvents ready) override;
    void handleLoopExit() override;
    void flush() override;

    void handleEventsUnguarded(IoEvents ready);
    /// Runs `body`; an exception from it closes this connection (logged).
    template <class Body>
    void guarded(const char* where, Body&& body);
    void failed(const char* where, const char* what);
    void handleRead(const TcpConnectionPtr& self);
    void readIntoInput(const TcpConnectionPtr& self);
    /// False unless Connected and `more` bytes stay within the output limit (passing
    /// it closes, see overLimit).
    bool mayQueue(std::size_t more);
    /// High water and the end-of-iteration flush, after bytes were queued.
    void afterQueueing();
    std::size_t ownedBytes() const { return m_owned ? m_owned->bytes : 0; }
    bool outputEmpty() const { return m_output.empty() && !m_owned && m_plainOutput.empty(); }
    /// With a layer: this iteration's application bytes through it into m_output. False
    /// if the layer failed (the connection is closed then).
    bool encodePending();
    /// Drops `count` written bytes from the front of the output: owned blocks first.
    void consumeOutput(std::size_t count);
    void deliver(const TcpConnectionPtr& self, Buffer& wire);
    void dispatchMessage(const TcpConnectionPtr& self, Buffer& buffer);
    void handlePeerEof();
    bool acceptsInput() const;
    void requestFlush();
    void writeOutput();
    void outputDrained(bool wroteSomething);
    void checkLowWater();
    void enterHighWater(std::size_t queued);
    bool readingNow() const;
    void reofferInput();
    void overLimit(std::size_t wouldQueue);
    void armSlowConsumerTimer();
    void waitWritable(bool on);
    void updateInterest();
    void shutdownWriteNow();
    void armCloseTimer();
    void cancelTimer(TimerId& timer);
    void closeNow(int error);
    void postCall(void (TcpConnection::*method)());
    void setState(State state) { m_state.store(state, std::memory_order_release); }
    static void addCount(std::atomic<std::uint64_t>& counter, std::size_t bytes);

    Reactor& m_loop;
    Socket m_socket;
    std::shared_ptr<const ConnectionCallbacks> m_callbacks;
    std::weak_ptr<ConnectionRegistry> m_registry;
    std::unique_ptr<StreamLayer> m_layer;
    Buffer m_input;
    Buffer m_output;
    /// Blocks handed over by sendOwned(), written before m_output (which only holds
    /// bytes sent after them). Null unless some are queued: an idle connection pays a
    /// pointer for it.
    struct OwnedOutput {
        std::deque<std::string> blocks;
        std::size_t frontOffset = 0;  ///< bytes of blocks.front() already written
        std::size_t bytes = 0;        ///< unwritten bytes in all blocks
    };
    std::unique_ptr<OwnedOutput> m_owned;
    /// With a stream layer: application bytes sent in this loop iteration, encoded at
    /// its end (writeOutput) as one write to the layer.
    Buffer m_plainOutput;
    std::shared_ptr<void> m_context;
    InetAddress m_peer;
    // 32 bits (a Buffer holds at most 4 GiB; a close waits at most 49 days):
    // every idle connection carries these.
    std::uint32_t m_highWaterMark;
    std::uint32_t m_lowWaterMark;
    std::uint32_t m_outputLimit;     ///< 0 = none
    std::uint32_t m_slowConsumerMs;  ///< 0 = never
    std::uint32_t m_closeTimeoutMs;
    TimerId m_closeTimer = kInvalidTimerId;
    TimerId m_slowConsumerTimer = kInvalidTimerId;
    std::atomic<std::uint64_t> m_bytesReceived{0};
    std::atomic<std::uint64_t> m_bytesSent{0};
    int m_lastError = 0;
    std::atomic<State> m_state{State::Connecting};
    bool m_tcpNoDelay;
    bool m_announced = false;  // ConnectionCallback ran, so CloseCallback will
    bool m_reading = false;
    bool m_waitingWritable = false;
    bool m_flushScheduled = false;
    bool m_aboveHighWater = false;
    bool m_pauseAboveHighWater;
    bool m_overLimit = false;  ///< refused a send over m_outputLimit: closing
    bool m_writeShut = false;
    std::uint32_t m_registrySlot = 0;  ///< owned by ConnectionRegistry (under its lock)

    friend class ConnectionRegistry;
};

}  // namespace parley::net
