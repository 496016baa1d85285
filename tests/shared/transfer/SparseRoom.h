#pragma once
// Precondition of the cases that write far beyond 4 GiB: enough free space in case the file
// system does not keep the file sparse (NTFS without the sparse flag writes the zeros).

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <filesystem>
#include <system_error>

namespace parley::transfer::test {

inline boost::test_tools::assertion_result roomForSparse(boost::unit_test::test_unit_id)
{
    std::error_code ec;
    const auto info = std::filesystem::space(std::filesystem::temp_directory_path(), ec);
    boost::test_tools::assertion_result ok(!ec && info.available > (std::uint64_t{6} << 30));
    ok.message() << "needs 6 GiB free in case the file system does not do sparse files";
    return ok;
}

}  // namespace parley::transfer::test
