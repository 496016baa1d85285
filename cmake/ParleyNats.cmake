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
# parley_require_instance() is ParleyTesting's (included first by the top CMakeLists.txt).

set(PARLEY_NATS_SCRIPT ${PROJECT_SOURCE_DIR}/scripts/nats-instance)
set(PARLEY_NATS_DIR ${CMAKE_BINARY_DIR}/nats-test)

function(parley_require_nats test)
  parley_require_instance(${test} nats ${PARLEY_NATS_SCRIPT} ${PARLEY_NATS_DIR} "PARLEY_TEST_NATS_DIR=${PARLEY_NATS_DIR}")
endfunction()
