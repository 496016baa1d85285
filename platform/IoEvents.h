#pragma once

#include <cstdint>

namespace parley::net {

/// Interest in, and readiness of, a socket: the reactor's own masks (redis AE_READABLE /
/// AE_WRITABLE). Native flags (EPOLLIN, Poco's PollSet::Mode) never leave the backends.
///
/// Error is only ever reported, never requested: it means "error or hang-up". A handler
/// that sees Error with Readable should read (the read finds the data, EOF or the error);
/// Error alone means the socket is finished.
enum class IoEvents : std::uint8_t {
    None = 0,
    Readable = 1U << 0U,
    Writable = 1U << 1U,
    Error = 1U << 2U,
};

constexpr IoEvents operator|(IoEvents a, IoEvents b) {
    return static_cast<IoEvents>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}

constexpr IoEvents operator&(IoEvents a, IoEvents b) {
    return static_cast<IoEvents>(static_cast<unsigned>(a) & static_cast<unsigned>(b));
}

constexpr IoEvents& operator|=(IoEvents& a, IoEvents b) { return a = a | b; }

/// True if `set` contains any bit of `flags`.
constexpr bool hasAny(IoEvents set, IoEvents flags) { return (set & flags) != IoEvents::None; }

}  // namespace parley::net
