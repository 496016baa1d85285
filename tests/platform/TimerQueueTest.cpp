#include "platform/TimerQueue.h"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace std::chrono_literals;
using parley::net::Clock;
using parley::net::TimerId;
using parley::net::TimerQueue;

BOOST_AUTO_TEST_SUITE(timer_queue)

BOOST_AUTO_TEST_CASE(runs_due_timers_by_deadline_then_by_id) {
    TimerQueue timers;
    std::vector<int> fired;
    const Clock::time_point t0 = Clock::now();
    timers.add(1, t0 + 30ms, {}, [&] { fired.push_back(30); });
    timers.add(2, t0 + 10ms, {}, [&] { fired.push_back(10); });
    timers.add(4, t0 + 20ms, {}, [&] { fired.push_back(21); });
    timers.add(3, t0 + 20ms, {}, [&] { fired.push_back(20); });
    BOOST_TEST((timers.nextExpiry() == t0 + 10ms));
    BOOST_TEST(timers.runExpired(t0 + 25ms) == 3U);
    BOOST_TEST(fired == (std::vector<int>{10, 20, 21}), boost::test_tools::per_element());
    BOOST_TEST(timers.size() == 1U);
    timers.runExpired(t0 + 1s);
    BOOST_TEST(fired.back() == 30);
    BOOST_TEST(!timers.nextExpiry());
}

BOOST_AUTO_TEST_CASE(cancel_before_and_during_a_round) {
    TimerQueue timers;
    std::vector<int> fired;
    const Clock::time_point t0 = Clock::now();
    timers.add(1, t0, {}, [&] {
        fired.push_back(1);
        timers.cancel(2);  // due in the same round, must not run
    });
    timers.add(2, t0, {}, [&] { fired.push_back(2); });
    timers.add(3, t0, {}, [&] { fired.push_back(3); });
    BOOST_TEST(timers.cancel(3));
    BOOST_TEST(!timers.cancel(3));
    BOOST_TEST(!timers.cancel(42));
    timers.runExpired(t0);
    BOOST_TEST(fired == (std::vector<int>{1}), boost::test_tools::per_element());
    BOOST_TEST(timers.size() == 0U);
}

BOOST_AUTO_TEST_CASE(repeating_timer_reschedules_without_catching_up) {
    TimerQueue timers;
    int count = 0;
    const Clock::time_point t0 = Clock::now();
    timers.add(7, t0 + 10ms, 10ms, [&] { ++count; });
    BOOST_TEST(timers.runExpired(t0 + 10ms) == 1U);
    BOOST_TEST((timers.nextExpiry() == t0 + 20ms));
    // Far behind: one run, then the next deadline is relative to now.
    BOOST_TEST(timers.runExpired(t0 + 1s) == 1U);
    BOOST_TEST((timers.nextExpiry() == t0 + 1s + 10ms));
    BOOST_TEST(count == 2);
}

BOOST_AUTO_TEST_CASE(repeating_timer_cancels_itself) {
    TimerQueue timers;
    int count = 0;
    const Clock::time_point t0 = Clock::now();
    timers.add(9, t0, 1ms, [&] {
        if (++count == 3) {
            timers.cancel(9);
        }
    });
    for (int round = 0; round < 10; ++round) {
        timers.runExpired(t0 + std::chrono::milliseconds(round));
    }
    BOOST_TEST(count == 3);
    BOOST_TEST(timers.size() == 0U);
}

BOOST_AUTO_TEST_SUITE_END()
