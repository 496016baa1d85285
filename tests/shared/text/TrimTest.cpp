// text::trimmed: blanks off both ends only.
#include "shared/text/Trim.h"

#include <boost/test/unit_test.hpp>

using parley::text::trimmed;

BOOST_AUTO_TEST_SUITE(trim)

BOOST_AUTO_TEST_CASE(blanks_go_from_both_ends_and_stay_inside) {
    BOOST_TEST(trimmed("  a b\t\r\n") == "a b");
    BOOST_TEST(trimmed("\t127.0.0.1:7878 ") == "127.0.0.1:7878");
    BOOST_TEST(trimmed("x") == "x");
    BOOST_TEST(trimmed(" \t\r\n").empty());
    BOOST_TEST(trimmed("").empty());
}

BOOST_AUTO_TEST_SUITE_END()
