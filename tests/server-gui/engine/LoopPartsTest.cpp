// SessionLoop's parts that need no socket: the process-wide memory trim (one per period
// however many loops ask) and the scratch buffers (reused, a large one let go).
#include "server-gui/engine/MemoryRelease.h"
#include "server-gui/engine/ScratchBuffers.h"
#include "tests/server-gui/engine/ManualClock.h"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace parley;
using namespace std::chrono_literals;
using server::FreeMemory;
using server::ScratchBuffers;

BOOST_AUTO_TEST_SUITE(loop_parts)

BOOST_AUTO_TEST_CASE(free_memory_trims_once_per_period_for_every_asker) {
    test::ManualClock clock;
    int trims = 0;
    FreeMemory memory(clock, [&trims] { ++trims; });
    BOOST_TEST(memory.release(250));   // the first request trims
    BOOST_TEST(!memory.release(250));  // a second loop in the same period is served by it
    clock.advance(100ms);
    BOOST_TEST(!memory.release(250));
    BOOST_TEST(memory.release(50));  // a request content with a fresher trim gets one
    clock.advance(250ms);
    BOOST_TEST(memory.release(250));
    BOOST_TEST(trims == 3);
}

BOOST_AUTO_TEST_CASE(free_memory_trims_once_when_many_threads_ask_at_once) {
    test::ManualClock clock;
    std::atomic<int> trims{0};
    FreeMemory memory(clock, [&trims] { ++trims; });
    std::vector<std::thread> loops;
    for (int i = 0; i < 8; ++i)
        loops.emplace_back([&memory] {
            for (int j = 0; j < 100; ++j) memory.release(15'000);
        });
    for (auto& loop : loops) loop.join();
    BOOST_TEST(trims.load() == 1);
}

BOOST_AUTO_TEST_CASE(scratch_buffers_are_reused_and_a_large_one_let_go) {
    ScratchBuffers scratch;
    std::vector<std::uint8_t>& small = scratch.encodeBuffer();
    small.resize(1000);
    const auto* before = small.data();
    std::vector<std::uint8_t>& again = scratch.encodeBuffer();
    BOOST_TEST(again.empty());
    BOOST_TEST(again.capacity() >= 1000u);
    again.resize(10);
    BOOST_TEST(again.data() == before);  // the same memory: no allocation

    again.resize(ScratchBuffers::kKeptEncodeCapacity + 1);
    BOOST_TEST(scratch.encodeBuffer().capacity() == 0u);  // a CONTACTS page's worth is not kept

    proto::Contacts& page = scratch.contactsPage();
    page.contacts.resize(3);
    page.last = true;
    proto::Contacts& next = scratch.contactsPage();
    BOOST_TEST(next.contacts.empty());
    BOOST_TEST(!next.last);

    const std::uint8_t frame[] = {1, 2, 3};
    BOOST_TEST(scratch.copyOf(frame, 3) == std::string("\x01\x02\x03", 3));
}

BOOST_AUTO_TEST_SUITE_END()
