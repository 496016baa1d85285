// shared/files/FileName: what an offered file name becomes on the receiver's
// disk. Runs natively and, unchanged, as a Windows .exe under wine, where the
// on-disk cases meet the real Windows rules (device names, trailing dots, ADS).

#include "shared/files/FileName.h"
#include "tests/support/TempDir.h"

#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

using namespace parley::files;
using parley::test::TempDir;

namespace {

struct Case {
    std::string offered;
    std::string expected;
};

void checkAll(const std::vector<Case>& cases) {
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT("offered \"" << c.offered << "\"") {
            BOOST_TEST(sanitizeFileName(c.offered) == c.expected);
            BOOST_TEST(isSafeFileName(c.expected));
        }
    }
}

std::string repeat(const std::string& piece, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i) {
        out += piece;
    }
    return out;
}

// Independent of the library's decoder: a table-driven check of well-formed
// UTF-8 (Unicode 15, table 3-7).
bool wellFormedUtf8(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const unsigned b = static_cast<unsigned char>(s[i]);
        std::size_t len = 1;
        unsigned lo = 0x80;
        unsigned hi = 0xBF;
        if (b <= 0x7F) {
            ++i;
            continue;
        }
        if (b >= 0xC2 && b <= 0xDF) {
            len = 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            len = 3;
            lo = b == 0xE0 ? 0xA0u : 0x80u;
            hi = b == 0xED ? 0x9Fu : 0xBFu;
        } else if (b >= 0xF0 && b <= 0xF4) {
            len = 4;
            lo = b == 0xF0 ? 0x90u : 0x80u;
            hi = b == 0xF4 ? 0x8Fu : 0xBFu;
        } else {
            return false;
        }
        if (i + len > s.size()) {
            return false;
        }
        for (std::size_t k = 1; k < len; ++k) {
            const unsigned c = static_cast<unsigned char>(s[i + k]);
            const unsigned min = k == 1 ? lo : 0x80u;
            const unsigned max = k == 1 ? hi : 0xBFu;
            if (c < min || c > max) {
                return false;
            }
        }
        i += len;
    }
    return true;
}

// What every sanitised name must be, checked without the library's help
// (except for the device-name list, which has its own tests).
void checkInvariants(const std::string& offered, const std::string& name) {
    BOOST_TEST_CONTEXT("offered (" << offered.size() << " bytes) \"" << offered << "\" -> \"" << name << "\"") {
        BOOST_TEST(!name.empty());
        BOOST_TEST(name.size() <= kMaxSafeNameBytes);
        BOOST_TEST(wellFormedUtf8(name));
        BOOST_TEST(name.find_first_of("<>:\"/\\|?*") == std::string::npos);
        for (char ch : name) {
            const auto b = static_cast<unsigned char>(ch);
            BOOST_TEST((b >= 0x20 && b != 0x7F));
        }
        BOOST_TEST(name.front() != ' ');
        BOOST_TEST(name.back() != ' ');
        BOOST_TEST(name.back() != '.');
        BOOST_TEST(!isReservedDeviceName(name));
        BOOST_TEST(sanitizeFileName(name) == name);
        BOOST_TEST(partName(name) == name + ".part");
        BOOST_TEST(partName(name).size() <= kMaxFileNameBytes);
    }
}

