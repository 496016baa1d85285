// Byte counts in words (shared/text/ByteCount): parley-cli's lines and the receiver's
// "not enough space" reason use them.
#include "shared/text/ByteCount.h"

#include <boost/test/unit_test.hpp>

namespace parley::text {

BOOST_AUTO_TEST_SUITE(byte_count)

BOOST_AUTO_TEST_CASE(bytes_are_shown_in_decimal_units_with_one_decimal) {
    BOOST_TEST(formatBytes(0) == "0 B");
    BOOST_TEST(formatBytes(999) == "999 B");
    BOOST_TEST(formatBytes(1000) == "1.0 KB");
    BOOST_TEST(formatBytes(51'200) == "51.2 KB");
    BOOST_TEST(formatBytes(12'345'678) == "12.3 MB");
    BOOST_TEST(formatBytes(std::uint64_t{5} << 30U) == "5.4 GB");                                 // 5 GiB
    BOOST_TEST(formatBytes(std::uint64_t{3} * 1000 * 1000 * 1000 * 1000 * 1000) == "3000.0 TB");  // the largest unit
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace parley::text
