#pragma once

#include "platform/Compat.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::net {

/// An IPv4 or IPv6 address plus port (a value type, 28 bytes, no allocation).
/// Only numeric addresses: name resolution is not the reactor's business.
class InetAddress {
public:
    enum class Family : std::uint8_t { IPv4, IPv6 };

    /// 0.0.0.0:0
    InetAddress();

    static InetAddress loopback(std::uint16_t port, Family family = Family::IPv4);
    static InetAddress any(std::uint16_t port, Family family = Family::IPv4);

    /// Parses a numeric address ("127.0.0.1", "::1"); nullopt if it is not one.
    static std::optional<InetAddress> parse(std::string_view ip, std::uint16_t port);

    /// From a native address as returned by accept/getsockname; nullopt for other families.
    static std::optional<InetAddress> fromNative(const sockaddr* address, SockLen length);

    Family family() const;
    std::uint16_t port() const;
    /// "127.0.0.1" or "::1"
    std::string ip() const;
    /// "127.0.0.1:8080" or "[::1]:8080"
    std::string toString() const;

    const sockaddr* native() const;
    SockLen nativeLength() const;

private:
    union {
        sockaddr_in m_v4;
        sockaddr_in6 m_v6;
    };
};

}  // namespace parley::net
