// db/LoginToken: making, recognising and hashing login tokens.
#include "db/LoginToken.h"

#include <boost/test/unit_test.hpp>

#include <set>

using namespace parley::db;

BOOST_AUTO_TEST_SUITE(login_token)

BOOST_AUTO_TEST_CASE(tokens_are_64_hex_characters_and_all_different) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        auto token = makeLoginToken();
        BOOST_REQUIRE(token.ok());
        BOOST_TEST(looksLikeLoginToken(token.value.text), token.value.text);
        BOOST_TEST(token.value.hash.size() == kLoginTokenHashSize);
        BOOST_TEST(sameLoginTokenHash(token.value.hash, hashLoginToken(token.value.text)));
        seen.insert(token.value.text);
    }
    BOOST_TEST(seen.size() == 100u);
}

BOOST_AUTO_TEST_CASE(the_hash_is_sha256_of_the_text) {
    // echo -n 'abc' | sha256sum
    const Bytes hash = hashLoginToken("abc");
    const Bytes expected{0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
                         0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
                         0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    BOOST_TEST(hash == expected);
}

BOOST_AUTO_TEST_CASE(only_the_exact_form_is_a_token) {
    const std::string good(64, 'a');
    BOOST_TEST(looksLikeLoginToken(good));
    BOOST_TEST(!looksLikeLoginToken(std::string(63, 'a')));
    BOOST_TEST(!looksLikeLoginToken(std::string(65, 'a')));
    BOOST_TEST(!looksLikeLoginToken(std::string(64, 'A')));  // lowercase only
    BOOST_TEST(!looksLikeLoginToken(std::string(64, 'g')));
    BOOST_TEST(!looksLikeLoginToken(""));
}

BOOST_AUTO_TEST_CASE(hash_comparison_needs_equal_sizes) {
    BOOST_TEST(!sameLoginTokenHash(Bytes{1, 2}, Bytes{1, 2, 3}));
    BOOST_TEST(!sameLoginTokenHash(Bytes{}, Bytes{}));
    BOOST_TEST(sameLoginTokenHash(Bytes{1, 2}, Bytes{1, 2}));
    BOOST_TEST(!sameLoginTokenHash(Bytes{1, 2}, Bytes{1, 3}));
}

BOOST_AUTO_TEST_SUITE_END()
