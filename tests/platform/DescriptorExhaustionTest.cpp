// Conformance: accept keeps working, without spinning, when the process runs out of
// descriptors. POSIX only (CMake builds it where there are descriptor limits): elsewhere the
// case does not exist, rather than passing without running.
#include "tests/platform/ResourceLimits.h"
#include "tests/platform/TestSupport.h"

#include "platform/TcpConnection.h"

#include <boost/test/unit_test.hpp>

#include <Poco/Net/SocketAddress.h>

#include <cstdint>
#include <thread>

namespace parley::net::test {

BOOST_AUTO_TEST_SUITE(server_lifecycle)

BOOST_AUTO_TEST_CASE(accept_survives_descriptor_exhaustion_without_spinning) {
    LogCapture log;
    ServerHarness harness(echoCallbacks(), {}, 1, log.logger());
    // The client's descriptor exists before the table is full; connect() needs none.
    Poco::Net::StreamSocket client(Poco::Net::SocketAddress::IPv4);

    DescriptorExhaustion exhaustion;
    BOOST_REQUIRE(exhaustion.exhausted());
    client.connect(Poco::Net::SocketAddress("127.0.0.1", harness.port()));  // completes in the backlog
    BOOST_REQUIRE(waitFor([&] { return log.contains("pausing accept"); }, 5s));

    Reactor& acceptLoop = *harness.acceptThread.reactor();
    const std::uint64_t before = acceptLoop.iterations();
    std::this_thread::sleep_for(300ms);
    const std::uint64_t during = acceptLoop.iterations() - before;
    exhaustion.release();
    // Paused for 100 ms at a time: a handful of iterations, not a spin.
    BOOST_TEST(during <= 40U);

    client.setReceiveTimeout(Poco::Timespan(20, 0));
    sendAll(client, "still here");
    BOOST_TEST(receiveExactly(client, 10) == "still here");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace parley::net::test
