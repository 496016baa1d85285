# Boost.Test wiring shared by every suite.
#
# Natively the suites link Boost's unit_test_framework library. The Windows
# cross check (PARLEY_PORTABLE_ONLY with mingw-w64) uses Boost.Test's
# header-only variant instead: PARLEY_BOOST_INCLUDE_DIR then points at a
# folder that holds only a link to the system's boost/ headers.

add_library(parley_boost_test INTERFACE)
if(PARLEY_PORTABLE_ONLY AND PARLEY_BOOST_INCLUDE_DIR)
  target_include_directories(parley_boost_test SYSTEM INTERFACE ${PARLEY_BOOST_INCLUDE_DIR})
  target_compile_definitions(parley_boost_test INTERFACE PARLEY_BOOST_TEST_HEADER_ONLY)
else()
  find_package(Boost 1.71 REQUIRED COMPONENTS unit_test_framework)
  target_link_libraries(parley_boost_test INTERFACE Boost::unit_test_framework)
  target_compile_definitions(parley_boost_test INTERFACE BOOST_TEST_DYN_LINK)
endif()

# Boost.Test's main() is compiled once and shared by every suite (in the
# header-only mode it is the slowest translation unit of the build).
add_library(parley_boost_test_main OBJECT ${PROJECT_SOURCE_DIR}/tests/support/BoostTestMain.cpp)
target_link_libraries(parley_boost_test_main PUBLIC parley_boost_test)

# Every suite labelled "sanitize" joins this target, so that the sanitizer
# stage of ./scripts/test builds exactly the executables it runs.
add_custom_target(parley_sanitize_suites)

# parley_add_test(<name> SOURCES <files...> [LIBS <targets...>] [ARGS <args...>]
#                 [ENVIRONMENT <VAR=value...>] [LABELS <labels...>] [TIMEOUT <s>])
# Builds one Boost.Test executable (with the shared main) into build/tests and
# registers it with ctest under <name>.
function(parley_add_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;ARGS;ENVIRONMENT;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES} $<TARGET_OBJECTS:parley_boost_test_main>)
  target_link_libraries(${name} PRIVATE ${T_LIBS} parley_boost_test Threads::Threads)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  parley_apply_defaults(${name})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT})
  if(T_ENVIRONMENT)
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${T_ENVIRONMENT}")
  endif()
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
    if("sanitize" IN_LIST T_LABELS)
      add_dependencies(parley_sanitize_suites ${name})
    endif()
  endif()
endfunction()

# A private server for the suites as a ctest fixture named <fixture>: the setup test
# <fixture>_start runs `<script> start <dir>` before the first test that needs it, and
# <fixture>_stop runs `<script> stop <dir>` after the last (ParleyMariaDB, ParleyNats).
#   parley_require_instance(<test> <fixture> <script> <dir> <VARIABLE=value>)
# adds the fixture to <test>, its label, and VARIABLE=value to its environment.
function(parley_require_instance test fixture script dir environment)
  get_property(done GLOBAL PROPERTY PARLEY_${fixture}_FIXTURE_ADDED)
  if(NOT done)
    set_property(GLOBAL PROPERTY PARLEY_${fixture}_FIXTURE_ADDED TRUE)
    add_test(NAME ${fixture}_start COMMAND ${script} start ${dir})
    add_test(NAME ${fixture}_stop COMMAND ${script} stop ${dir})
    set_tests_properties(${fixture}_start PROPERTIES FIXTURES_SETUP ${fixture} TIMEOUT 120 LABELS ${fixture})
    set_tests_properties(${fixture}_stop PROPERTIES FIXTURES_CLEANUP ${fixture} TIMEOUT 120 LABELS ${fixture})
  endif()
  set_property(TEST ${test} APPEND PROPERTY FIXTURES_REQUIRED ${fixture})
  set_property(TEST ${test} APPEND PROPERTY ENVIRONMENT "${environment}")
  set_property(TEST ${test} APPEND PROPERTY LABELS ${fixture})
endfunction()
