#include "platform/Reactor.h"

#include "platform/CatchAll.h"
#include "platform/SocketOps.h"

#include <Poco/Net/Net.h>

#include <algorithm>
#include <future>
#include <iterator>
#include <string>

namespace parley::net {

Reactor::Reactor(BackendKind backend, Logger logger)
    : m_threadId(std::this_thread::get_id()), m_backend(backend), m_logger(std::move(logger)) {
    // WSAStartup on Windows (reference counted), nothing elsewhere.
    Poco::Net::initializeNetwork();
    try {
        m_poller = makePoller(backend);
    } catch (...) {
        Poco::Net::uninitializeNetwork();
        throw;
    }
    m_scratch.ensureWritable(kScratchSize);
}

Reactor::~Reactor() {
    assert(!m_looping && "a Reactor must not be destroyed while its loop runs");
    m_poller.reset();
    Poco::Net::uninitializeNetwork();
}

void Reactor::loop() {
    assertInLoopThread();
    assert(!m_looping);
    m_looping = true;
    while (!m_quit.load(std::memory_order_acquire)) {
        m_ready.clear();
        const int error = m_poller->poll(pollTimeoutMs(), m_ready);
        pollFinished();
        if (error != 0) {
            m_logger.error(std::string(m_poller->name()) + " poll failed: " + sockets::toErrorCode(error).message());
        }
        m_iterations.store(m_iterations.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        dispatch();
        m_timers.runExpired(Clock::now(), [this](const TimerCallback& callback) { guarded("timer", callback); });
        runPendingFunctors();
        runFlushes();
    }
    finish();
    m_looping = false;
}

template <class Body>
void Reactor::guarded(const char* where, Body&& body) const {
    catchAll(body, [this, where](const char* what) {
        m_logger.error(std::string(what) + " in a " + where + " on the I/O loop");
    });
}

void Reactor::quit() {
    m_quit.store(true, std::memory_order_release);
    if (!isInLoopThread()) {
        m_poller->wakeup();
    }
}

bool Reactor::post(Functor fn) {
    Functor dropped;  // declared before the lock: destroyed after it is released
    bool wake = false;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_finished) {
            dropped = std::move(fn);
            return false;
        }
        m_pending.push_back(std::move(fn));
        wake = needsWakeLocked();
    }
    if (wake) {
        m_poller->wakeup();
    }
    return true;
}

bool Reactor::postAll(std::vector<Functor>& fns) {
    std::vector<Functor> dropped;  // destroyed after the lock is released
    bool wake = false;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_finished) {
            dropped.swap(fns);
            return false;
        }
        if (m_pending.empty()) {
            m_pending.swap(fns);  // the common case: no copy, and fns gets spare capacity
        } else {
            std::move(fns.begin(), fns.end(), std::back_inserter(m_pending));
        }
        wake = !m_pending.empty() && needsWakeLocked();
    }
    fns.clear();
    if (wake) {
        m_poller->wakeup();
    }
    return true;
}

// m_mutex held. One wake-up per batch, and only for a loop that is (about to be) blocked
// in poll: pollTimeoutMs() sets m_polling under this mutex after seeing m_pending empty,
// so a post either lands before that check (the poll does not block) or sees the flag.
// The loop thread itself never needs one.
bool Reactor::needsWakeLocked() {
    if (m_wakePending || !m_polling.load(std::memory_order_relaxed) || isInLoopThread()) {
        return false;
    }
    m_wakePending = true;
    return true;
}

bool Reactor::runInLoop(Functor fn) {
    if (isInLoopThread()) {
        fn();
        return true;
    }
    return post(std::move(fn));
}

void Reactor::runInLoopAndWait(const Functor& fn) {
    if (isInLoopThread()) {
        fn();
        return;
    }
    std::promise<void> done;
    std::future<void> result = done.get_future();
    const bool queued = post([&fn, &done] {
        try {
            fn();
            done.set_value();
        } catch (...) {
            done.set_exception(std::current_exception());
        }
    });
    if (!queued) {
        fn();
        return;
    }
    result.get();
}

TimerId Reactor::runAfter(Clock::duration delay, TimerCallback callback) {
    return addTimer(Clock::now() + delay, Clock::duration::zero(), std::move(callback));
}

TimerId Reactor::runEvery(Clock::duration interval, TimerCallback callback) {
    return addTimer(Clock::now() + interval, interval, std::move(callback));
}

TimerId Reactor::addTimer(Clock::time_point when, Clock::duration interval, TimerCallback callback) {
    const TimerId id = m_nextTimerId.fetch_add(1, std::memory_order_relaxed);
    if (isInLoopThread()) {
        m_timers.add(id, when, interval, std::move(callback));
    } else {
        post([this, id, when, interval, callback = std::move(callback)]() mutable {
            m_timers.add(id, when, interval, std::move(callback));
        });
    }
    return id;
}

void Reactor::cancel(TimerId id) {
    if (isInLoopThread()) {
        m_timers.cancel(id);
    } else {
        post([this, id] { m_timers.cancel(id); });
    }
}

std::error_code Reactor::addSocket(SocketHandle socket, IoEvents interest, IoHandler& handler) {
    assertInLoopThread();
    const auto [it, inserted] = m_registered.try_emplace(socket, Registration{&handler, interest});
    if (!inserted) {
        return std::make_error_code(std::errc::file_exists);
    }
    if (const int error = m_poller->add(socket, interest, handler); error != 0) {
        m_registered.erase(it);
        return sockets::toErrorCode(error);
    }
    return {};
}

