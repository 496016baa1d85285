#include "platform/SocketOps.h"

namespace parley::net::sockets {

namespace {

int familyOf(InetAddress::Family family) { return family == InetAddress::Family::IPv4 ? AF_INET : AF_INET6; }

[[noreturn]] void throwError(int error, const std::string& what) { throw std::system_error(toErrorCode(error), what); }

template <typename NameFunction>
std::optional<InetAddress> nameOf(SocketHandle socket, NameFunction function) {
    sockaddr_storage storage{};
    auto length = static_cast<SockLen>(sizeof storage);
    if (function(socket, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
        return std::nullopt;
    }
    return InetAddress::fromNative(reinterpret_cast<const sockaddr*>(&storage), length);
}

}  // namespace

std::error_code toErrorCode(int error) { return {error, std::system_category()}; }

int lastError() { return compat::lastError(); }

Socket openStream(InetAddress::Family family) {
    Socket socket(compat::openStream(familyOf(family)));
    if (!socket.valid()) {
        throwError(lastError(), "cannot create a TCP socket");
    }
    return socket;
}

void bindAndListen(const Socket& socket, const InetAddress& address, int backlog) {
    const std::string where = "cannot listen on " + address.toString();
    if (const int error = compat::setReuseAddress(socket.handle()); error != 0) {
        throwError(error, where + " (SO_REUSEADDR)");
    }
    if (::bind(socket.handle(), address.native(), address.nativeLength()) != 0) {
        throwError(lastError(), where);
    }
    if (::listen(socket.handle(), backlog) != 0) {
        throwError(lastError(), where);
    }
}

int accept(SocketHandle listener, Socket& accepted, InetAddress& peer) {
    sockaddr_storage storage{};
    auto length = static_cast<SockLen>(sizeof storage);
    const SocketHandle handle = compat::acceptStream(listener, reinterpret_cast<sockaddr*>(&storage), &length);
    if (handle == kInvalidSocket) {
        return lastError();
    }
    accepted = Socket(handle);
    if (auto address = InetAddress::fromNative(reinterpret_cast<const sockaddr*>(&storage), length)) {
        peer = *address;
    }
    return 0;
}

int connect(SocketHandle socket, const InetAddress& address) {
    if (::connect(socket, address.native(), address.nativeLength()) == 0) {
        return 0;
    }
    const int error = lastError();
    // A connect interrupted by a signal keeps going in the background, like EINPROGRESS.
    return error == compat::kInterrupted ? compat::kInProgress : error;
}

std::ptrdiff_t read(SocketHandle socket, void* data, std::size_t size) { return compat::receive(socket, data, size); }

std::ptrdiff_t write(SocketHandle socket, const void* data, std::size_t size) {
    return compat::send(socket, data, size);
}

std::ptrdiff_t writeGathered(SocketHandle socket, const IoSlice* slices, std::size_t count) {
    return compat::sendGathered(socket, slices, count);
}

int shutdownWrite(SocketHandle socket) { return ::shutdown(socket, compat::kShutdownWrite) == 0 ? 0 : lastError(); }

int pendingError(SocketHandle socket) {
    int value = 0;
    const int error = compat::getIntOption(socket, SOL_SOCKET, SO_ERROR, value);
    return error != 0 ? error : value;
}

int setTcpNoDelay(SocketHandle socket, bool on) {
    return compat::setIntOption(socket, IPPROTO_TCP, TCP_NODELAY, on ? 1 : 0);
}

std::optional<InetAddress> localAddress(SocketHandle socket) {
    return nameOf(socket, [](SocketHandle s, sockaddr* a, SockLen* l) { return ::getsockname(s, a, l); });
}

std::optional<InetAddress> peerAddress(SocketHandle socket) {
    return nameOf(socket, [](SocketHandle s, sockaddr* a, SockLen* l) { return ::getpeername(s, a, l); });
}

bool isSelfConnect(SocketHandle socket) {
    const auto local = localAddress(socket);
    const auto peer = peerAddress(socket);
    return local && peer && local->toString() == peer->toString();
}

}  // namespace parley::net::sockets
