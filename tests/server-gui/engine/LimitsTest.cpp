// Rules and limiters of the engine, without sockets: validation, the token
// bucket, the shared input budget, login throttling, the log limiter and the
// rolling-window limiter.
#include "server-gui/engine/InputBudget.h"
#include "server-gui/engine/LogLimiter.h"
#include "server-gui/engine/LoginThrottle.h"
#include "server-gui/engine/LoginTimes.h"
#include "server-gui/engine/TokenBucket.h"
#include "server-gui/engine/Validation.h"
#include "server-gui/engine/WindowLimiter.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

#include <string>

using namespace parley::server;
using parley::proto::AuthStatus;

BOOST_AUTO_TEST_SUITE(validation)

BOOST_AUTO_TEST_CASE(usernames) {
    for (const char* good : {"bob", "alice_1", "a.b-c", "9lives", "abcdefghijklmnopqrstuvwxyz012345"})
        BOOST_TEST(isValidUsername(good), good);
    for (const char* bad :
         {"", "ab", "_bob", ".bob", "-bob", "bo b", "bob!", "b\xc3\xa9", "../x", "abcdefghijklmnopqrstuvwxyz0123456"})
        BOOST_TEST(!isValidUsername(bad), bad);
}

BOOST_AUTO_TEST_CASE(passwords_display_names_and_text) {
    BOOST_TEST(!isValidPassword("1234567"));
    BOOST_TEST(isValidPassword("12345678"));
    BOOST_TEST(isValidPassword(std::string(1024, 'x')));
    BOOST_TEST(!isValidPassword(std::string(1025, 'x')));

    BOOST_TEST(isValidDisplayName(""));
    BOOST_TEST(isValidDisplayName("Zoë Ångström"));
    BOOST_TEST(!isValidDisplayName("evil\nname"));
    BOOST_TEST(!isValidDisplayName(std::string("a\x7f", 2)));
    BOOST_TEST(!isValidDisplayName(std::string(65, 'x')));

    BOOST_TEST(!isValidText(""));
    BOOST_TEST(isValidText(std::string(16384, 'x')));
    BOOST_TEST(!isValidText(std::string(16385, 'x')));
}

BOOST_AUTO_TEST_CASE(registration_reports_the_first_broken_rule) {
    BOOST_TEST((checkRegistration({"alice", "correct horse", "Alice"}) == AuthStatus::Ok));
    BOOST_TEST((checkRegistration({"a", "correct horse", ""}) == AuthStatus::InvalidUsername));
    BOOST_TEST((checkRegistration({"alice", "short", ""}) == AuthStatus::InvalidPassword));
    BOOST_TEST((checkRegistration({"alice", "correct horse", "tab\there"}) == AuthStatus::InvalidDisplayName));
}