std::error_code Reactor::updateSocket(SocketHandle socket, IoEvents interest) {
    assertInLoopThread();
    const auto it = m_registered.find(socket);
    if (it == m_registered.end()) {
        return std::make_error_code(std::errc::bad_file_descriptor);
    }
    if (it->second.interest == interest) {
        return {};
    }
    if (const int error = m_poller->update(socket, interest, *it->second.handler); error != 0) {
        return sockets::toErrorCode(error);
    }
    it->second.interest = interest;
    return {};
}

void Reactor::removeSocket(SocketHandle socket) {
    assertInLoopThread();
    const auto it = m_registered.find(socket);
    if (it == m_registered.end()) {
        return;
    }
    IoHandler* handler = it->second.handler;
    m_registered.erase(it);
    if (const int error = m_poller->remove(socket); error != 0) {
        m_logger.warn("removing a socket from the poller failed: " + sockets::toErrorCode(error).message());
    }
    // Events already polled for this handler must not reach it: it may be gone by then.
    if (m_dispatching) {
        for (std::size_t i = m_dispatchIndex + 1; i < m_ready.size(); ++i) {
            if (m_ready[i].handler == handler) {
                m_ready[i].handler = nullptr;
            }
        }
    }
}

bool Reactor::hasSocket(SocketHandle socket) const {
    assertInLoopThread();
    return m_registered.count(socket) != 0;
}

void Reactor::scheduleFlush(std::shared_ptr<Flushable> target) {
    assertInLoopThread();
    m_flushes.push_back(std::move(target));
}

void Reactor::recycleBuffer(Buffer& buffer) {
    assertInLoopThread();
    if (buffer.capacity() == 0) {
        return;
    }
    if (buffer.capacity() <= kSpareBufferBytes && m_spareBuffers.size() < kSpareBuffers) {
        m_spareBuffers.push_back(buffer.takeStorage());
    } else if (buffer.capacity() > kSpareBufferBytes && buffer.capacity() <= kLargeSpareBufferBytes &&
               m_largeSpareBuffers.size() < kLargeSpareBuffers) {
        m_largeSpareBuffers.push_back(buffer.takeStorage());
    } else {
        buffer.release();
    }
}

void Reactor::reuseBuffer(Buffer& buffer, std::size_t bytes) {
    assertInLoopThread();
    if (buffer.capacity() != 0) {
        return;
    }
    std::vector<std::vector<char>>& spares =
        bytes > kSpareBufferBytes && !m_largeSpareBuffers.empty() ? m_largeSpareBuffers : m_spareBuffers;
    if (spares.empty()) {
        return;
    }
    buffer.adoptStorage(std::move(spares.back()));
    spares.pop_back();
}

Buffer& Reactor::scratchBuffer() {
    assertInLoopThread();
    return m_scratch;
}

int Reactor::pollTimeoutMs() {
    if (!m_flushes.empty()) {
        return 0;
    }
    int timeoutMs = kMaxPollTimeoutMs;
    if (const auto next = m_timers.nextExpiry()) {
        const Clock::time_point now = Clock::now();
        if (*next <= now) {
            return 0;
        }
        // Round up: a timer due in 0.4 ms must not turn into a busy poll with timeout 0.
        const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*next - now).count();
        timeoutMs = static_cast<int>(std::min<decltype(ms)>(ms, kMaxPollTimeoutMs));
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_pending.empty()) {
        return 0;
    }
    m_polling.store(true, std::memory_order_relaxed);
    return timeoutMs;
}

void Reactor::pollFinished() {
    // No lock: a post() that still sees true only costs one spare wake-up, and one that
    // sees false is picked up by runPendingFunctors() before the next poll.
    m_polling.store(false, std::memory_order_relaxed);
}

void Reactor::dispatch() {
    m_dispatching = true;
    for (m_dispatchIndex = 0; m_dispatchIndex < m_ready.size(); ++m_dispatchIndex) {
        const ReadyEvent event = m_ready[m_dispatchIndex];
        if (event.handler != nullptr) {
            guarded("socket handler", [&event] { event.handler->handleEvents(event.events); });
        }
    }
    m_dispatching = false;
}

void Reactor::runPendingFunctors() {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_calling.swap(m_pending);
        m_wakePending = false;
    }
    for (Functor& fn : m_calling) {
        guarded("posted function", fn);
    }
    m_calling.clear();
    // A burst (a login storm's presence posts) must not pin its peak capacity forever.
    if (m_calling.capacity() > kKeepFunctors) {
        std::vector<Functor>().swap(m_calling);
    }
}

void Reactor::runFlushes() {
    // Flushes scheduled while flushing (e.g. from a write-complete callback) run next
    // iteration, after other sockets had their turn.
    m_flushing.swap(m_flushes);
    for (const auto& target : m_flushing) {
        guarded("flush", [&target] { target->flush(); });
    }
    m_flushing.clear();
}

void Reactor::closeRegistered() {
    std::vector<std::pair<SocketHandle, IoHandler*>> handlers;
    handlers.reserve(m_registered.size());
    for (const auto& [socket, registration] : m_registered) {
        handlers.emplace_back(socket, registration.handler);
    }
    for (const auto& [socket, handler] : handlers) {
        // An earlier handler's exit may have closed this one already.
        auto it = m_registered.find(socket);
        if (it == m_registered.end() || it->second.handler != handler) {
            continue;
        }
        handler->handleLoopExit();
        it = m_registered.find(socket);
        if (it != m_registered.end() && it->second.handler == handler) {
            removeSocket(socket);
        }
    }
}

void Reactor::finish() {
    for (;;) {
        runPendingFunctors();
        runFlushes();
        if (!m_registered.empty()) {
            closeRegistered();
            continue;
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        if (m_pending.empty()) {
            m_finished = true;
            break;
        }
    }
    // Swap first: destroying a callback may call cancel() on this loop.
    TimerQueue doomed;
    std::swap(doomed, m_timers);
}

}  // namespace parley::net
