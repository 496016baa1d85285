#pragma once
// Shared by the store suites: a fresh database and an open Store per test case, and
// printing of db/ enums for Boost.Test messages.

#include "db/Store.h"
#include "tests/db/DbPrinters.h"
#include "tests/db/TestDatabase.h"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <memory>
#include <string>

namespace parley::db::test {

/// Fails the test unless `result` is Ok; returns it for its value.
template <typename R>
R requireOk(R result, const char* what) {
    BOOST_REQUIRE_MESSAGE(result.ok(), what << " -> " << toString(result.status) << ": " << result.error);
    return result;
}
#define PARLEY_REQUIRE_OK(expr) ::parley::db::test::requireOk((expr), #expr)

inline PasswordRecord fakePassword(std::uint8_t seed) {
    PasswordRecord p;
    p.salt.assign(16, seed);
    p.salt[3] = 0;  // zero bytes must survive
    p.hash.assign(32, static_cast<std::uint8_t>(seed ^ 0xA5));
    p.hash[0] = 0;
    p.iterations = 1000u + seed;
    return p;
}

inline NewUser newUser(const std::string& name, std::uint8_t seed = 1) {
    return NewUser{name, "Display " + name, fakePassword(seed)};
}

/// A fresh database plus a Store opened on it (connected and migrated).
struct StoreFixture {
    TestDatabase db;
    std::unique_ptr<Store> store;

    StoreFixture() { store = open(); }

    std::unique_ptr<Store> open(const OpenOptions& options = {}) const {
        auto opened = openStore(db.connectionString(), options);
        BOOST_REQUIRE_MESSAGE(
            opened.ok(), "openStore(" << backendName() << "): " << toString(opened.status) << ": " << opened.error);
        BOOST_REQUIRE(opened.value);
        return std::move(opened.value);
    }
};

/// A connection string of the current backend that cannot be reached: SQLite below a
/// regular file (created as `folder`/blocker; removing it makes the path usable),
/// MariaDB on a port nobody listens on (1).
inline std::string unreachableConnectionString(const std::string& folder) {
    if (kBackend == TestBackend::Sqlite) {
        std::ofstream(folder + "/blocker") << "a file where a folder is expected";
        return "sqlite:" + folder + "/blocker/sub/parley.sqlite";
    }
    return "odbc:Driver={MariaDB Unicode};Server=127.0.0.1;Port=1;Database=parley_test;"
           "Uid=parley;Pwd=wrong";
}

}  // namespace parley::db::test
