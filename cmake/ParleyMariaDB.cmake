# A private MariaDB server for the test suites, as a ctest fixture.
#
# scripts/mariadb-instance starts a throw-away server under
# ${CMAKE_BINARY_DIR}/mariadb-test (own datadir, socket and loopback port) and
# writes its ODBC connection string to odbc.txt there. Plain `ctest` (or
# `ctest -R <a test that needs it>`) runs the setup test `mariadb_start` first and
# the cleanup test `mariadb_stop` last.
#
#   parley_require_mariadb(<test>)   the test needs the server: adds
#       FIXTURES_REQUIRED mariadb and PARLEY_TEST_ODBC_FILE=<path of odbc.txt> to
#       its environment. A test must fail (not skip) when that file is missing.
include_guard(GLOBAL)
# parley_require_instance() is ParleyTesting's (included first by the top CMakeLists.txt).

set(PARLEY_MARIADB_SCRIPT ${PROJECT_SOURCE_DIR}/scripts/mariadb-instance)
set(PARLEY_MARIADB_DIR ${CMAKE_BINARY_DIR}/mariadb-test)
set(PARLEY_MARIADB_ODBC_FILE ${PARLEY_MARIADB_DIR}/odbc.txt)

function(parley_require_mariadb test)
  parley_require_instance(${test} mariadb ${PARLEY_MARIADB_SCRIPT} ${PARLEY_MARIADB_DIR}
    "PARLEY_TEST_ODBC_FILE=${PARLEY_MARIADB_ODBC_FILE}")
endfunction()
