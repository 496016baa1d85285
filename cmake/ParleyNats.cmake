# A private nats-server for the cluster's test suites, as a ctest fixture (the twin of
# ParleyMariaDB.cmake).
#
# scripts/nats-instance starts a throw-away server under ${CMAKE_BINARY_DIR}/nats-test: TLS
# only (its own CA), one user with a password per node, a loopback port; it writes
# instance.env (URL, CA, USERS) and users/NAME there. Plain `ctest` (or `ctest -R <a test
# that needs it>`) runs the setup test `nats_start` first and `nats_stop` last.
#
#   parley_require_nats(<test>)   the test needs the server: adds FIXTURES_REQUIRED nats
#       and PARLEY_TEST_NATS_DIR=<that folder> to its environment. A test must fail (not
#       skip) when the folder holds no instance.env.
include_guard(GLOBAL)

set(PARLEY_NATS_SCRIPT ${PROJECT_SOURCE_DIR}/scripts/nats-instance)
set(PARLEY_NATS_DIR ${CMAKE_BINARY_DIR}/nats-test)

function(parley_add_nats_fixture)
  get_property(done GLOBAL PROPERTY PARLEY_NATS_FIXTURE_ADDED)
  if(done)
    return()
  endif()
  set_property(GLOBAL PROPERTY PARLEY_NATS_FIXTURE_ADDED TRUE)
  add_test(NAME nats_start COMMAND ${PARLEY_NATS_SCRIPT} start ${PARLEY_NATS_DIR})
  add_test(NAME nats_stop COMMAND ${PARLEY_NATS_SCRIPT} stop ${PARLEY_NATS_DIR})
  set_tests_properties(nats_start PROPERTIES FIXTURES_SETUP nats TIMEOUT 60 LABELS nats)
  set_tests_properties(nats_stop PROPERTIES FIXTURES_CLEANUP nats TIMEOUT 60 LABELS nats)
endfunction()

function(parley_require_nats test)
  parley_add_nats_fixture()
  set_property(TEST ${test} APPEND PROPERTY FIXTURES_REQUIRED nats)
  set_property(TEST ${test} APPEND PROPERTY ENVIRONMENT "PARLEY_TEST_NATS_DIR=${PARLEY_NATS_DIR}")
  set_property(TEST ${test} APPEND PROPERTY LABELS nats)
endfunction()