// Reads a whole file.
std::string slurp(const std::filesystem::path& path) {
    // Not istreambuf_iterator: GCC 12 reports a false -Wnull-dereference in it.
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

void writeFile(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
    out.close();
    BOOST_REQUIRE_MESSAGE(out, "could not write " << utf8FromPath(path));
}

std::vector<std::string> listNames(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        names.push_back(utf8FromPath(entry.path().filename()));
    }
    return names;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(file_name)

BOOST_AUTO_TEST_CASE(ordinary_names_are_kept) {
    checkAll({
        {"report.pdf", "report.pdf"},
        {"holiday photo (2).JPG", "holiday photo (2).JPG"},
        {"archive.tar.gz", "archive.tar.gz"},
        {".profile", ".profile"},
        {"Отчёт за 2024.docx", "Отчёт за 2024.docx"},
        {"日本語のファイル.txt", "日本語のファイル.txt"},
        {"\xF0\x9F\x98\x80 smile.png", "\xF0\x9F\x98\x80 smile.png"},
        {"a$b%c&d'e@f#g[h]i{j}k~l.bin", "a$b%c&d'e@f#g[h]i{j}k~l.bin"},
        {"CONSOLE.log", "CONSOLE.log"},
    });
}

BOOST_AUTO_TEST_CASE(directory_parts_are_dropped) {
    checkAll({
        {"../../etc/passwd", "passwd"},
        {"/etc/passwd", "passwd"},
        {"..\\..\\x", "x"},
        {"C:\\Windows\\x", "x"},
        {"C:/Windows/System32/drivers/etc/hosts", "hosts"},
        {"\\\\server\\share\\x", "x"},
        {"\\\\?\\C:\\x.txt", "x.txt"},
        {"//?/UNC/server/share/x", "x"},
        {"a/b\\c", "c"},
        {"dir/", "dir"},
        {"dir\\\\", "dir"},
        {"../x/..", "file"},
    });
}

BOOST_AUTO_TEST_CASE(dot_names_and_empty_names_become_the_fallback) {
    checkAll({
        {"", "file"},
        {".", "file"},
        {"..", "file"},
        {"...", "file"},
        {"../..", "file"},
        {"/", "file"},
        {"\\", "file"},
        {"   ", "file"},
        {". . .", "file"},
    });
    BOOST_TEST(std::string(kFallbackName) == "file");
}

BOOST_AUTO_TEST_CASE(drive_letters_and_alternate_data_streams_are_defused) {
    checkAll({
        {"a:b", "a_b"},
        {"C:", "C_"},
        {"C:x", "C_x"},
        {"C:\\", "C_"},
        {"report.txt:hidden", "report.txt_hidden"},
        {"file.txt::$DATA", "file.txt__$DATA"},
    });
}

BOOST_AUTO_TEST_CASE(characters_windows_refuses_are_replaced) {
    checkAll({
        {"a<b>c:d\"e|f?g*h", "a_b_c_d_e_f_g_h"},
        {"what?.txt", "what_.txt"},
        {"*", "_"},
        {"\"quoted\".txt", "_quoted_.txt"},
    });
}

BOOST_AUTO_TEST_CASE(control_characters_are_replaced) {
    checkAll({
        {"line1\nline2.txt", "line1_line2.txt"},
        {"a\r\nb", "a__b"},
        {"tab\there", "tab_here"},
        {std::string("a\0b.txt", 7), "a_b.txt"},
        {"bell\x07", "bell_"},
        {"del\x7F", "del_"},
        {"c1\xC2\x85next", "c1_next"},  // U+0085 NEXT LINE
        {"esc\x1B[31mred", "esc_[31mred"},
    });
}

BOOST_AUTO_TEST_CASE(bidi_overrides_cannot_disguise_the_extension) {
    checkAll({
        {"invoice\xE2\x80\xAE"
         "fdp.exe",
         "invoice_fdp.exe"},  // U+202E RIGHT-TO-LEFT OVERRIDE
        {"a\xE2\x81\xA6"
         "b\xE2\x81\xA9",
         "a_b_"},  // U+2066, U+2069 isolates
    });
}

BOOST_AUTO_TEST_CASE(trailing_dots_and_spaces_are_removed) {
    checkAll({
        {"name.txt.", "name.txt"},
        {"name.txt . . ", "name.txt"},
        {"name ", "name"},
        {"a .", "a"},
        {"  leading.txt", "leading.txt"},
        {"dots...in...middle.txt", "dots...in...middle.txt"},
        {"..hidden", "..hidden"},
    });
}

BOOST_AUTO_TEST_CASE(reserved_device_names_get_a_prefix) {
    checkAll({
        {"CON", "_CON"},
        {"con", "_con"},
        {"Con.txt", "_Con.txt"},
        {"nul.txt", "_nul.txt"},
        {"NUL.tar.gz", "_NUL.tar.gz"},
        {"con .txt", "_con .txt"},
        {"AUX.", "_AUX"},
        {"prn ", "_prn"},
        {"COM1", "_COM1"},
        {"com9.log", "_com9.log"},
        {"LPT1", "_LPT1"},
        {"lpt0.txt", "_lpt0.txt"},
        {"COM\xC2\xB9", "_COM\xC2\xB9"},          // COM¹
        {"lpt\xC2\xB3.txt", "_lpt\xC2\xB3.txt"},  // lpt³.txt
        {"CONIN$", "_CONIN$"},
        {"conout$.txt", "_conout$.txt"},
        {"\\\\.\\COM1", "_COM1"},
        {"dir/NUL", "_NUL"},
        {"a:CON", "a_CON"},
    });
}

BOOST_AUTO_TEST_CASE(reserved_device_name_detection) {
    for (const char* name : {"CON",        "PRN",      "AUX",   "NUL",         "COM0",          "COM1",   "COM5",
                             "COM9",       "LPT0",     "LPT1",  "LPT9",        "con",           "cOn",    "nul.txt",
                             "nul.tar.gz", "con .txt", "com1.", "COM\xC2\xB2", "LPT\xC2\xB9.x", "CONIN$", "CONOUT$"}) {
        BOOST_TEST_CONTEXT(name) { BOOST_TEST(isReservedDeviceName(name)); }
    }
    for (const char* name : {"", "CONSOLE", "xCON", "CON_", "COM", "COM10", "LPT", "LPTX",
                             "COM\xC2\xB9"
                             "0",
                             "COM\xC2\xB4", "NULL.txt", "prn2", "_nul.txt", "a.con", ".nul", "CONIN"}) {
        BOOST_TEST_CONTEXT(name) { BOOST_TEST(!isReservedDeviceName(name)); }
    }
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_replaced_byte_by_byte) {
    checkAll({
        {"\xFF\xFEname", "__name"},
        {"\xC0\xAF"
         "etc",
         "__etc"},                     // overlong '/': must not act as a separator
        {"\xE0\x80\xAF", "___"},       // overlong '/' in three bytes
        {"x\xED\xA0\x80y", "x___y"},   // UTF-16 surrogate
        {"\xF4\x90\x80\x80", "____"},  // above U+10FFFF
        {"abc\xE2\x82", "abc__"},      // cut sequence at the end
        {"\xE2\x82"
         "abc",
         "__abc"},                               // cut sequence followed by ASCII
        {"\x80\xBF", "__"},                      // lone continuation bytes
        {"caf\xC3\xA9.txt", "caf\xC3\xA9.txt"},  // café.txt, valid
    });
}

BOOST_AUTO_TEST_CASE(long_names_are_cut_keeping_the_extension) {
    const std::string ascii = sanitizeFileName(std::string(300, 'a') + ".txt");
    BOOST_TEST(ascii == std::string(kMaxSafeNameBytes - 4, 'a') + ".txt");

    const std::string noExtension = sanitizeFileName(std::string(300, 'b'));
    BOOST_TEST(noExtension == std::string(kMaxSafeNameBytes, 'b'));

    // 300 bytes exactly, as the issue has it.
    const std::string threeHundred = std::string(296, 'c') + ".pdf";
    BOOST_TEST(threeHundred.size() == 300u);
    BOOST_TEST(sanitizeFileName(threeHundred).size() == kMaxSafeNameBytes);
    BOOST_TEST(sanitizeFileName(threeHundred).substr(kMaxSafeNameBytes - 4) == ".pdf");

    // An "extension" too long to be one is not kept; the cut then ends in a dot,
    // which is trimmed.
    const std::string hugeExtension = std::string(249, 'd') + "." + std::string(40, 'e');
    BOOST_TEST(sanitizeFileName(hugeExtension) == std::string(249, 'd'));
}

BOOST_AUTO_TEST_CASE(long_names_are_never_cut_inside_a_utf8_sequence) {
    const std::string emoji = "\xF0\x9F\x98\x80";  // 4 bytes
    const std::string cjk = "\xE6\x97\xA5";        // 3 bytes
    const std::string e = "\xC3\xA9";              // 2 bytes

    // 246 bytes are left for the stem: 61 emoji (244 bytes), not 61.5.
    BOOST_TEST(sanitizeFileName(repeat(emoji, 100) + ".txt") == repeat(emoji, 61) + ".txt");
    BOOST_TEST(sanitizeFileName(repeat(cjk, 100) + ".txt") == repeat(cjk, 82) + ".txt");
    BOOST_TEST(sanitizeFileName(repeat(e, 200) + ".txt") == repeat(e, 123) + ".txt");
    // No extension, odd offsets: 250 / 4 -> 62 emoji after an 'x' = 1 + 248 bytes.
    BOOST_TEST(sanitizeFileName("x" + repeat(emoji, 100)) == "x" + repeat(emoji, 62));
    // A multi-byte extension is kept whole.
    const std::string name = sanitizeFileName(std::string(300, 'a') + "." + repeat(cjk, 5));
    BOOST_TEST(name == std::string(kMaxSafeNameBytes - 16, 'a') + "." + repeat(cjk, 5));
}

BOOST_AUTO_TEST_CASE(truncation_cannot_produce_a_device_name) {
    // The cut leaves "CON" and spaces, which the trim reduces to "CON".
    BOOST_TEST(sanitizeFileName("CON" + std::string(300, ' ') + "x") == "_CON");
    // With the extension kept the cut name reads "CON    ....txt".
    const std::string kept = sanitizeFileName("CON" + std::string(300, ' ') + "x.txt");
    BOOST_TEST(kept.substr(0, 4) == "_CON");
    BOOST_TEST(kept.size() <= kMaxSafeNameBytes);
    BOOST_TEST(kept.substr(kept.size() - 4) == ".txt");
    checkInvariants("CON...x.txt", kept);
}

BOOST_AUTO_TEST_CASE(part_names) {
    BOOST_TEST(partName("a.txt") == "a.txt.part");
    BOOST_TEST(partName("../x") == "x.part");
    BOOST_TEST(partName("nul") == "_nul.part");
    const std::string longest = partName(std::string(400, 'z') + ".iso");
    BOOST_TEST(longest.size() == kMaxFileNameBytes);
    BOOST_TEST(longest.substr(longest.size() - 9) == ".iso.part");
}

BOOST_AUTO_TEST_CASE(random_hostile_names_keep_every_invariant) {
    const std::vector<std::string> pieces = {"/",
                                             "\\",
                                             ".",
                                             "..",
                                             " ",
                                             ":",
                                             "CON",
                                             "nul",
                                             "com",
                                             "LPT",
                                             "\xC2\xB9",
                                             "$",
                                             "?",
                                             "*",
                                             "<",
                                             "|",
                                             "\"",
                                             "\n",
                                             std::string(1, '\0'),
                                             "\x7F",
                                             "\xFF",
                                             "\xC0\xAF",
                                             "\xE2\x82",
                                             "\xED\xA0\x80",
                                             "\xC3\xA9",
                                             "\xE6\x97\xA5",
                                             "\xF0\x9F\x98\x80",
                                             "\xE2\x80\xAE",
                                             "a",
                                             "txt",
                                             ".txt",
                                             "C:",
                                             "\\\\server\\share\\",
                                             std::string(100, 'x'),
                                             std::string(60, ' '),
                                             std::string(30, '.'),
                                             "\xF0\x9F\x98"};
    std::mt19937 random(20240611);  // fixed: the same names every run
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    std::uniform_int_distribution<int> length(0, 12);
    for (int round = 0; round < 3000; ++round) {
        std::string offered;
        for (int n = length(random); n > 0; --n) {
            offered += pieces[pick(random)];
        }
        checkInvariants(offered, sanitizeFileName(offered));
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(unique_name)

BOOST_AUTO_TEST_CASE(free_name_is_returned_as_is) {
    const UniqueNameResult r = uniqueName([](const std::string&) { return false; }, "report.pdf");
    BOOST_TEST(r.ok());
    BOOST_TEST(r.name == "report.pdf");
}

BOOST_AUTO_TEST_CASE(taken_names_get_a_number_before_the_extension) {
    std::set<std::string> taken = {"report.pdf"};
    auto exists = [&](const std::string& name) { return taken.count(name) > 0; };

    UniqueNameResult r = uniqueName(exists, "report.pdf");
    BOOST_TEST(r.name == "report (1).pdf");
    taken.insert(r.name);
    r = uniqueName(exists, "report.pdf");
    BOOST_TEST(r.name == "report (2).pdf");

    taken = {"README", ".profile", "archive.tar.gz", "x.txt", "_nul.txt"};
    BOOST_TEST(uniqueName(exists, "README").name == "README (1)");
    BOOST_TEST(uniqueName(exists, ".profile").name == ".profile (1)");
    BOOST_TEST(uniqueName(exists, "archive.tar.gz").name == "archive.tar (1).gz");
    // The offered name is sanitised first.
    BOOST_TEST(uniqueName(exists, "../x.txt").name == "x (1).txt");
    BOOST_TEST(uniqueName(exists, "nul.txt").name == "_nul (1).txt");
    BOOST_TEST(uniqueName(exists, "..").name == "file");
}

BOOST_AUTO_TEST_CASE(numbered_names_still_fit) {
    const std::string emoji = "\xF0\x9F\x98\x80";
    const std::string longName = sanitizeFileName(repeat(emoji, 100) + ".txt");  // 248 bytes
    std::set<std::string> taken = {longName};
    auto exists = [&](const std::string& name) { return taken.count(name) > 0; };
    for (int i = 1; i <= 12; ++i) {
        const UniqueNameResult r = uniqueName(exists, longName);
        BOOST_TEST_CONTEXT("round " << i) {
            BOOST_REQUIRE(r.ok());
            const std::string suffix = " (" + std::to_string(i) + ").txt";
            BOOST_TEST(r.name.size() <= kMaxSafeNameBytes);
            BOOST_TEST(r.name.substr(r.name.size() - suffix.size()) == suffix);
            BOOST_TEST(wellFormedUtf8(r.name));
            BOOST_TEST(isSafeFileName(r.name));
            taken.insert(r.name);
        }
    }
}

BOOST_AUTO_TEST_CASE(gives_up_after_the_last_attempt) {
    unsigned calls = 0;
    const UniqueNameResult r = uniqueName(
        [&](const std::string&) {
            ++calls;
            return true;
        },
        "busy.txt");
    BOOST_TEST(!r.ok());
    BOOST_TEST((r.error == NameError::NoFreeName));
    BOOST_TEST(r.name.empty());
    BOOST_TEST(calls == kMaxUniqueAttempts + 1);
    BOOST_TEST(std::string(toString(NameError::NoFreeName)) == "no free file name");
    BOOST_TEST(std::string(toString(NameError::Filesystem)) == "file system error");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(on_disk)

BOOST_AUTO_TEST_CASE(sanitised_utf8_name_is_written_and_read_back) {
    TempDir dir;
    const std::string offered =
        "..\\..\\\xD0\x9E\xD1\x82\xD1\x87\xD1\x91\xD1\x82: \xC2\xAB"
        "final\xC2\xBB \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80?.txt. ";
    const std::string expected =
        "\xD0\x9E\xD1\x82\xD1\x87\xD1\x91\xD1\x82_ \xC2\xAB"
        "final\xC2\xBB \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80_.txt";  // Отчёт_ «final» 日本 😀_.txt
    const std::string name = sanitizeFileName(offered);
    BOOST_TEST(name == expected);

    const std::string content = std::string("hello from parley\n\x00\x01\xFF", 21);
    writeFile(dir.path() / pathFromUtf8(name), content);
    BOOST_TEST(slurp(dir.path() / pathFromUtf8(name)) == content);
    // The directory holds exactly that name: nothing was written elsewhere or
    // under a mangled (ANSI code page) name.
    BOOST_TEST(listNames(dir.path()) == std::vector<std::string>{name});
    BOOST_TEST(std::filesystem::file_size(dir.path() / pathFromUtf8(name)) == content.size());
}

BOOST_AUTO_TEST_CASE(hostile_names_land_in_the_directory_under_their_sanitised_name) {
    TempDir dir;
    const std::vector<std::string> offered = {"CON",
                                              "nul.txt",
                                              "con .txt",
                                              "COM1.log",
                                              "LPT\xC2\xB9",
                                              "a:b",
                                              "x.txt:stream",
                                              "trailing. . ",
                                              "..\\..\\escape.txt",
                                              "C:\\Windows\\win.ini",
                                              "\\\\server\\share\\y",
                                              "../../etc/passwd",
                                              "new\nline",
                                              "what?<>|*\".txt",
                                              std::string(300, 'L') + ".txt"};
    std::set<std::string> expected;
    for (const std::string& o : offered) {
        const std::string name = sanitizeFileName(o);
        BOOST_TEST_CONTEXT("offered \"" << o << "\" -> \"" << name << "\"") {
            BOOST_TEST(expected.insert(name).second);
            writeFile(dir.path() / pathFromUtf8(name), o);
            BOOST_TEST(slurp(dir.path() / pathFromUtf8(name)) == o);
        }
    }
    const std::vector<std::string> listed = listNames(dir.path());
    BOOST_TEST(std::set<std::string>(listed.begin(), listed.end()) == expected);
    BOOST_TEST(listed.size() == expected.size());
    BOOST_TEST(!std::filesystem::exists(dir.path().parent_path() / "escape.txt"));
}

BOOST_AUTO_TEST_CASE(unique_name_in_a_real_directory) {
    TempDir dir;
    const std::string offered =
        "\xC3\xBC"
        "bersicht.txt";  // übersicht.txt
    UniqueNameResult r = uniqueNameIn(dir.path(), offered);
    BOOST_REQUIRE(r.ok());
    BOOST_TEST(r.name == offered);
    writeFile(dir.path() / pathFromUtf8(r.name), "1");

    r = uniqueNameIn(dir.path(), offered);
    BOOST_REQUIRE(r.ok());
    BOOST_TEST(r.name ==
               "\xC3\xBC"
               "bersicht (1).txt");
    // A transfer in progress under that name keeps it taken.
    writeFile(dir.path() / pathFromUtf8(partName(r.name)), "partial");

    r = uniqueNameIn(dir.path(), offered);
    BOOST_REQUIRE(r.ok());
    BOOST_TEST(r.name ==
               "\xC3\xBC"
               "bersicht (2).txt");

    // A directory of the same name counts as taken too.
    std::filesystem::create_directory(dir.path() / pathFromUtf8(r.name));
    BOOST_TEST(uniqueNameIn(dir.path(), offered).name ==
               "\xC3\xBC"
               "bersicht (3).txt");
}

// Built where a user can make symlinks: Windows (and wine) refuse them to
// unprivileged users, so there it would not run, and a case that cannot run
// must not count as passed.
#ifndef _WIN32
BOOST_AUTO_TEST_CASE(dangling_symlink_counts_as_taken) {
    TempDir dir;
    std::filesystem::create_symlink(dir.path() / "nowhere" / "target", dir.path() / "link.txt");
    BOOST_TEST(!std::filesystem::exists(dir.path() / "link.txt"));
    BOOST_TEST(uniqueNameIn(dir.path(), "link.txt").name == "link (1).txt");
}
#endif

BOOST_AUTO_TEST_SUITE_END()