// The engine's key is the store's (db/UsernameKey.h, tested there beyond ASCII).
BOOST_AUTO_TEST_CASE(username_key_is_the_stores_rule) {
    BOOST_TEST(usernameKey("Alice.B-2") == "alice.b-2");
    BOOST_TEST(usernameKey("ALICE") == usernameKey("alice"));
    BOOST_TEST(usernameKey("\xC5\xBF"
                           "am") == "sam");  // U+017F long s: the store finds "sam"
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(token_bucket_allows_burst_then_rate) {
    const TokenRate rate{10.0, 5.0};
    TokenBucket bucket(rate);
    std::uint64_t now = 1'000'000;
    int taken = 0;
    while (bucket.tryTake(now, rate)) ++taken;
    BOOST_TEST(taken == 5);
    now += 100;  // 0.1 s at 10/s = one token
    BOOST_TEST(bucket.tryTake(now, rate));
    BOOST_TEST(!bucket.tryTake(now, rate));
    now += 10'000;  // long idle refills only up to the burst
    taken = 0;
    while (bucket.tryTake(now, rate)) ++taken;
    BOOST_TEST(taken == 5);
    BOOST_TEST(!bucket.tryTake(now - 5000, rate));  // clock going back adds nothing
}

BOOST_AUTO_TEST_CASE(token_bucket_takes_a_cost_of_many_tokens) {
    const TokenRate rate{100.0, 50.0};
    TokenBucket bucket(rate);
    const std::uint64_t now = 1'000'000;
    BOOST_TEST(bucket.tryTake(now, rate, 30.0));
    BOOST_TEST(!bucket.tryTake(now, rate, 30.0));  // 20 left
    BOOST_TEST(bucket.tokens() == 20.0);
    BOOST_TEST(bucket.tryTake(now + 100, rate, 30.0));  // +10 in 0.1 s
}

BOOST_AUTO_TEST_CASE(input_budget_grows_shares_only_within_the_total) {
    InputBudget budget(100);
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    BOOST_TEST(budget.resize(a, 60));
    BOOST_TEST(!budget.resize(b, 50));  // 110 > 100
    BOOST_TEST(b == 0u);
    BOOST_TEST(budget.resize(b, 40));
    BOOST_TEST(budget.total() == 100u);
    BOOST_TEST(budget.resize(a, 10));  // shrinking always works
    BOOST_TEST(budget.resize(b, 90));
    BOOST_TEST(budget.resize(a, 0));
    BOOST_TEST(budget.resize(b, 0));
    BOOST_TEST(budget.total() == 0u);
}

BOOST_AUTO_TEST_CASE(failure_backoff_doubles_and_clears) {
    FailureBackoff throttle(3, 2, 10);
    const std::string key = "user:alice";
    std::uint64_t now = 50'000;
    throttle.recordFailure(key, now);
    throttle.recordFailure(key, now);
    BOOST_TEST(throttle.retryAfter(key, now) == 0u);
    throttle.recordFailure(key, now);  // third failure: wait 2 s
    BOOST_TEST(throttle.retryAfter(key, now) == 2u);
    BOOST_TEST(throttle.retryAfter(key, now + 1500) == 1u);
    BOOST_TEST(throttle.retryAfter(key, now + 2000) == 0u);
    throttle.recordFailure(key, now + 2000);  // 4 s
    BOOST_TEST(throttle.retryAfter(key, now + 2000) == 4u);
    throttle.recordFailure(key, now + 6000);   // 8 s
    throttle.recordFailure(key, now + 14000);  // 16 s capped at 10
    BOOST_TEST(throttle.retryAfter(key, now + 14000) == 10u);
    BOOST_TEST(throttle.retryAfter("user:bob", now) == 0u);
    throttle.recordSuccess(key);
    BOOST_TEST(throttle.retryAfter(key, now + 14000) == 0u);
}

BOOST_AUTO_TEST_CASE(failure_backoff_memory_is_bounded) {
    FailureBackoff throttle(1, 1, 1, 1000);
    for (int i = 0; i < 50'000; ++i) throttle.recordFailure("addr:" + std::to_string(i), 1000u + unsigned(i));
    BOOST_TEST(throttle.size() <= 1000u);
}

BOOST_AUTO_TEST_CASE(failure_backoff_undo_lifts_the_wait_it_caused) {
    FailureBackoff throttle(2, 5, 60);
    throttle.recordFailure("k", 1000);
    throttle.recordFailure("k", 1000);
    BOOST_TEST(throttle.retryAfter("k", 1000) == 5u);
    throttle.undoFailure("k");
    BOOST_TEST(throttle.retryAfter("k", 1000) == 0u);
    BOOST_TEST(throttle.failures("k", 1000) == 1u);
    FailureBackoff unlimited(0, 5, 60);
    for (int i = 0; i < 100; ++i) unlimited.recordFailure("k", 1000);
    BOOST_TEST(unlimited.retryAfter("k", 1000) == 0u);
}

// Attempts count when they begin: a guess whose hash is still being computed
// already counts, so parallel guesses get no more than the limit.
BOOST_AUTO_TEST_CASE(login_throttle_counts_attempts_in_flight) {
    LoginThrottle throttle(LoginThrottleRules{3, 0, 0, 2, 60});
    int admitted = 0;
    for (int i = 0; i < 64; ++i) admitted += throttle.begin("alice", "10.0.0.1", 1000) == 0 ? 1 : 0;
    BOOST_TEST(admitted == 3);
    // Another address has its own allowance for the same account.
    BOOST_TEST(throttle.begin("alice", "10.0.0.2", 1000) == 0u);
    // A right password from the throttled pair, once its wait is over, clears it.
    BOOST_TEST(throttle.begin("alice", "10.0.0.1", 3000) == 0u);
    throttle.succeeded("alice", "10.0.0.1");
    for (int i = 0; i < 2; ++i) BOOST_TEST(throttle.begin("alice", "10.0.0.1", 3000) == 0u);
}

BOOST_AUTO_TEST_CASE(login_throttle_limits_an_address_over_all_accounts) {
    LoginThrottle throttle(LoginThrottleRules{0, 4, 0, 2, 60});
    for (int i = 0; i < 4; ++i) BOOST_TEST(throttle.begin("user" + std::to_string(i), "10.0.0.1", 1000) == 0u);
    BOOST_TEST(throttle.begin("alice", "10.0.0.1", 1000) > 0u);
    BOOST_TEST(throttle.begin("alice", "10.0.0.2", 1000) == 0u);
    // An attempt that could not be checked is taken back.
    throttle.cancelled("alice", "10.0.0.2");
    for (int i = 0; i < 4; ++i) BOOST_TEST(throttle.begin("bob", "10.0.0.2", 1000) == 0u);
}

// Many addresses at one account: each that failed there must wait, one that
// did not (the owner's) still gets its attempt.
BOOST_AUTO_TEST_CASE(login_throttle_account_under_attack_still_admits_clean_addresses) {
    LoginThrottle throttle(LoginThrottleRules{5, 0, 10, 2, 60});
    for (int i = 0; i < 10; ++i) BOOST_TEST(throttle.begin("alice", "10.0.1." + std::to_string(i), 1000) == 0u);
    for (int i = 0; i < 10; ++i) BOOST_TEST(throttle.begin("alice", "10.0.1." + std::to_string(i), 1000) > 0u);
    BOOST_TEST(throttle.begin("alice", "192.168.1.5", 1000) == 0u);
    throttle.succeeded("alice", "192.168.1.5");
    BOOST_TEST(throttle.begin("alice", "192.168.1.5", 1000) == 0u);
}

// Token logins wait as passwords do but count only when refused: a restart's
// thousands of parallel token logins from one address are not throttled.
BOOST_AUTO_TEST_CASE(login_throttle_counts_token_logins_only_when_refused) {
    LoginThrottle throttle(LoginThrottleRules{3, 10, 0, 2, 60});
    for (int i = 0; i < 1000; ++i)
        BOOST_TEST_REQUIRE(throttle.waitBeforeToken("user" + std::to_string(i), "10.0.0.1", 1000) == 0u);
    for (int i = 0; i < 1000; ++i) throttle.tokenAccepted("user" + std::to_string(i), "10.0.0.1");
    BOOST_TEST(throttle.begin("alice", "10.0.0.1", 1000) == 0u);  // the address's allowance is untouched
    throttle.cancelled("alice", "10.0.0.1");
    // Refused tokens count like wrong passwords, and the wait applies to both.
    for (int i = 0; i < 3; ++i) throttle.tokenRefused("bob", "10.0.0.2", 1000);
    BOOST_TEST(throttle.waitBeforeToken("bob", "10.0.0.2", 1000) > 0u);
    BOOST_TEST(throttle.begin("bob", "10.0.0.2", 1000) > 0u);
    BOOST_TEST(throttle.waitBeforeToken("bob", "10.0.0.3", 1000) == 0u);
    // A valid token once the wait is over forgets that pair's failures.
    BOOST_TEST(throttle.waitBeforeToken("bob", "10.0.0.2", 3000) == 0u);
    throttle.tokenAccepted("bob", "10.0.0.2");
    for (int i = 0; i < 2; ++i) throttle.tokenRefused("bob", "10.0.0.2", 3000);
    BOOST_TEST(throttle.waitBeforeToken("bob", "10.0.0.2", 3000) == 0u);
}

// Logins while a write job waits join it: one job (one transaction) for the lot.
BOOST_AUTO_TEST_CASE(login_times_gather_while_their_job_waits) {
    LoginTimes times;
    BOOST_TEST(times.add(1, 100));  // the first asks for a job
    for (parley::db::UserId user = 2; user <= 1000; ++user) BOOST_TEST_REQUIRE(!times.add(user, 100 + user));
    BOOST_TEST(!times.add(1, 50));  // an older time does not move it back
    BOOST_TEST(!times.add(2, 5000));
    std::vector<parley::db::LoginTime> batch = times.take();
    BOOST_TEST(batch.size() == 1000u);
    std::sort(batch.begin(), batch.end(),
              [](const parley::db::LoginTime& a, const parley::db::LoginTime& b) { return a.user < b.user; });
    BOOST_TEST(batch[0].atMs == 100);
    BOOST_TEST(batch[1].atMs == 5000);
    BOOST_TEST(batch[999].atMs == 1100);
    BOOST_TEST(times.take().empty());
    BOOST_TEST(times.add(7, 1));  // after the job took them, the next login asks again
}

BOOST_AUTO_TEST_CASE(log_limiter_counts_what_it_leaves_out_per_cause) {
    LogLimiter limiter(3, 1000);
    std::uint64_t suppressed = 99;
    for (int i = 0; i < 3; ++i) {
        BOOST_TEST(limiter.admit("a", 100, &suppressed));
        BOOST_TEST(suppressed == 0u);
    }
    for (int i = 0; i < 5; ++i) BOOST_TEST(!limiter.admit("a", 500, &suppressed));
    BOOST_TEST(limiter.admit("b", 500, &suppressed));  // another cause has its own window
    BOOST_TEST(!limiter.admit("a", 1099, &suppressed));
    BOOST_TEST(limiter.admit("a", 1100, &suppressed));  // a new window: tells what was left out
    BOOST_TEST(suppressed == 6u);
    BOOST_TEST(limiter.admit("a", 1100, &suppressed));
    BOOST_TEST(suppressed == 0u);
    LogLimiter unlimited(0, 1000);
    for (int i = 0; i < 100; ++i) BOOST_TEST(unlimited.admit("a", 0, &suppressed));
}

BOOST_AUTO_TEST_CASE(window_limiter_rolls) {
    WindowLimiter limiter(2, 1000);
    BOOST_TEST(limiter.tryAcquire("a", 0));
    BOOST_TEST(limiter.tryAcquire("a", 100));
    BOOST_TEST(!limiter.tryAcquire("a", 500));
    BOOST_TEST(limiter.tryAcquire("b", 500));
    BOOST_TEST(limiter.tryAcquire("a", 1000));  // the event at 0 left the window
    BOOST_TEST(!limiter.tryAcquire("a", 1050));
    WindowLimiter unlimited(0, 1000);
    for (int i = 0; i < 100; ++i) BOOST_TEST(unlimited.tryAcquire("x", 0));
}
