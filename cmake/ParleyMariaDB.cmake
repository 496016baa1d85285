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

set(PARLEY_MARIADB_SCRIPT ${PROJECT_SOURCE_DIR}/scripts/mariadb-instance)
set(PARLEY_MARIADB_DIR ${CMAKE_BINARY_DIR}/mariadb-test)
set(PARLEY_MARIADB_ODBC_FILE ${PARLEY_MARIADB_DIR}/odbc.txt)

# Registers the fixture's setup and cleanup tests once per build tree.
function(parley_add_mariadb_fixture)
  get_property(done GLOBAL PROPERTY PARLEY_MARIADB_FIXTURE_ADDED)
  if(done)
    return()
  endif()
  set_property(GLOBAL PROPERTY PARLEY_MARIADB_FIXTURE_ADDED TRUE)
  add_test(NAME mariadb_start COMMAND ${PARLEY_MARIADB_SCRIPT} start ${PARLEY_MARIADB_DIR})
  add_test(NAME mariadb_stop COMMAND ${PARLEY_MARIADB_SCRIPT} stop ${PARLEY_MARIADB_DIR})
  set_tests_properties(mariadb_start PROPERTIES FIXTURES_SETUP mariadb TIMEOUT 120 LABELS mariadb)
  set_tests_properties(mariadb_stop PROPERTIES FIXTURES_CLEANUP mariadb TIMEOUT 120 LABELS mariadb)
endfunction()

function(parley_require_mariadb test)
  parley_add_mariadb_fixture()
  set_property(TEST ${test} APPEND PROPERTY FIXTURES_REQUIRED mariadb)
  set_property(TEST ${test} APPEND PROPERTY ENVIRONMENT "PARLEY_TEST_ODBC_FILE=${PARLEY_MARIADB_ODBC_FILE}")
  set_property(TEST ${test} APPEND PROPERTY LABELS mariadb)
endfunction()
