#pragma once

#include "platform/Acceptor.h"
#include "platform/Callbacks.h"
#include "platform/ConnectionOptions.h"
#include "platform/InetAddress.h"
#include "platform/Reactor.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace parley::net {

class ConnectionRegistry;
class LoopPool;

/// A listening TCP server (muduo TcpServer): accepts on one loop and spreads the
/// connections round-robin over a LoopPool (or serves them on the accept loop if there is
/// no pool).
///
/// Typical use: LoopThread acceptThread; LoopPool pool; pool.start();
/// TcpServer server(acceptThread.start(), InetAddress::any(port), &pool);
/// server.setCallbacks(...); server.start(); ... server.stop();
///
/// Threading: all methods may be called from any thread; setters only before start().
/// Callbacks run on the loop of the connection concerned. The accept loop and the pool
/// must outlive the server; destroy the server (or stop() it) first.
class TcpServer {
public:
    /// Opens, binds and listens at once (port 0 picks a free port: see port()). Throws
    /// std::system_error, e.g. "cannot listen on 0.0.0.0:5000: Address already in use".
    TcpServer(Reactor& acceptLoop, const InetAddress& listenAddress, LoopPool* ioLoops = nullptr);
    /// Calls stop().
    ~TcpServer();

    TcpServer(const TcpServer&) = delete;
    TcpServer& operator=(const TcpServer&) = delete;

    void setCallbacks(ConnectionCallbacks callbacks);
    void setConnectionOptions(const ConnectionOptions& options);

    /// Starts accepting (the pool, if any, must be started). Idempotent.
    void start();

    /// Stops accepting, closes the listening socket (the port can be bound again at once)
    /// and force-closes every connection; returns once all their close callbacks have run.
    /// Idempotent. Must not be called from a thread the accept loop is waiting for.
    void stop();

    std::uint16_t port() const { return m_acceptor->address().port(); }
    const InetAddress& listenAddress() const { return m_acceptor->address(); }
    std::size_t connectionCount() const;

private:
    void newConnection(Socket socket, const InetAddress& peer);

    Reactor& m_acceptLoop;
    LoopPool* m_ioLoops;
    std::unique_ptr<Acceptor> m_acceptor;
    std::shared_ptr<const ConnectionCallbacks> m_callbacks;
    ConnectionOptions m_options;
    std::shared_ptr<ConnectionRegistry> m_registry;
    std::atomic<bool> m_started{false};
    std::atomic<bool> m_stopped{false};
};

}  // namespace parley::net
