#include "platform/ConnectionRegistry.h"

#include "platform/TcpConnection.h"

namespace parley::net {

void ConnectionRegistry::add(const TcpConnectionPtr& connection)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_connections.emplace(connection.get(), connection);
}

void ConnectionRegistry::remove(const TcpConnection* connection)
{
    TcpConnectionPtr last;  // released outside the lock
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_connections.find(connection);
    if (it == m_connections.end()) {
        return;
    }
    last = std::move(it->second);
    m_connections.erase(it);
    if (m_connections.empty()) {
        m_emptied.notify_all();
    }
}

std::vector<TcpConnectionPtr> ConnectionRegistry::snapshot() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<TcpConnectionPtr> result;
    result.reserve(m_connections.size());
    for (const auto& entry : m_connections) {
        result.push_back(entry.second);
    }
    return result;
}

std::size_t ConnectionRegistry::size() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_connections.size();
}

void ConnectionRegistry::forceCloseAllAndWait()
{
    for (const TcpConnectionPtr& connection : snapshot()) {
        if (connection->loop().isInLoopThread()) {
            connection->forceClose();
        } else {
            connection->postForceClose();
        }
    }
    std::unique_lock<std::mutex> lock(m_mutex);
    m_emptied.wait(lock, [this] { return m_connections.empty(); });
}

} // namespace parley::net
