#pragma once

#include "platform/Backend.h"
#include "platform/Logger.h"
#include "platform/Reactor.h"

#include <memory>
#include <thread>

namespace parley::net {

/// One Reactor running on its own worker thread (muduo EventLoopThread): the shape of the
/// server GUI's Start/Stop.
///
/// The Reactor is created on the worker (so that is its loop thread) and owned here; it
/// lives until this object is destroyed, so late post()s after stop() are dropped safely.
/// One-shot: create a new LoopThread to start again. Call from one controlling thread,
/// never from the loop itself.
class LoopThread {
public:
    explicit LoopThread(BackendKind backend = defaultBackend(), Logger logger = Logger());
    /// Calls stop().
    ~LoopThread();

    LoopThread(const LoopThread&) = delete;
    LoopThread& operator=(const LoopThread&) = delete;

    /// Starts the thread and returns its Reactor once it exists. Rethrows the
    /// std::system_error if the Reactor cannot be created.
    Reactor& start();

    /// Quits the loop and joins the thread; connections on the loop are closed first (see
    /// Reactor). Idempotent.
    void stop();

    /// Null before start().
    Reactor* reactor() const { return m_reactor.get(); }

private:
    BackendKind m_backend;
    Logger m_logger;
    std::unique_ptr<Reactor> m_reactor;
    std::thread m_thread;
};

}  // namespace parley::net
