#pragma once

#include "platform/Poller.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace parley::net {

/// Which poller a Reactor uses, chosen at run time (the server takes --backend epoll|poco).
/// Epoll: Linux only, native epoll + eventfd. Poco: Poco::Net::PollSet, the Windows backend,
/// also built on Linux so both can be tested and benchmarked side by side.
enum class BackendKind : std::uint8_t { Epoll, Poco };

/// Epoll where it exists, Poco elsewhere.
BackendKind defaultBackend();

bool isAvailable(BackendKind kind);

/// "epoll" / "poco"
std::string_view toString(BackendKind kind);

/// Inverse of toString; nullopt for unknown names.
std::optional<BackendKind> parseBackend(std::string_view name);

/// Creates the poller. Throws std::system_error if the backend is not available on this
/// platform or its kernel objects cannot be created.
std::unique_ptr<Poller> makePoller(BackendKind kind);

}  // namespace parley::net
