#pragma once
// The one header that knows which socket API it is compiled against (mosquitto's
// lib/net_mosq.h COMPAT_* block). Everything OS-specific about sockets lives here as
// small inline wrappers, so SocketOps.cpp and the rest of platform/ stay free of socket
// #ifdefs. The other choices are small and local: Backend.cpp (which pollers exist, by
// PARLEY_HAVE_EPOLL from CMake), LoopPool.cpp (the CPU affinity mask on Linux) and
// Memory.cpp (malloc_trim on glibc).
//
// Error codes are "errno-like": errno on POSIX, WSAGetLastError() on Windows. Both map
// onto std::system_category(), which is how platform/ reports them (std::error_code).

#include <cerrno>
#include <cstddef>

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#include <io.h>
#include <stdio.h>
#else
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#endif

namespace parley::net {

/// One piece of a gathered write (compat::sendGathered): bytes the caller owns.
struct IoSlice {
    const void* data;
    std::size_t size;
};
/// Slices one gathered write takes at most (more are left for the next write).
inline constexpr std::size_t kMaxIoSlices = 16;

#ifdef _WIN32

using SocketHandle = SOCKET;
using SockLen = int;
inline constexpr SocketHandle kInvalidSocket = INVALID_SOCKET;

namespace compat {

inline constexpr int kWouldBlock = WSAEWOULDBLOCK;
inline constexpr int kInProgress = WSAEWOULDBLOCK;  // what a non-blocking connect() reports
inline constexpr int kInterrupted = WSAEINTR;
inline constexpr int kConnAborted = WSAECONNABORTED;
inline constexpr int kTimedOut = WSAETIMEDOUT;
inline constexpr int kNoBufferSpace = WSAENOBUFS;
inline constexpr int kShutdownWrite = SD_SEND;

inline int lastError() { return ::WSAGetLastError(); }
inline bool standardInputIsTerminal() { return ::_isatty(::_fileno(stdin)) != 0; }
inline int closeSocket(SocketHandle s) { return ::closesocket(s); }

inline int setNonBlocking(SocketHandle s) {
    u_long on = 1;
    return ::ioctlsocket(s, FIONBIO, &on) == 0 ? 0 : lastError();
}

inline SocketHandle openStream(int family) {
    const SocketHandle s = ::WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_NO_HANDLE_INHERIT);
    if (s != INVALID_SOCKET && setNonBlocking(s) != 0) {
        ::closesocket(s);
        return INVALID_SOCKET;
    }
    return s;
}

// Accepted sockets inherit the listener's non-blocking mode on Windows.
inline SocketHandle acceptStream(SocketHandle listener, sockaddr* addr, SockLen* len) {
    return ::accept(listener, addr, len);
}

inline std::ptrdiff_t receive(SocketHandle s, void* data, std::size_t n) {
    const int len = n > 0x7fffffff ? 0x7fffffff : static_cast<int>(n);
    return ::recv(s, static_cast<char*>(data), len, 0);
}

inline std::ptrdiff_t send(SocketHandle s, const void* data, std::size_t n) {
    const int len = n > 0x7fffffff ? 0x7fffffff : static_cast<int>(n);
    return ::send(s, static_cast<const char*>(data), len, 0);
}

// One gathered write (WSASend with one WSABUF per slice).
inline std::ptrdiff_t sendGathered(SocketHandle s, const IoSlice* slices, std::size_t count) {
    WSABUF buffers[kMaxIoSlices];
    const std::size_t used = count < kMaxIoSlices ? count : kMaxIoSlices;
    for (std::size_t i = 0; i < used; ++i) {
        buffers[i].buf = const_cast<char*>(static_cast<const char*>(slices[i].data));
        buffers[i].len = static_cast<ULONG>(slices[i].size > 0x7fffffff ? 0x7fffffff : slices[i].size);
    }
    DWORD sent = 0;
    if (::WSASend(s, buffers, static_cast<DWORD>(used), &sent, 0, nullptr, nullptr) != 0) {
        return -1;
    }
    return static_cast<std::ptrdiff_t>(sent);
}

// SO_REUSEADDR on Windows lets a second process steal a port that is in use, which is
// the opposite of what a server wants. A restarted listener binds at once anyway
// (Windows keeps no TIME_WAIT block on the listening port), so ask for exclusivity.
inline int setReuseAddress(SocketHandle s) {
    BOOL on = TRUE;
    return ::setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, reinterpret_cast<const char*>(&on), sizeof on) == 0
               ? 0
               : lastError();
}

