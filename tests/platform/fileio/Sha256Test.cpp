// OpenSSL SHA-256 against known vectors (FIPS 180-4 examples; sha256sum for 1 MiB of zeros).

#include "platform/fileio/Sha256.h"
#include "shared/transfer/TransferTypes.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using parley::fileio::Sha256;
using parley::transfer::toHex;

BOOST_AUTO_TEST_SUITE(sha256)

BOOST_AUTO_TEST_CASE(known_vectors) {
    BOOST_TEST(toHex(Sha256::of("", 0)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    BOOST_TEST(toHex(Sha256::of("abc", 3)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const std::vector<char> zeros(1024 * 1024, '\0');
    // head -c 1048576 /dev/zero | sha256sum
    BOOST_TEST(toHex(Sha256::of(zeros.data(), zeros.size())) ==
               "30e14955ebf1352266dc2ff8067e68104607e750abb9d3b36582b8af909fcb58");
}

BOOST_AUTO_TEST_CASE(clone_is_a_snapshot_and_finish_resets) {
    Sha256 sha;
    sha.update(reinterpret_cast<const std::uint8_t*>("ab"), 2);
    auto snapshot = sha.clone();
    sha.update(reinterpret_cast<const std::uint8_t*>("X"), 1);
    snapshot->update(reinterpret_cast<const std::uint8_t*>("c"), 1);
    BOOST_TEST(toHex(snapshot->finish()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha.finish();
    sha.update(reinterpret_cast<const std::uint8_t*>("abc"), 3);
    BOOST_TEST(toHex(sha.finish()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_SUITE_END()
