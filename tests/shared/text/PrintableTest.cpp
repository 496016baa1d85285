// Text from the network made safe for logs and terminals (issue 14, finding 9:
// a LOGIN name with a newline made its own log line, raw ESC and 60 KB lines
// reached the log, and parley-cli printed ESC, BEL, CR, NUL and U+202E).
#include "shared/text/Printable.h"

#include <boost/test/unit_test.hpp>

#include <string>

using parley::text::escapeControls;
using parley::text::printable;

namespace {

/// True if `s` is valid UTF-8 (a small independent check).
bool validUtf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
        i += n;
    }
    return true;
}

bool hasControlBytes(const std::string& s) {
    for (const char c : s) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b == 0x7f) return true;
    }
    return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(printable_text)

BOOST_AUTO_TEST_CASE(ordinary_text_of_any_language_is_kept) {
    for (const char* kept : {"alice", "gr\xc3\xbc\xc3\x9f Gott", "\xe6\x97\xa5\xe6\x9c\xac", "\xf0\x9f\x98\x80 ok",
                             "a-b_c.d (1).txt", ""}) {
        BOOST_TEST(escapeControls(kept, true) == kept);
        BOOST_TEST(printable(kept) == kept);
    }
}

BOOST_AUTO_TEST_CASE(a_fake_log_line_stays_on_its_line) {
    const std::string name = "x\n2026-01-01 00:00:00 [info] admin logged in";
    const std::string out = printable(name);
    BOOST_TEST(out == "x\\n2026-01-01 00:00:00 [info] admin logged in");
    BOOST_TEST(out.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(c0_del_and_terminal_escapes_become_visible) {
    BOOST_TEST(escapeControls(std::string("a\tb\rc\x1b[2J\a\x7f", 11) + std::string(1, '\0'), false) ==
               "a\\tb\\rc\\x1b[2J\\x07\\x7f\\x00");
    BOOST_TEST(!hasControlBytes(printable(std::string("\x01\x02\x1f\x1b]0;title\x07", 11))));
}

BOOST_AUTO_TEST_CASE(c1_and_bidirectional_controls_are_escaped) {
    BOOST_TEST(escapeControls("\xc2\x85", false) == "\\u0085");  // NEL (C1)
    BOOST_TEST(escapeControls("\xc2\x9b"
                              "31m",
                              false) == "\\u009b31m");                                     // CSI (C1)
    BOOST_TEST(escapeControls("evil\xe2\x80\xaetxt.exe", false) == "evil\\u202etxt.exe");  // RLO
    BOOST_TEST(escapeControls("\xe2\x81\xa6x\xe2\x81\xa9", false) == "\\u2066x\\u2069");
    BOOST_TEST(escapeControls("\xe2\x80\x8f\xd8\x9c", false) == "\\u200f\\u061c");
    BOOST_TEST(escapeControls("a\xe2\x80\xa8z", false) == "a\\u2028z");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_becomes_byte_escapes_and_the_result_is_valid) {
    BOOST_TEST(escapeControls("\xff", false) == "\\xff");
    BOOST_TEST(escapeControls("\xc0\xaf", false) == "\\xc0\\xaf");                    // overlong '/'
    BOOST_TEST(escapeControls("\xed\xa0\x80", false) == "\\xed\\xa0\\x80");           // a surrogate
    BOOST_TEST(escapeControls("\xf4\x90\x80\x80", false) == "\\xf4\\x90\\x80\\x80");  // > U+10FFFF
    BOOST_TEST(escapeControls("ok\xe2\x82", false) == "ok\\xe2\\x82");                // truncated
    std::string everyByte;
    for (int b = 0; b < 256; ++b) everyByte += static_cast<char>(b);
    const std::string out = printable(everyByte, 0);
    BOOST_TEST(validUtf8(out));
    BOOST_TEST(!hasControlBytes(out));
}

BOOST_AUTO_TEST_CASE(backslashes_are_escaped_so_that_escapes_cannot_be_faked) {
    BOOST_TEST(printable("C:\\x1b") == "C:\\\\x1b");
    BOOST_TEST(escapeControls("C:\\dir", false) == "C:\\dir");
}

BOOST_AUTO_TEST_CASE(long_fields_are_cut_with_a_marker) {
    const std::string huge(60'000, 'a');
    const std::string out = printable(huge);
    BOOST_TEST(out == std::string(200, 'a') + "...[cut, 60000 bytes]");
    BOOST_TEST(printable(std::string(200, 'b')) == std::string(200, 'b'));  // at the limit: whole
    // Cut by characters, never inside a character or an escape.
    std::string wide;
    for (int i = 0; i < 300; ++i) wide += "\xc3\xbc";
    const std::string cutWide = printable(wide, 10);
    BOOST_TEST(validUtf8(cutWide));
    BOOST_TEST(cutWide.rfind("\xc3\xbc", 0) == 0u);
    BOOST_TEST(printable("ab\x1b"
                         "cd",
                         3) == "ab...[cut, 5 bytes]");  // the 4-char escape does not fit
    BOOST_TEST(printable(huge, 0).size() == huge.size());
}

BOOST_AUTO_TEST_SUITE_END()