inline int setIntOption(SocketHandle s, int level, int name, int value) {
    return ::setsockopt(s, level, name, reinterpret_cast<const char*>(&value), sizeof value) == 0 ? 0 : lastError();
}

inline int getIntOption(SocketHandle s, int level, int name, int& value) {
    SockLen len = sizeof value;
    return ::getsockopt(s, level, name, reinterpret_cast<char*>(&value), &len) == 0 ? 0 : lastError();
}

}  // namespace compat

#else  // POSIX

using SocketHandle = int;
using SockLen = socklen_t;
inline constexpr SocketHandle kInvalidSocket = -1;

namespace compat {

inline constexpr int kWouldBlock = EWOULDBLOCK;
inline constexpr int kInProgress = EINPROGRESS;
inline constexpr int kInterrupted = EINTR;
inline constexpr int kConnAborted = ECONNABORTED;
inline constexpr int kTimedOut = ETIMEDOUT;
inline constexpr int kNoBufferSpace = ENOBUFS;
inline constexpr int kShutdownWrite = SHUT_WR;

inline int lastError() { return errno; }
/// A person at a terminal, not a pipe or file: worth asking a question.
inline bool standardInputIsTerminal() { return ::isatty(STDIN_FILENO) != 0; }
inline int closeSocket(SocketHandle s) { return ::close(s); }

inline int setNonBlocking(SocketHandle s) {
    const int flags = ::fcntl(s, F_GETFL, 0);
    if (flags < 0 || ::fcntl(s, F_SETFL, flags | O_NONBLOCK) < 0) {
        return errno;
    }
    ::fcntl(s, F_SETFD, FD_CLOEXEC);
    return 0;
}

// Where SOCK_NONBLOCK is missing (macOS), the flags take separate calls.
inline SocketHandle nonBlockingOrClosed(SocketHandle s) {
    if (s >= 0 && setNonBlocking(s) != 0) {
        ::close(s);
        return kInvalidSocket;
    }
    return s;
}

inline SocketHandle openStream(int family) {
#ifdef SOCK_NONBLOCK
    return ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
#else
    return nonBlockingOrClosed(::socket(family, SOCK_STREAM, IPPROTO_TCP));
#endif
}

inline SocketHandle acceptStream(SocketHandle listener, sockaddr* addr, SockLen* len) {
#ifdef SOCK_NONBLOCK
    return ::accept4(listener, addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
#else
    return nonBlockingOrClosed(::accept(listener, addr, len));
#endif
}

inline std::ptrdiff_t receive(SocketHandle s, void* data, std::size_t n) { return ::recv(s, data, n, 0); }

// A write to a connection the peer has reset must return EPIPE, not raise SIGPIPE.
inline std::ptrdiff_t send(SocketHandle s, const void* data, std::size_t n) {
#ifdef MSG_NOSIGNAL
    return ::send(s, data, n, MSG_NOSIGNAL);
#else
    return ::send(s, data, n, 0);
#endif
}

// One gathered write (sendmsg with an iovec per slice); like send(), never SIGPIPE.
inline std::ptrdiff_t sendGathered(SocketHandle s, const IoSlice* slices, std::size_t count) {
    iovec vectors[kMaxIoSlices];
    const std::size_t used = count < kMaxIoSlices ? count : kMaxIoSlices;
    for (std::size_t i = 0; i < used; ++i) {
        vectors[i].iov_base = const_cast<void*>(slices[i].data);
        vectors[i].iov_len = slices[i].size;
    }
    msghdr message{};
    message.msg_iov = vectors;
    message.msg_iovlen = used;
#ifdef MSG_NOSIGNAL
    return ::sendmsg(s, &message, MSG_NOSIGNAL);
#else
    return ::sendmsg(s, &message, 0);
#endif
}

inline int setIntOption(SocketHandle s, int level, int name, int value) {
    return ::setsockopt(s, level, name, &value, sizeof value) == 0 ? 0 : errno;
}

inline int getIntOption(SocketHandle s, int level, int name, int& value) {
    SockLen len = sizeof value;
    return ::getsockopt(s, level, name, &value, &len) == 0 ? 0 : errno;
}

inline int setReuseAddress(SocketHandle s) { return setIntOption(s, SOL_SOCKET, SO_REUSEADDR, 1); }

}  // namespace compat

#endif

namespace compat {

/// True for the errors after which the same call is simply retried later.
inline bool isTransient(int error) { return error == kWouldBlock || error == EAGAIN || error == kInterrupted; }

}  // namespace compat
}  // namespace parley::net
