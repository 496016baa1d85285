// File offsets beyond 4 GiB. Windows is LLP64: `long` is 32 bits there, so an
// offset that passes through a long (ftell/fseek, a careless cast) wraps at
// 2 GiB. These cases run natively and as a Windows .exe under wine.

#include "tests/support/SparseFiles.h"
#include "tests/support/TempDir.h"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <ios>
#include <limits>
#include <system_error>

using parley::test::TempDir;

namespace {

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;
constexpr std::uint64_t kFarOffset = 5 * kGiB;  // past 2^32 and 2^31

static_assert(sizeof(std::streamoff) >= 8, "std::streamoff must hold 64-bit file offsets");
static_assert(std::numeric_limits<std::uintmax_t>::digits >= 64, "file_size() must hold 64-bit sizes");

}  // namespace

BOOST_AUTO_TEST_SUITE(large_file)

BOOST_AUTO_TEST_CASE(offsets_survive_arithmetic) {
    BOOST_TEST_MESSAGE("sizeof(long) = " << sizeof(long) << ", sizeof(std::streamoff) = " << sizeof(std::streamoff));
    const auto asStreamOff = static_cast<std::streamoff>(kFarOffset);
    BOOST_TEST(static_cast<std::uint64_t>(asStreamOff) == kFarOffset);
    const std::streampos pos(asStreamOff);
    BOOST_TEST(static_cast<std::uint64_t>(std::streamoff(pos)) == kFarOffset);
    BOOST_TEST(static_cast<std::uint64_t>(std::streamoff(pos + std::streamoff{1})) == kFarOffset + 1);
    const std::uintmax_t asFileSize = kFarOffset + 1;
    BOOST_TEST(asFileSize - kFarOffset == 1u);
    // The wire carries 64-bit sizes; the largest one still converts losslessly.
    const auto maxOffset = static_cast<std::uint64_t>(std::numeric_limits<std::streamoff>::max());
    BOOST_TEST(maxOffset >= (std::uint64_t{1} << 62));
}

BOOST_AUTO_TEST_CASE(seek_past_4_gib_in_a_sparse_file) {
    TempDir dir;
    const std::string why = parley::test::whyNoFarFile(dir.path(), kFarOffset);
    BOOST_REQUIRE_MESSAGE(why.empty(), why);
    const std::filesystem::path path = dir.path() / "sparse.bin";
    const auto far = static_cast<std::streamoff>(kFarOffset);
    {
        std::fstream out(path, std::ios::out | std::ios::binary | std::ios::trunc);
        BOOST_REQUIRE(out.is_open());
        out.put('<');
        out.seekp(far);
        BOOST_REQUIRE(out);
        BOOST_TEST(static_cast<std::uint64_t>(std::streamoff(out.tellp())) == kFarOffset);
        out.put('!');
        out.close();
        BOOST_REQUIRE(!out.fail());
    }
    BOOST_TEST(std::filesystem::file_size(path) == kFarOffset + 1);

    {
        std::fstream in(path, std::ios::in | std::ios::out | std::ios::binary);
        BOOST_REQUIRE(in.is_open());
        in.seekg(0, std::ios::end);
        BOOST_TEST(static_cast<std::uint64_t>(std::streamoff(in.tellg())) == kFarOffset + 1);
        in.seekg(far);
        BOOST_TEST(in.get() == '!');
        in.seekg(far - std::streamoff{7});  // in the hole: reads as zero
        BOOST_TEST(in.get() == 0);
        in.seekg(0);
        BOOST_TEST(in.get() == '<');
        // Relative seeks across the 4 GiB line, and an overwrite out there.
        in.seekg(far - std::streamoff{1});
        in.seekg(std::streamoff{1}, std::ios::cur);
        BOOST_TEST(static_cast<std::uint64_t>(std::streamoff(in.tellg())) == kFarOffset);
        in.seekp(far);
        in.put('?');
        in.seekg(far);
        BOOST_TEST(in.get() == '?');
    }

    std::filesystem::resize_file(path, kFarOffset / 2 + 3);
    BOOST_TEST(std::filesystem::file_size(path) == kFarOffset / 2 + 3);
    BOOST_TEST(std::filesystem::remove(path));
}

BOOST_AUTO_TEST_SUITE_END()
