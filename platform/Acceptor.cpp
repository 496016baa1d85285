#include "platform/Acceptor.h"

#include "platform/SocketOps.h"

#include <string>
#include <utility>

namespace parley::net {

Acceptor::Acceptor(Reactor& loop, const InetAddress& listenAddress, NewConnectionCallback callback)
    : m_loop(loop),
      m_socket(sockets::openStream(listenAddress.family())),
      m_address(listenAddress),
      m_callback(std::move(callback)) {
    sockets::bindAndListen(m_socket, listenAddress, SOMAXCONN);
    if (const auto bound = sockets::localAddress(m_socket.handle())) {
        m_address = *bound;
    }
}

Acceptor::~Acceptor() {
    if (m_registered) {
        stop();
    }
}

void Acceptor::start() {
    m_loop.assertInLoopThread();
    if (m_registered || !m_socket.valid()) {
        return;
    }
    if (const std::error_code error = m_loop.addSocket(m_socket.handle(), IoEvents::Readable, *this)) {
        m_loop.logger().error("cannot watch the listener on " + m_address.toString() + ": " + error.message());
        return;
    }
    m_registered = true;
}

void Acceptor::stop() {
    m_loop.assertInLoopThread();
    if (m_resumeTimer != kInvalidTimerId) {
        m_loop.cancel(m_resumeTimer);
        m_resumeTimer = kInvalidTimerId;
    }
    if (m_registered) {
        m_loop.removeSocket(m_socket.handle());
        m_registered = false;
    }
    m_socket.close();
}

void Acceptor::handleEvents(IoEvents /*ready*/) {
    // Bounded, so a flood of connects cannot starve the loop's other sockets.
    for (int i = 0; i < kMaxAcceptsPerEvent && m_registered; ++i) {
        Socket accepted;
        InetAddress peer;
        const int error = sockets::accept(m_socket.handle(), accepted, peer);
        if (error == 0) {
            m_callback(std::move(accepted), peer);
        } else if (compat::isTransient(error)) {
            return;  // drained (or interrupted: the listener is still readable next poll)
        } else if (error != compat::kConnAborted) {
            // EMFILE and friends leave the connection queued, so the listener stays
            // readable: without a pause, level triggering would spin the loop.
            pause(error);
            return;
        }
    }
}

void Acceptor::handleLoopExit() { stop(); }

void Acceptor::pause(int error) {
    m_loop.logger().warn("accept on " + m_address.toString() + " failed: " + sockets::toErrorCode(error).message() +
                         "; pausing accept for " + std::to_string(kPauseOnError.count()) + " ms");
    m_loop.updateSocket(m_socket.handle(), IoEvents::None);
    m_resumeTimer = m_loop.runAfter(kPauseOnError, [this] {
        m_resumeTimer = kInvalidTimerId;
        if (m_registered) {
            m_loop.updateSocket(m_socket.handle(), IoEvents::Readable);
        }
    });
}

}  // namespace parley::net
