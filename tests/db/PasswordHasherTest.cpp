#include "db/PasswordHasher.h"

#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

using parley::db::Bytes;
using parley::db::PasswordHasher;
using parley::db::PasswordRecord;

namespace {

Bytes bytes(const std::string& text) { return Bytes(text.begin(), text.end()); }

Bytes fromHex(const std::string& hex) {
    Bytes out;
    std::string digits;
    for (char c : hex) {
        if (c != ' ' && c != '\n') digits += c;
    }
    for (std::size_t i = 0; i + 1 < digits.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(password_hasher)

// RFC 7914 (scrypt), section 11: test vectors for PBKDF2 with HMAC-SHA-256.
BOOST_AUTO_TEST_CASE(matches_the_rfc_7914_vectors) {
    BOOST_TEST(PasswordHasher::pbkdf2Sha256("passwd", bytes("salt"), 1, 64) ==
               fromHex("55 ac 04 6e 56 e3 08 9f ec 16 91 c2 25 44 b6 05"
                       "f9 41 85 21 6d de 04 65 e6 8b 9d 57 c2 0d ac bc"
                       "49 ca 9c cc f1 79 b6 45 99 16 64 b3 9d 77 ef 31"
                       "7c 71 b8 45 b1 e3 0b d5 09 11 20 41 d3 a1 97 83"));
    BOOST_TEST(PasswordHasher::pbkdf2Sha256("Password", bytes("NaCl"), 80000, 64) ==
               fromHex("4d dc d8 f6 0b 98 be 21 83 0c ee 5e f2 27 01 f9"
                       "64 1a 44 18 d0 4c 04 14 ae ff 08 87 6b 34 ab 56"
                       "a1 d4 25 a1 22 58 33 54 9a db 84 1b 51 c9 b3 17"
                       "6a 27 2b de bb a1 d0 78 47 8f 62 b3 97 f3 3c 8d"));
    BOOST_TEST(PasswordHasher::pbkdf2Sha256("x", bytes("salt"), 0, 32).empty());
}

BOOST_AUTO_TEST_CASE(verifies_the_right_password_only) {
    const PasswordHasher hasher;  // the default cost, as the server uses it
    BOOST_TEST(hasher.iterations() == 600000u);
    const auto record = hasher.hash("correct horse battery staple");
    BOOST_REQUIRE(record.ok());
    BOOST_TEST(record.value.salt.size() == PasswordHasher::kSaltSize);
    BOOST_TEST(record.value.hash.size() == PasswordHasher::kHashSize);
    BOOST_TEST(record.value.iterations == 600000u);
    BOOST_TEST(hasher.verify("correct horse battery staple", record.value));
    BOOST_TEST(!hasher.verify("correct horse battery staplE", record.value));
}

BOOST_AUTO_TEST_CASE(salts_differ_and_records_are_self_describing) {
    const PasswordHasher cheap(1000);
    std::set<Bytes> salts;
    std::set<Bytes> hashes;
    for (int i = 0; i < 20; ++i) {
        const auto record = cheap.hash("same password");
        BOOST_REQUIRE(record.ok());
        salts.insert(record.value.salt);
        hashes.insert(record.value.hash);
    }
    BOOST_TEST(salts.size() == 20u);
    BOOST_TEST(hashes.size() == 20u);

    // A record made with other settings verifies with its own salt and count.
    const auto old = PasswordHasher(500).hash("pw");
    BOOST_REQUIRE(old.ok());
    BOOST_TEST(cheap.verify("pw", old.value));
    BOOST_TEST(cheap.needsRehash(old.value));
    BOOST_TEST(!PasswordHasher(500).needsRehash(old.value));
}

BOOST_AUTO_TEST_CASE(malformed_records_never_verify) {
    const PasswordHasher hasher(1000);
    auto record = hasher.hash("");
    BOOST_REQUIRE(record.ok());
    BOOST_TEST(hasher.verify("", record.value));  // an empty password is still hashed
    PasswordRecord broken = record.value;
    broken.iterations = 0;
    BOOST_TEST(!hasher.verify("", broken));
    broken = record.value;
    broken.salt.clear();
    BOOST_TEST(!hasher.verify("", broken));
    broken = record.value;
    broken.hash.clear();
    BOOST_TEST(!hasher.verify("", broken));
    broken = record.value;
    broken.hash.pop_back();  // a shorter hash is a different hash
    BOOST_TEST(!hasher.verify("", broken));
}

BOOST_AUTO_TEST_SUITE_END()
