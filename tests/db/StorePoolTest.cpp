// StorePool against the suite's backend. Boost.Test assertions are not thread-safe, so
// jobs only record what happened and the test thread checks it afterwards.

#include "db/PasswordHasher.h"
#include "db/StorePool.h"
#include "tests/db/StoreTestSupport.h"

#include <boost/test/unit_test.hpp>

#include <QTemporaryDir>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

using namespace parley::db;
using namespace parley::db::test;

BOOST_AUTO_TEST_SUITE(store_pool)

BOOST_AUTO_TEST_CASE(jobs_with_one_key_run_in_order_on_one_worker) {
    TestDatabase db;
    StorePool pool(db.connectionString(), 3);
    PARLEY_REQUIRE_OK(pool.start());
    BOOST_TEST(pool.workerCount() == 3u);

    constexpr int kJobsPerKey = 40;
    std::mutex mutex;
    std::map<UserId, std::vector<std::uint64_t>> ranInOrder;
    std::map<UserId, std::set<std::thread::id>> threadsOfKey;
    std::map<std::thread::id, std::set<const Store*>> storesOfThread;
    std::vector<std::string> failures;

    auto submitter = [&](std::vector<UserId> keys) {
        for (int i = 0; i < kJobsPerKey; ++i) {
            for (UserId key : keys) {
                const auto id = static_cast<std::uint64_t>(i);
                pool.submit(key, [&, key, id](Store& store) {
                    OfflineMessage m;
                    m.recipient = key;
                    m.sender = 99;
                    m.messageId = id;
                    const auto r = store.enqueueOffline(m);
                    std::lock_guard<std::mutex> lock(mutex);
                    if (!r.ok()) failures.push_back(r.error);
                    ranInOrder[key].push_back(id);
                    threadsOfKey[key].insert(std::this_thread::get_id());
                    storesOfThread[std::this_thread::get_id()].insert(&store);
                });
            }
        }
    };
    std::thread a(submitter, std::vector<UserId>{1, 2});
    std::thread b(submitter, std::vector<UserId>{3, 4});
    a.join();
    b.join();
    pool.stop();  // drains the queues

    BOOST_TEST(failures.empty(), (failures.empty() ? "" : failures.front()));
    std::vector<std::uint64_t> expected;
    for (int i = 0; i < kJobsPerKey; ++i) expected.push_back(static_cast<std::uint64_t>(i));
    auto store = PARLEY_REQUIRE_OK(openStore(db.connectionString())).value;
    std::set<const Store*> allStores;
    for (UserId key : {1u, 2u, 3u, 4u}) {
        BOOST_TEST(ranInOrder[key] == expected);
        BOOST_TEST(threadsOfKey[key].size() == 1u);
        std::vector<std::uint64_t> stored;
        for (const OfflineMessage& m : PARLEY_REQUIRE_OK(store->pendingFor(key, 100)).value)
            stored.push_back(m.messageId);
        BOOST_TEST(stored == expected);  // every job ran, once
    }
    // Every worker thread has its own Store (and so its own connection).
    for (const auto& [thread, stores] : storesOfThread) {
        BOOST_TEST(stores.size() == 1u);
        BOOST_TEST(allStores.insert(*stores.begin()).second);
    }
}

BOOST_AUTO_TEST_CASE(password_hashing_runs_on_the_workers) {
    TestDatabase db;
    StorePool pool(db.connectionString(), 2);
    PARLEY_REQUIRE_OK(pool.start());
    const PasswordHasher hasher(2000);
    std::mutex mutex;
    std::vector<PasswordRecord> records;
    std::atomic<int> verified{0};
    for (int i = 0; i < 8; ++i) {
        pool.submit([&, i](Store& store) {
            const std::string password = "secret-" + std::to_string(i);
            auto hashed = hasher.hash(password);
            if (!hashed.ok()) return;
            NewUser user{"user" + std::to_string(i), "User", hashed.value};
            if (!store.createUser(user).ok()) return;
            auto found = store.findUserByName(user.username);
            if (found.ok() && hasher.verify(password, found.value.password) &&
                !hasher.verify("wrong", found.value.password))
                verified.fetch_add(1);
            std::lock_guard<std::mutex> lock(mutex);
            records.push_back(hashed.value);
        });
    }
    pool.stop();
    BOOST_TEST(verified.load() == 8);
    std::set<Bytes> salts;
    for (const PasswordRecord& r : records) salts.insert(r.salt);
    BOOST_TEST(salts.size() == 8u);
}

BOOST_AUTO_TEST_CASE(stop_runs_everything_queued_then_refuses_jobs) {
    TestDatabase db;
    StorePool pool(db.connectionString(), 2);
    PARLEY_REQUIRE_OK(pool.start());
    std::atomic<int> ran{0};
    for (int i = 0; i < 300; ++i) {
        const bool queued = i % 2 ? pool.submit([&](Store&) { ran.fetch_add(1); })
                                  : pool.submit(static_cast<std::uint64_t>(i), [&](Store&) { ran.fetch_add(1); });
        BOOST_REQUIRE(queued);
    }
    BOOST_REQUIRE(pool.submit([](Store&) { throw std::runtime_error("job failure"); }));
    pool.stop();
    BOOST_TEST(ran.load() == 300);
    BOOST_TEST(pool.failedJobs() == 1u);
    BOOST_TEST(pool.pendingJobs() == 0u);
    BOOST_TEST(!pool.submit([](Store&) {}));
    BOOST_TEST(!pool.submit(1, [](Store&) {}));
    pool.stop();  // idempotent
}

BOOST_AUTO_TEST_CASE(a_clean_stop_leaves_the_sqlite_file_complete_on_its_own) {
    if (kBackend != TestBackend::Sqlite) return;  // a WAL is SQLite's
    // After stop() the database file alone holds every commit (no -wal left), so a
    // stopped server's .db file can be copied as a backup. With several workers this
    // needs their connections to close one after the other (see StorePool::stop).
    for (int round = 0; round < 4; ++round) {
        TestDatabase db;
        StorePool pool(db.connectionString(), 2);
        PARLEY_REQUIRE_OK(pool.start());
        for (int i = 0; i < 1000; ++i) {
            BOOST_REQUIRE(pool.submit(static_cast<std::uint64_t>(i),
                                      [i](Store& store) { store.createUser(newUser("user" + std::to_string(i))); }));
        }
        // Both workers idle, as in a server that is told to stop: they wake together.
        while (pool.pendingJobs() != 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        pool.stop();
        BOOST_TEST(pool.failedJobs() == 0u);
        const std::string file = db.folder() + "/parley.sqlite";
        BOOST_TEST(!std::ifstream(file + "-wal").good(), "round " << round << ": " << file << "-wal is left");
    }
}

BOOST_AUTO_TEST_CASE(start_reports_an_unreachable_database) {
    QTemporaryDir folder;
    BOOST_REQUIRE(folder.isValid());
    StorePool pool(unreachableConnectionString(folder.path().toStdString()), 2);
    const Result r = pool.start();
    BOOST_TEST(r.status == Status::Unavailable);
    BOOST_TEST_MESSAGE("pool start: " << r.error);
    BOOST_TEST(!pool.submit([](Store&) {}));
    BOOST_TEST(pool.start().status == Status::Error);  // once per pool
}

BOOST_AUTO_TEST_SUITE_END()
