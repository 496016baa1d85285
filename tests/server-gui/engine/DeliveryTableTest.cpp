// The live/store routing rules of DeliveryTable, step by step.
#include "server-gui/engine/DeliveryTable.h"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using parley::server::DeliveryTable;
using Session = std::shared_ptr<int>;
using Table = DeliveryTable<Session>;
using Route = Table::Route;

namespace {
constexpr parley::proto::UserId kBob = 7;

// Takes a fresh session through its first (empty) backlog fetch.
void goLive(Table& table, const Session& session) {
    std::uint64_t epoch = 0;
    BOOST_REQUIRE(table.beginFetch(kBob, session, epoch));
    BOOST_REQUIRE(table.fetchSent(kBob, session, epoch, false));
}
}  // namespace

BOOST_AUTO_TEST_CASE(offline_user_goes_to_store_and_is_forgotten_after) {
    Table table;
    BOOST_TEST((table.route(kBob).route == Route::Store));
    BOOST_TEST(!table.storeDone(kBob));
    BOOST_TEST(table.onlineCount() == 0u);
}

BOOST_AUTO_TEST_CASE(login_fetches_backlog_before_going_live) {
    Table table;
    auto bob = std::make_shared<int>(1);
    BOOST_TEST(!table.attach(kBob, bob));
    BOOST_TEST((table.route(kBob).route == Route::Store));  // still catching up
    BOOST_TEST(table.storeDone(kBob) == bob);               // nothing pending: fetch now
    std::uint64_t epoch = 0;
    BOOST_TEST(table.beginFetch(kBob, bob, epoch));
    BOOST_TEST(!table.beginFetch(kBob, bob, epoch));  // one fetch at a time
    BOOST_TEST(table.fetchSent(kBob, bob, epoch, false));
    const auto decision = table.route(kBob);
    BOOST_TEST((decision.route == Route::Live));
    BOOST_TEST(decision.session == bob);
}

BOOST_AUTO_TEST_CASE(commit_during_fetch_forces_another_fetch) {
    Table table;
    auto bob = std::make_shared<int>(1);
    table.attach(kBob, bob);
    std::uint64_t epoch = 0;
    BOOST_REQUIRE(table.beginFetch(kBob, bob, epoch));
    BOOST_TEST((table.route(kBob).route == Route::Store));
    BOOST_TEST(!table.storeDone(kBob));                     // a fetch is running: no second one
    BOOST_TEST(!table.fetchSent(kBob, bob, epoch, false));  // epoch moved on
    BOOST_TEST(table.beginFetch(kBob, bob, epoch));
    BOOST_TEST(table.fetchSent(kBob, bob, epoch, false));
}

BOOST_AUTO_TEST_CASE(no_fetch_while_a_store_is_pending) {
    Table table;
    auto bob = std::make_shared<int>(1);
    table.attach(kBob, bob);
    BOOST_TEST((table.route(kBob).route == Route::Store));
    std::uint64_t epoch = 0;
    BOOST_TEST(!table.beginFetch(kBob, bob, epoch));
    BOOST_TEST(table.storeDone(kBob) == bob);
    BOOST_TEST(table.beginFetch(kBob, bob, epoch));
}

BOOST_AUTO_TEST_CASE(paged_fetch_is_not_live_until_the_last_page) {
    Table table;
    auto bob = std::make_shared<int>(1);
    table.attach(kBob, bob);
    std::uint64_t epoch = 0;
    BOOST_REQUIRE(table.beginFetch(kBob, bob, epoch));
    BOOST_TEST(!table.fetchSent(kBob, bob, epoch, true));
    BOOST_REQUIRE(table.beginFetch(kBob, bob, epoch));
    BOOST_TEST(table.fetchSent(kBob, bob, epoch, false));
}

BOOST_AUTO_TEST_CASE(takeover_waits_for_the_old_session_hand_off) {
    Table table;
    auto first = std::make_shared<int>(1);
    auto second = std::make_shared<int>(2);
    table.attach(kBob, first);
    goLive(table, first);
    BOOST_TEST(table.attach(kBob, second) == first);  // the caller kicks `first`
    BOOST_TEST((table.route(kBob).route == Route::Store));
    std::uint64_t epoch = 0;
    BOOST_TEST(!table.beginFetch(kBob, second, epoch));  // hand-off pending
    // `first` closes with 2 unacknowledged messages it hands to the store.
    BOOST_TEST(!table.detach(kBob, first, 2));
    BOOST_TEST(!table.storeDone(kBob));  // the routed one
    BOOST_TEST(!table.storeDone(kBob));  // first hand-off
    BOOST_TEST(table.storeDone(kBob) == second);
    BOOST_TEST(table.beginFetch(kBob, second, epoch));
    BOOST_TEST(table.fetchSent(kBob, second, epoch, false));
    BOOST_TEST(table.online(kBob) == second);
}

BOOST_AUTO_TEST_CASE(congestion_diverts_to_store_until_drained_and_fetched) {
    Table table;
    auto bob = std::make_shared<int>(1);
    table.attach(kBob, bob);
    goLive(table, bob);
    BOOST_TEST(!table.setCongested(kBob, bob, true));
    BOOST_TEST((table.route(kBob).route == Route::Store));
    BOOST_TEST(table.storeDone(kBob) == bob);  // (the engine defers fetching while congested)
    std::uint64_t epoch = 0;
    BOOST_REQUIRE(table.beginFetch(kBob, bob, epoch));
    BOOST_TEST(!table.fetchSent(kBob, bob, epoch, false));  // still congested
    BOOST_TEST(table.setCongested(kBob, bob, false));
    goLive(table, bob);
    BOOST_TEST((table.route(kBob).route == Route::Live));
}

