#pragma once
// Thin, portable socket calls (muduo SocketsOps.h). Runtime calls return errno-like codes
// (0 = success) so the reactor can decide; setup calls throw std::system_error with a
// message that names the address. All functions may be called from any thread.

#include "platform/Compat.h"
#include "platform/InetAddress.h"
#include "platform/Socket.h"

#include <cstddef>
#include <optional>
#include <string>
#include <system_error>

namespace parley::net::sockets {

/// A new non-blocking, close-on-exec TCP socket. Throws std::system_error.
Socket openStream(InetAddress::Family family);

/// SO_REUSEADDR (exclusive use on Windows), bind and listen. Throws std::system_error,
/// e.g. "cannot listen on 127.0.0.1:5000: Address already in use".
void bindAndListen(const Socket& socket, const InetAddress& address, int backlog);

/// Accepts one connection as a non-blocking, close-on-exec socket. Returns 0 or the error.
int accept(SocketHandle listener, Socket& accepted, InetAddress& peer);

/// Starts a non-blocking connect. Returns 0 (connected), compat::kInProgress or the error.
int connect(SocketHandle socket, const InetAddress& address);

/// recv()/send() once. A negative result means: see lastError(). write never raises SIGPIPE.
std::ptrdiff_t read(SocketHandle socket, void* data, std::size_t size);
std::ptrdiff_t write(SocketHandle socket, const void* data, std::size_t size);
/// One gathered send of up to kMaxIoSlices slices, in order (writev / WSASend).
std::ptrdiff_t writeGathered(SocketHandle socket, const IoSlice* slices, std::size_t count);

int lastError();
int shutdownWrite(SocketHandle socket);
/// SO_ERROR: the pending error of the socket (0 if none), cleared by reading it.
int pendingError(SocketHandle socket);
int setTcpNoDelay(SocketHandle socket, bool on);

std::optional<InetAddress> localAddress(SocketHandle socket);
std::optional<InetAddress> peerAddress(SocketHandle socket);
/// True when a connect to a local port connected the socket to itself (TCP simultaneous open).
bool isSelfConnect(SocketHandle socket);

std::error_code toErrorCode(int error);

}  // namespace parley::net::sockets
