#pragma once

#include "platform/Compat.h"

namespace parley::net {

/// Owns one socket handle and closes it exactly once (RAII, move-only).
///
/// This is the only owner of a socket in platform/: pollers never own what they poll
/// (the Poco backend wraps the handle in a non-owning Poco::Net::Socket), so there is no
/// double close whichever backend is in use. Not thread-safe; the owner decides.
class Socket {
public:
    Socket() = default;
    explicit Socket(SocketHandle handle) : m_handle(handle) {}
    ~Socket() { close(); }

    Socket(Socket&& other) noexcept : m_handle(other.release()) {}
    Socket& operator=(Socket&& other) noexcept;
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;

    SocketHandle handle() const { return m_handle; }
    bool valid() const { return m_handle != kInvalidSocket; }

    /// Closes the handle now (idempotent). Errors from close are ignored: there is nothing
    /// a caller could do, and the handle is gone either way.
    void close();

    /// Gives up ownership without closing.
    SocketHandle release();

private:
    SocketHandle m_handle = kInvalidSocket;
};

}  // namespace parley::net
