#include "platform/Backend.h"
#include "platform/InetAddress.h"
#include "platform/IoEvents.h"

#include <boost/test/unit_test.hpp>

using namespace parley::net;

BOOST_AUTO_TEST_SUITE(addresses_and_backends)

BOOST_AUTO_TEST_CASE(parses_and_prints_ipv4_and_ipv6) {
    const auto v4 = InetAddress::parse("192.168.1.20", 5222);
    BOOST_REQUIRE(v4.has_value());
    BOOST_TEST(v4->toString() == "192.168.1.20:5222");
    BOOST_TEST(v4->port() == 5222);
    BOOST_TEST((v4->family() == InetAddress::Family::IPv4));

    const auto v6 = InetAddress::parse("::1", 80);
    BOOST_REQUIRE(v6.has_value());
    BOOST_TEST(v6->toString() == "[::1]:80");
    BOOST_TEST((v6->family() == InetAddress::Family::IPv6));

    BOOST_TEST(!InetAddress::parse("localhost", 1).has_value());
    BOOST_TEST(!InetAddress::parse("", 1).has_value());
    BOOST_TEST(!InetAddress::parse("300.1.1.1", 1).has_value());
    BOOST_TEST(InetAddress::loopback(7).toString() == "127.0.0.1:7");
    BOOST_TEST(InetAddress::any(7, InetAddress::Family::IPv6).toString() == "[::]:7");
    BOOST_TEST(InetAddress().toString() == "0.0.0.0:0");
}

BOOST_AUTO_TEST_CASE(backend_names_round_trip) {
    BOOST_TEST((parseBackend("epoll") == BackendKind::Epoll));
    BOOST_TEST((parseBackend("poco") == BackendKind::Poco));
    BOOST_TEST(!parseBackend("kqueue").has_value());
    BOOST_TEST(toString(BackendKind::Poco) == "poco");
    BOOST_TEST(isAvailable(defaultBackend()));
    BOOST_TEST(isAvailable(BackendKind::Poco));
}

BOOST_AUTO_TEST_CASE(event_masks_combine) {
    const IoEvents both = IoEvents::Readable | IoEvents::Writable;
    BOOST_TEST(hasAny(both, IoEvents::Writable));
    BOOST_TEST(!hasAny(both, IoEvents::Error));
    BOOST_TEST(!hasAny(IoEvents::None, both));
    IoEvents events = IoEvents::None;
    events |= IoEvents::Error;
    BOOST_TEST(hasAny(events, IoEvents::Error));
}

BOOST_AUTO_TEST_SUITE_END()
