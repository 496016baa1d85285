#include "platform/Connector.h"

#include "platform/SocketOps.h"

#include <utility>

namespace parley::net {

Connector::Connector(Reactor& loop, const InetAddress& server, ConnectedCallback onConnected,
                     ConnectFailedCallback onFailed)
    : m_loop(loop), m_server(server), m_onConnected(std::move(onConnected)), m_onFailed(std::move(onFailed)) {}

Connector::~Connector() { cancel(); }

void Connector::start() {
    m_loop.assertInLoopThread();
    try {
        m_socket = sockets::openStream(m_server.family());
    } catch (const std::system_error& e) {
        fail(e.code().value());
        return;
    }
    const int error = sockets::connect(m_socket.handle(), m_server);
    if (error != 0 && error != compat::kInProgress) {
        fail(error);
        return;
    }
    // Even an immediate success goes through Writable, so the callback never runs
    // inside start().
    if (const std::error_code added = m_loop.addSocket(m_socket.handle(), IoEvents::Writable, *this)) {
        fail(added.value());
        return;
    }
    m_registered = true;
}

void Connector::cancel() {
    if (m_registered) {
        m_loop.removeSocket(m_socket.handle());
        m_registered = false;
    }
    m_socket.close();
}

void Connector::handleEvents(IoEvents /*ready*/) {
    m_loop.removeSocket(m_socket.handle());
    m_registered = false;
    int error = sockets::pendingError(m_socket.handle());
    if (error == 0 && sockets::isSelfConnect(m_socket.handle())) {
        error = static_cast<int>(std::errc::connection_refused);
    }
    if (error != 0) {
        fail(error);
        return;
    }
    if (m_onConnected) {
        m_onConnected(std::move(m_socket), m_server);
    }
}

void Connector::handleLoopExit() { cancel(); }

void Connector::fail(int error) {
    m_socket.close();
    if (m_onFailed) {
        m_onFailed(sockets::toErrorCode(error));
    }
}

}  // namespace parley::net
