#include "platform/InetAddress.h"

#include <cstring>

namespace parley::net {

InetAddress::InetAddress() {
    std::memset(&m_v6, 0, sizeof m_v6);
    m_v4.sin_family = AF_INET;
}

InetAddress InetAddress::loopback(std::uint16_t port, Family family) {
    return *parse(family == Family::IPv4 ? "127.0.0.1" : "::1", port);
}

InetAddress InetAddress::any(std::uint16_t port, Family family) {
    return *parse(family == Family::IPv4 ? "0.0.0.0" : "::", port);
}

std::optional<InetAddress> InetAddress::parse(std::string_view ip, std::uint16_t port) {
    char text[INET6_ADDRSTRLEN] = {};
    if (ip.empty() || ip.size() >= sizeof text) {
        return std::nullopt;
    }
    std::memcpy(text, ip.data(), ip.size());
    InetAddress result;
    if (::inet_pton(AF_INET, text, &result.m_v4.sin_addr) == 1) {
        result.m_v4.sin_port = htons(port);
        return result;
    }
    std::memset(&result.m_v6, 0, sizeof result.m_v6);
    if (::inet_pton(AF_INET6, text, &result.m_v6.sin6_addr) == 1) {
        result.m_v6.sin6_family = AF_INET6;
        result.m_v6.sin6_port = htons(port);
        return result;
    }
    return std::nullopt;
}

std::optional<InetAddress> InetAddress::fromNative(const sockaddr* address, SockLen length) {
    InetAddress result;
    if (address->sa_family == AF_INET && static_cast<std::size_t>(length) >= sizeof(sockaddr_in)) {
        std::memcpy(&result.m_v4, address, sizeof(sockaddr_in));
        return result;
    }
    if (address->sa_family == AF_INET6 && static_cast<std::size_t>(length) >= sizeof(sockaddr_in6)) {
        std::memcpy(&result.m_v6, address, sizeof(sockaddr_in6));
        return result;
    }
    return std::nullopt;
}

InetAddress::Family InetAddress::family() const { return m_v4.sin_family == AF_INET6 ? Family::IPv6 : Family::IPv4; }

std::uint16_t InetAddress::port() const { return ntohs(family() == Family::IPv4 ? m_v4.sin_port : m_v6.sin6_port); }

std::string InetAddress::ip() const {
    char text[INET6_ADDRSTRLEN] = {};
    if (family() == Family::IPv4) {
        ::inet_ntop(AF_INET, &m_v4.sin_addr, text, sizeof text);
    } else {
        ::inet_ntop(AF_INET6, &m_v6.sin6_addr, text, sizeof text);
    }
    return text;
}

std::string InetAddress::toString() const {
    const std::string portText = std::to_string(port());
    return family() == Family::IPv4 ? ip() + ':' + portText : '[' + ip() + "]:" + portText;
}

const sockaddr* InetAddress::native() const { return reinterpret_cast<const sockaddr*>(&m_v6); }

SockLen InetAddress::nativeLength() const {
    return static_cast<SockLen>(family() == Family::IPv4 ? sizeof(sockaddr_in) : sizeof(sockaddr_in6));
}

}  // namespace parley::net
