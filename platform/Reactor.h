#pragma once

#include "platform/Backend.h"
#include "platform/Buffer.h"
#include "platform/Callbacks.h"
#include "platform/Compat.h"
#include "platform/Flushable.h"
#include "platform/IoEvents.h"
#include "platform/IoHandler.h"
#include "platform/Logger.h"
#include "platform/Poller.h"
#include "platform/TimerQueue.h"

#include <any>
#include <atomic>
#include <cassert>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <vector>

namespace parley::net {

/// One event loop on one thread (muduo EventLoop): sockets, timers, posted functions.
///
/// Threading: the thread that constructs a Reactor is its loop thread, and loop() must
/// run there. Methods marked "loop thread" assert it in debug builds; "any thread"
/// methods are safe from everywhere. Ownership: the Reactor owns its poller, timers and
/// posted functions, never the sockets or handlers registered with it. It must outlive
/// every object that uses it (LoopThread and LoopPool keep theirs until destroyed).
///
/// One iteration: poll -> dispatch ready sockets -> due timers -> posted functions ->
/// scheduled flushes (coalesced output). The poll does not block while work is pending.
///
/// Lifetime of the loop: loop() runs once. After quit() it finishes the posted work,
/// calls IoHandler::handleLoopExit() on every registered handler (connections close,
/// their close callbacks run here), and from then on post() drops what it is given.
///
/// Errors: a failing poll is logged (Logger, level Error) and the loop goes on; socket
/// registration returns the backend's error code. An exception escaping a handler, timer,
/// posted function or flush is caught, logged (Error) and the loop goes on (a
/// TcpConnection catches its own first and closes itself). runInLoopAndWait rethrows.
class Reactor {
public:
    using Functor = std::function<void()>;

    static constexpr std::size_t kScratchSize = 64 * 1024;
    static constexpr std::size_t kSpareBuffers = 32;
    static constexpr std::size_t kSpareBufferBytes = 4 * 1024;
    /// Large spares: what a file chunk's records or its decrypted bytes need.
    static constexpr std::size_t kLargeSpareBuffers = 4;
    static constexpr std::size_t kLargeSpareBufferBytes = 1024 * 1024;
    static constexpr int kMaxPollTimeoutMs = 10000;
    /// Posted-functor capacity kept after a batch; a larger one is freed once run.
    static constexpr std::size_t kKeepFunctors = 4096;

    /// Throws std::system_error if the backend is unavailable or cannot be created.
    explicit Reactor(BackendKind backend = defaultBackend(), Logger logger = Logger());
    ~Reactor();

    Reactor(const Reactor&) = delete;
    Reactor& operator=(const Reactor&) = delete;

    /// Loop thread. Runs until quit(), then finishes as described above.
    void loop();

    /// Any thread. Makes loop() return after the current iteration.
    void quit();

    /// Any thread. Queues `fn` to run on the loop thread (FIFO per calling thread). Wakes
    /// the loop only if it is blocked in (or about to enter) its poll, and then once per
    /// batch: a loop that is busy finds the work before it polls again, with no system
    /// call on either side. Returns false, and destroys `fn` without running it, once the
    /// loop has finished.
    bool post(Functor fn);

    /// Any thread. post() for many functors at once: one lock and at most one wake-up.
    /// Runs them in order; `fns` is left empty (its capacity kept). Returns false, and
    /// destroys them, once the loop has finished.
    bool postAll(std::vector<Functor>& fns);

    /// Any thread. Runs `fn` now if called on the loop thread, otherwise post()s it.
    bool runInLoop(Functor fn);

    /// Any thread but another loop that this one might wait for (deadlock). Runs `fn` on
    /// the loop thread and waits for it; if the loop has finished, runs it here, since
    /// nothing else touches the loop's state any more. Rethrows what `fn` throws.
    void runInLoopAndWait(const Functor& fn);

    /// Any thread. One-shot / repeating timers; the id is valid at once. From another
    /// thread the timer is added (or cancelled) through post(), so cancel a timer from
    /// the thread that added it or from the loop thread.
    TimerId runAfter(Clock::duration delay, TimerCallback callback);
    TimerId runEvery(Clock::duration interval, TimerCallback callback);
    void cancel(TimerId id);

