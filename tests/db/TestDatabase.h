#pragma once
// Test support for suites that need a real database (db/, later the engine).
//
// The backend of a store suite is fixed per executable by BackendSqlite.cpp or
// BackendMariaDb.cpp. MariaDB tests read the ODBC connection string of the private
// server from the file named by PARLEY_TEST_ODBC_FILE (set by parley_require_mariadb);
// when it is missing they fail with an explanation, they never skip.

#include <memory>
#include <string>
#include <vector>

namespace parley::db::test {

enum class TestBackend { Sqlite, MariaDb };

/// Defined by the executable's Backend*.cpp.
extern const TestBackend kBackend;

const char* backendName();

/// The private server's ODBC connection string (database parley_test). Fails the
/// current test with a clear message if PARLEY_TEST_ODBC_FILE is unset or unreadable.
std::string mariaDbBaseConnection();

/// `odbc` with its Database= attribute replaced.
std::string withDatabase(const std::string& odbc, const std::string& database);

/// Runs statements over a short-lived raw Qt Sql connection (test setup and inspection);
/// `connectionString` is a Store string (sqlite:..., odbc:...). Fails the test on error.
void execRaw(const std::string& connectionString, const std::vector<std::string>& statements);

/// The first column of the first row of `sql`, as text ("" when no row).
std::string queryRaw(const std::string& connectionString, const std::string& sql);

/// A fresh empty database for one test case, dropped/removed at destruction:
/// SQLite: a file in a new temporary folder; MariaDB: a new database parley_t_<pid>_<n>.
class TestDatabase {
public:
    TestDatabase();
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    const std::string& connectionString() const { return m_connectionString; }
    /// SQLite only: the folder holding the file (for tests that add more files).
    const std::string& folder() const { return m_folder; }

private:
    struct Private;
    std::unique_ptr<Private> m_private;
    std::string m_connectionString;
    std::string m_folder;
    std::string m_database;
};

/// Holds one raw connection open (e.g. to keep a lock); closed at destruction.
class RawConnection {
public:
    explicit RawConnection(const std::string& connectionString);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    /// Runs one statement; false on error.
    bool exec(const std::string& sql);

private:
    std::string m_name;
};

}  // namespace parley::db::test
