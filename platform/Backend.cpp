// The one file that knows which pollers exist (muduo DefaultPoller.cc, mosquitto mux.c).
// CMake compiles EpollPoller.cpp and defines PARLEY_HAVE_EPOLL on Linux only.
#include "platform/Backend.h"

#include "platform/PocoPoller.h"
#ifdef PARLEY_HAVE_EPOLL
#include "platform/EpollPoller.h"
#endif

#include <system_error>

namespace parley::net {

BackendKind defaultBackend() {
#ifdef PARLEY_HAVE_EPOLL
    return BackendKind::Epoll;
#else
    return BackendKind::Poco;
#endif
}

bool isAvailable(BackendKind kind) {
#ifdef PARLEY_HAVE_EPOLL
    static_cast<void>(kind);
    return true;
#else
    return kind == BackendKind::Poco;
#endif
}

std::string_view toString(BackendKind kind) { return kind == BackendKind::Epoll ? "epoll" : "poco"; }

std::optional<BackendKind> parseBackend(std::string_view name) {
    if (name == "epoll") {
        return BackendKind::Epoll;
    }
    if (name == "poco") {
        return BackendKind::Poco;
    }
    return std::nullopt;
}

std::unique_ptr<Poller> makePoller(BackendKind kind) {
    if (!isAvailable(kind)) {
        throw std::system_error(std::make_error_code(std::errc::function_not_supported),
                                "the " + std::string(toString(kind)) + " backend is not available here");
    }
#ifdef PARLEY_HAVE_EPOLL
    if (kind == BackendKind::Epoll) {
        return std::make_unique<EpollPoller>();
    }
#endif
    return std::make_unique<PocoPoller>();
}

}  // namespace parley::net