    /// Loop thread. Registers a socket (not yet registered) with its handler; returns the
    /// backend's error, or errc::file_exists if the socket is registered already.
    std::error_code addSocket(SocketHandle socket, IoEvents interest, IoHandler& handler);
    /// Loop thread. Changes interest; no system call if it is unchanged.
    std::error_code updateSocket(SocketHandle socket, IoEvents interest);
    /// Loop thread. Unregisters (no-op if unknown); call before closing the socket.
    void removeSocket(SocketHandle socket);
    bool hasSocket(SocketHandle socket) const;

    /// Loop thread. Calls target->flush() once at the end of this iteration.
    void scheduleFlush(std::shared_ptr<Flushable> target);

    /// Loop thread. A slot for the user's per-loop state (muduo EventLoop::setContext),
    /// e.g. what a server keeps per I/O loop. Destroyed with the Reactor, after the loop
    /// has finished.
    std::any& context() {
        assertInLoopThread();
        return m_context;
    }

    /// Loop thread. The per-loop read buffer (kScratchSize bytes, empty between uses):
    /// connections read into it and keep only an unconsumed tail themselves.
    Buffer& scratchBuffer();

    /// Loop thread. Output buffers are released once written out, so that an idle
    /// connection holds no memory; a busy one would then allocate, zero-fill and free
    /// one for every burst it sends. Instead a drained buffer's memory is kept here
    /// (at most kSpareBuffers of at most kSpareBufferBytes, per loop) and handed to
    /// the next connection of this loop that sends. The same for the few large buffers
    /// of a TLS connection moving a file (its records, its decrypted chunks): freeing
    /// and faulting in 256 KiB per chunk was most of a TLS relay's cost (the allocator
    /// hands such blocks back to the kernel, which zero-fills them again), so up to
    /// kLargeSpareBuffers of at most kLargeSpareBufferBytes are kept as well.
    /// recycleBuffer: `buffer` (empty) ends up without memory, kept here if it fits.
    void recycleBuffer(Buffer& buffer);
    /// reuseBuffer: an empty `buffer` without memory gets a spare one, if any: a large
    /// one when `bytes` is more than a small one holds.
    void reuseBuffer(Buffer& buffer, std::size_t bytes = 0);

    bool isInLoopThread() const { return std::this_thread::get_id() == m_threadId; }
    void assertInLoopThread() const { assert(isInLoopThread() && "loop thread only"); }

    BackendKind backend() const { return m_backend; }
    const Logger& logger() const { return m_logger; }
    /// Any thread. Completed loop iterations (a diagnostic: a spinning loop shows here).
    std::uint64_t iterations() const { return m_iterations.load(std::memory_order_relaxed); }

private:
    struct Registration {
        IoHandler* handler;
        IoEvents interest;
    };

    TimerId addTimer(Clock::time_point when, Clock::duration interval, TimerCallback callback);
    /// Runs `body`; an exception from it is logged as coming from `where`.
    template <class Body>
    void guarded(const char* where, Body&& body) const;
    int pollTimeoutMs();
    void pollFinished();
    bool needsWakeLocked();
    void dispatch();
    void runPendingFunctors();
    void runFlushes();
    void closeRegistered();
    void finish();

    const std::thread::id m_threadId;
    const BackendKind m_backend;
    const Logger m_logger;
    std::unique_ptr<Poller> m_poller;
    TimerQueue m_timers;
    Buffer m_scratch;
    std::vector<std::vector<char>> m_spareBuffers;
    std::vector<std::vector<char>> m_largeSpareBuffers;
    std::unordered_map<SocketHandle, Registration> m_registered;
    ReadyList m_ready;
    std::size_t m_dispatchIndex = 0;
    bool m_dispatching = false;
    bool m_looping = false;
    std::vector<std::shared_ptr<Flushable>> m_flushes;
    std::vector<std::shared_ptr<Flushable>> m_flushing;
    std::vector<Functor> m_calling;
    std::any m_context;

    std::atomic<bool> m_quit{false};
    std::atomic<std::uint64_t> m_iterations{0};
    std::atomic<TimerId> m_nextTimerId{1};

    mutable std::mutex m_mutex;  // guards the members below (m_polling: written under it)
    std::vector<Functor> m_pending;
    bool m_wakePending = false;
    // True from the moment the loop decided to block in poll (with m_pending empty, under
    // m_mutex) until poll returned: only then does a post() need to wake it.
    std::atomic<bool> m_polling{false};
    bool m_finished = false;
};

}  // namespace parley::net
