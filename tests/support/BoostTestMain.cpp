// The one translation unit per test executable that defines Boost.Test's
// main(). Every other test file includes <boost/test/unit_test.hpp> only.
#define BOOST_TEST_MODULE parley
#ifdef PARLEY_BOOST_TEST_HEADER_ONLY
#include <boost/test/included/unit_test.hpp>
#else
#include <boost/test/unit_test.hpp>
#endif
