#include "platform/ConnectionRegistry.h"

#include "platform/TcpConnection.h"

namespace parley::net {

void ConnectionRegistry::add(const TcpConnectionPtr& connection) {
    std::lock_guard<std::mutex> lock(m_mutex);
    connection->m_registrySlot = static_cast<std::uint32_t>(m_connections.size());
    m_connections.push_back(connection);
}

void ConnectionRegistry::remove(const TcpConnection* connection) {
    TcpConnectionPtr last;  // released outside the lock
    std::lock_guard<std::mutex> lock(m_mutex);
    const std::size_t slot = connection->m_registrySlot;
    if (slot >= m_connections.size() || m_connections[slot].get() != connection) {
        return;  // not (or no longer) here
    }
    last = std::move(m_connections[slot]);
    if (slot + 1 != m_connections.size()) {
        m_connections[slot] = std::move(m_connections.back());
        m_connections[slot]->m_registrySlot = static_cast<std::uint32_t>(slot);
    }
    m_connections.pop_back();
    if (m_connections.capacity() > 1024 && m_connections.size() < m_connections.capacity() / 4) {
        m_connections.shrink_to_fit();  // after a storm of connections has gone
    }
    if (m_connections.empty()) {
        m_emptied.notify_all();
    }
}

std::vector<TcpConnectionPtr> ConnectionRegistry::snapshot() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_connections;
}

std::size_t ConnectionRegistry::size() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_connections.size();
}

void ConnectionRegistry::forceCloseAllAndWait() {
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

}  // namespace parley::net
