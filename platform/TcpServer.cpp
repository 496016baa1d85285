#include "platform/TcpServer.h"

#include "platform/ConnectionRegistry.h"
#include "platform/LoopPool.h"
#include "platform/TcpConnection.h"

#include <cassert>
#include <utility>

namespace parley::net {

TcpServer::TcpServer(Reactor& acceptLoop, const InetAddress& listenAddress, LoopPool* ioLoops)
    : m_acceptLoop(acceptLoop),
      m_ioLoops(ioLoops),
      m_acceptor(std::make_unique<Acceptor>(
          acceptLoop, listenAddress,
          [this](Socket socket, const InetAddress& peer) { newConnection(std::move(socket), peer); })),
      m_callbacks(std::make_shared<const ConnectionCallbacks>()),
      m_registry(std::make_shared<ConnectionRegistry>()) {}

TcpServer::~TcpServer() { stop(); }

void TcpServer::setCallbacks(ConnectionCallbacks callbacks) {
    assert(!m_started && "set callbacks before start()");
    m_callbacks = std::make_shared<const ConnectionCallbacks>(std::move(callbacks));
}

void TcpServer::setConnectionOptions(const ConnectionOptions& options) {
    assert(!m_started && "set options before start()");
    m_options = options;
}

void TcpServer::start() {
    if (m_started.exchange(true) || m_stopped) {
        return;
    }
    assert((m_ioLoops == nullptr || m_ioLoops->started()) && "start the LoopPool first");
    m_acceptLoop.runInLoop([this] { m_acceptor->start(); });
}

void TcpServer::stop() {
    if (m_stopped.exchange(true)) {
        return;
    }
    // Once the acceptor has stopped no connection is added, so closing them all is final.
    m_acceptLoop.runInLoopAndWait([this] { m_acceptor->stop(); });
    m_registry->forceCloseAllAndWait();
}

std::size_t TcpServer::connectionCount() const { return m_registry->size(); }

void TcpServer::newConnection(Socket socket, const InetAddress& peer) {
    Reactor& loop = m_ioLoops != nullptr ? m_ioLoops->next() : m_acceptLoop;
    auto connection =
        std::make_shared<TcpConnection>(loop, std::move(socket), peer, m_callbacks, m_options, m_registry);
    m_registry->add(connection);
    if (!loop.runInLoop([connection] { connection->start(); })) {
        m_registry->remove(connection.get());  // that loop has finished
    }
}

}  // namespace parley::net
