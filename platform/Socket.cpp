#include "platform/Socket.h"

#include <utility>

namespace parley::net {

Socket& Socket::operator=(Socket&& other) noexcept {
    if (this != &other) {
        close();
        m_handle = other.release();
    }
    return *this;
}

void Socket::close() {
    if (m_handle != kInvalidSocket) {
        compat::closeSocket(m_handle);
        m_handle = kInvalidSocket;
    }
}

SocketHandle Socket::release() { return std::exchange(m_handle, kInvalidSocket); }

}  // namespace parley::net
