#pragma once

#include "platform/Callbacks.h"

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <vector>

namespace parley::net {

/// The live connections of one TcpServer or TcpClient, across all their loops. It holds
/// the owning reference to each connection; a connection removes itself when it closes
/// (it keeps a weak_ptr to the registry, so a destroyed server is simply not told).
///
/// Any thread; internally locked.
class ConnectionRegistry {
public:
    void add(const TcpConnectionPtr& connection);
    void remove(const TcpConnection* connection);
    std::vector<TcpConnectionPtr> snapshot() const;
    std::size_t size() const;
    /// Force-closes every connection on its own loop (at once if that is the calling
    /// thread) and blocks until all have closed, i.e. run their close callbacks and
    /// removed themselves. Connections of a finished loop were closed when it finished.
    void forceCloseAllAndWait();

private:
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_emptied;
    // Each connection knows its index here (TcpConnection::m_registrySlot, read
    // and written under m_mutex): 16 bytes per connection, not a hash node.
    std::vector<TcpConnectionPtr> m_connections;
};

}  // namespace parley::net
