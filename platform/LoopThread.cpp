#include "platform/LoopThread.h"

#include <cassert>
#include <future>
#include <utility>

namespace parley::net {

LoopThread::LoopThread(BackendKind backend, Logger logger) : m_backend(backend), m_logger(std::move(logger)) {}

LoopThread::~LoopThread() { stop(); }

Reactor& LoopThread::start() {
    assert(!m_thread.joinable() && !m_reactor && "a LoopThread starts once");
    std::promise<std::unique_ptr<Reactor>> created;
    std::future<std::unique_ptr<Reactor>> result = created.get_future();
    m_thread = std::thread([this, &created] {
        Reactor* reactor = nullptr;
        try {
            auto owned = std::make_unique<Reactor>(m_backend, m_logger);
            reactor = owned.get();
            // Ownership moves to the controlling thread, which destroys it after join().
            created.set_value(std::move(owned));
        } catch (...) {
            created.set_exception(std::current_exception());
            return;
        }
        reactor->loop();
    });
    try {
        m_reactor = result.get();
    } catch (...) {
        m_thread.join();
        throw;
    }
    return *m_reactor;
}

void LoopThread::stop() {
    if (!m_thread.joinable()) {
        return;
    }
    assert(!m_reactor->isInLoopThread() && "a loop cannot stop its own thread");
    m_reactor->quit();
    m_thread.join();
}

}  // namespace parley::net
