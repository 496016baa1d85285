#pragma once

#include "platform/Callbacks.h"
#include "platform/ConnectionOptions.h"
#include "platform/Connector.h"
#include "platform/InetAddress.h"
#include "platform/Reactor.h"

#include <memory>

namespace parley::net {

class ConnectionRegistry;

/// An outgoing TCP connection on one loop (muduo TcpClient, without reconnects): the
/// client side of the platform layer, used by the terminal client, tests and benchmarks.
///
/// Threading: all methods may be called from any thread; setters only before connect().
/// Callbacks run on the loop. The loop must outlive the client.
class TcpClient {
public:
    TcpClient(Reactor& loop, const InetAddress& server);
    /// Calls stop().
    ~TcpClient();

    TcpClient(const TcpClient&) = delete;
    TcpClient& operator=(const TcpClient&) = delete;

    void setCallbacks(ConnectionCallbacks callbacks);
    void setConnectionOptions(const ConnectionOptions& options);
    void setConnectFailedCallback(ConnectFailedCallback callback);

    /// Starts one connection attempt: ConnectionCallback or ConnectFailedCallback follows.
    void connect();
    /// The same to another address, which later connect() calls use too (a client moving
    /// to the next server of its list).
    void connectTo(const InetAddress& server);
    /// Closes the connection gracefully (TcpConnection::close).
    void disconnect();
    /// Cancels a pending attempt and force-closes the connection; returns once its close
    /// callback has run. Idempotent.
    void stop();

    /// The current connection, or null.
    TcpConnectionPtr connection() const;

private:
    void connected(Socket socket, const InetAddress& peer);
    void startConnector();  // loop thread

    Reactor& m_loop;
    InetAddress m_server;
    std::shared_ptr<const ConnectionCallbacks> m_callbacks;
    ConnectionOptions m_options;
    ConnectFailedCallback m_onConnectFailed;
    std::unique_ptr<Connector> m_connector;  // loop thread only
    std::shared_ptr<ConnectionRegistry> m_registry;
};

}  // namespace parley::net
