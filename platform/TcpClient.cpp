#include "platform/TcpClient.h"

#include "platform/ConnectionRegistry.h"
#include "platform/TcpConnection.h"

#include <utility>

namespace parley::net {

TcpClient::TcpClient(Reactor& loop, const InetAddress& server)
    : m_loop(loop),
      m_server(server),
      m_callbacks(std::make_shared<const ConnectionCallbacks>()),
      m_registry(std::make_shared<ConnectionRegistry>()) {}

TcpClient::~TcpClient() { stop(); }

void TcpClient::setCallbacks(ConnectionCallbacks callbacks) {
    m_callbacks = std::make_shared<const ConnectionCallbacks>(std::move(callbacks));
}

void TcpClient::setConnectionOptions(const ConnectionOptions& options) { m_options = options; }

void TcpClient::setConnectFailedCallback(ConnectFailedCallback callback) { m_onConnectFailed = std::move(callback); }

// Always posted: connect() from ConnectFailedCallback (a retry) must not destroy the
// Connector that is running the callback.
void TcpClient::connect() {
    m_loop.post([this] { startConnector(); });
}

void TcpClient::connectTo(const InetAddress& server) {
    m_loop.post([this, server] {
        m_server = server;
        startConnector();
    });
}

void TcpClient::startConnector() {
    m_connector = std::make_unique<Connector>(
        m_loop, m_server, [this](Socket socket, const InetAddress& peer) { connected(std::move(socket), peer); },
        [this](const std::error_code& error) {
            if (m_onConnectFailed) {
                m_onConnectFailed(error);
            }
        });
    m_connector->start();
}

void TcpClient::connected(Socket socket, const InetAddress& peer) {
    auto connection =
        std::make_shared<TcpConnection>(m_loop, std::move(socket), peer, m_callbacks, m_options, m_registry);
    m_registry->add(connection);
    connection->start();
}

void TcpClient::disconnect() {
    if (const TcpConnectionPtr current = connection()) {
        current->postClose();
    }
}

void TcpClient::stop() {
    // If the loop has finished, this runs here: the connector was cancelled at loop exit.
    m_loop.runInLoopAndWait([this] {
        if (m_connector) {
            m_connector->cancel();
        }
    });
    m_registry->forceCloseAllAndWait();
}

TcpConnectionPtr TcpClient::connection() const {
    auto all = m_registry->snapshot();
    return all.empty() ? nullptr : all.front();
}

}  // namespace parley::net