BOOST_AUTO_TEST_CASE(detach_of_the_online_session_goes_offline) {
    Table table;
    auto bob = std::make_shared<int>(1);
    table.attach(kBob, bob);
    goLive(table, bob);
    BOOST_TEST(!table.detach(kBob, bob, 1));
    BOOST_TEST(!table.online(kBob));
    BOOST_TEST((table.route(kBob).route == Route::Store));
    table.storeDone(kBob);
    table.storeDone(kBob);
    BOOST_TEST(table.onlineCount() == 0u);
    // A stale session's calls are ignored.
    std::uint64_t epoch = 0;
    BOOST_TEST(!table.beginFetch(kBob, bob, epoch));
    BOOST_TEST(!table.setCongested(kBob, bob, false));
}

BOOST_AUTO_TEST_CASE(concurrent_routing_keeps_pending_counts_exact) {
    Table table;
    constexpr int kThreads = 4;
    constexpr int kPerThread = 20'000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&table, t] {
            for (int i = 0; i < kPerThread; ++i) {
                const auto user = static_cast<parley::proto::UserId>(100 + (i + t) % 50);
                if (table.route(user).route == Route::Store) table.storeDone(user);
            }
        });
    }
    for (auto& thread : threads) thread.join();
    BOOST_TEST(table.onlineCount() == 0u);
    auto bob = std::make_shared<int>(1);
    table.attach(kBob, bob);
    goLive(table, bob);  // a pending count that leaked would block this
}

BOOST_AUTO_TEST_CASE(is_online_follows_attach_takeover_and_detach) {
    Table table;
    auto first = std::make_shared<int>(1);
    auto second = std::make_shared<int>(2);
    BOOST_TEST(!table.isOnline(kBob));
    table.attach(kBob, first);
    BOOST_TEST(table.isOnline(kBob));  // online from the login on, backlog or not
    table.attach(kBob, second);
    table.detach(kBob, first, 0);  // the replaced session leaves: bob stays online
    BOOST_TEST(table.isOnline(kBob));
    table.detach(kBob, second, 0);
    BOOST_TEST(!table.isOnline(kBob));
    BOOST_TEST(!table.isOnline(kBob + 1));
}

BOOST_AUTO_TEST_CASE(an_id_beyond_the_online_index_is_answered_from_the_table) {
    // A store whose ids jump far (MariaDB auto_increment_increment, an imported
    // account list) must not make the index allocate up to the id.
    Table table;
    const parley::proto::UserId far = parley::server::OnlineIndex::kMaxIndexed + 5;
    auto session = std::make_shared<int>(1);
    BOOST_TEST(!table.isOnline(far));
    table.attach(far, session);
    BOOST_TEST(table.isOnline(far));
    table.detach(far, session, 0);
    BOOST_TEST(!table.isOnline(far));
}

BOOST_AUTO_TEST_CASE(the_online_index_grows_with_the_ids_and_keeps_what_it_knew) {
    parley::server::OnlineIndex index;
    BOOST_TEST(!index.online(0));
    BOOST_TEST(!index.online(4'000'000'000u));  // never set: offline, no array needed
    index.set(3, true);
    index.set(63, true);
    index.set(64, true);
    index.set(1'000'000, true);  // grows the bits
    BOOST_TEST(index.online(3));
    BOOST_TEST(index.online(63));
    BOOST_TEST(index.online(64));
    BOOST_TEST(index.online(1'000'000));
    BOOST_TEST(!index.online(65));
    index.set(63, false);
    BOOST_TEST(!index.online(63));
    BOOST_TEST(index.online(64));  // its neighbour in the same word is untouched
    BOOST_TEST(!index.online(0xFFFFFFFFu));
    index.set(0xFFFFFFFFu, true);  // beyond kMaxIndexed: not indexed, nothing allocated
    BOOST_TEST(!index.online(0xFFFFFFFFu));
}

BOOST_AUTO_TEST_CASE(the_online_index_is_read_while_it_grows_and_changes) {
    // Readers on other threads while one writer flips its own users and grows the
    // array: a reader sees every user that stays online as online throughout.
    parley::server::OnlineIndex index;
    for (parley::proto::UserId id = 1; id <= 100; ++id) index.set(id, true);
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> wrong{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 3; ++r) {
        readers.emplace_back([&] {
            while (!stop.load())
                for (parley::proto::UserId id = 1; id <= 100; ++id)
                    if (!index.online(id)) wrong.fetch_add(1);
        });
    }
    for (parley::proto::UserId id = 101; id < 200'000; id += 7) {
        index.set(id, true);
        index.set(id, false);
    }
    stop.store(true);
    for (auto& t : readers) t.join();
    BOOST_TEST(wrong.load() == 0u);
    for (parley::proto::UserId id = 1; id <= 100; ++id) BOOST_TEST_REQUIRE(index.online(id));
    BOOST_TEST(!index.online(101));
}
