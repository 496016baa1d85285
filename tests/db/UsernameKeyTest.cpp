// The one rule for "same account" (db/UsernameKey.h), beyond ASCII: names that differ only
// in case or in Unicode normalisation have one key; names that look different do not.
#include "db/UsernameKey.h"

#include <boost/test/unit_test.hpp>

#include <string>

using parley::db::usernameKey;

namespace {
// Spelled as bytes so that no editor or compiler normalises them.
const std::string kUpperAUmlaut = "\xC3\x84";        // U+00C4 Ä, precomposed
const std::string kLowerAUmlaut = "\xC3\xA4";        // U+00E4 ä, precomposed
const std::string kCombiningDiaeresis = "\xCC\x88";  // U+0308, after a base letter
const std::string kLongS = "\xC5\xBF";               // U+017F ſ, folds to s
const std::string kKelvinSign = "\xE2\x84\xAA";      // U+212A, NFC makes it K
}  // namespace

BOOST_AUTO_TEST_SUITE(username_key)

BOOST_AUTO_TEST_CASE(ascii_names_are_lower_cased) {
    BOOST_TEST(usernameKey("Alice.B-2") == "alice.b-2");
    BOOST_TEST(usernameKey("ALICE") == usernameKey("alice"));
    BOOST_TEST(usernameKey("alice") != usernameKey("alicf"));
}

BOOST_AUTO_TEST_CASE(case_and_normalisation_do_not_make_another_name) {
    const std::string key = usernameKey(kLowerAUmlaut + "rger");
    BOOST_TEST(key == kLowerAUmlaut + "rger");  // NFC, folded
    BOOST_TEST(usernameKey(kUpperAUmlaut + "rger") == key);
    BOOST_TEST(usernameKey("A" + kCombiningDiaeresis + "rger") == key);
    BOOST_TEST(usernameKey("a" + kCombiningDiaeresis + "RGER") == key);
}

BOOST_AUTO_TEST_CASE(compatibility_letters_fold_onto_ascii_names) {
    BOOST_TEST(usernameKey(kLongS + "am") == "sam");
    BOOST_TEST(usernameKey(kKelvinSign + "ate") == "kate");
}

BOOST_AUTO_TEST_CASE(different_letters_stay_different) {
    BOOST_TEST(usernameKey(kUpperAUmlaut + "rger") != usernameKey("Arger"));
    BOOST_TEST(usernameKey("") == "");
}

BOOST_AUTO_TEST_SUITE_END()
