// Primitive fields: byte order, bounds checks, UTF-8 validation.

#include <boost/test/unit_test.hpp>

#include "shared/proto/Wire.h"
#include "tests/shared/proto/ProtoTestSupport.h"

#include <string>
#include <utility>
#include <vector>

using namespace parley::proto;
using namespace parley::proto::test;

BOOST_AUTO_TEST_SUITE(wire)

BOOST_AUTO_TEST_CASE(writer_is_big_endian_whatever_the_host) {
    Bytes out;
    ByteWriter w(out);
    w.u8(0x01);
    w.u16(0x0203);
    w.u32(0x04050607);
    w.u64(0x08090A0B0C0D0E0F);
    w.boolean(true);
    w.boolean(false);
    w.str("\xC3\xA9t\xC3\xA9");
    w.str("");
    Sha256 h{};
    h[0] = 0xAA;
    h[31] = 0xBB;
    w.sha256(h);
    const std::uint8_t raw[] = {0xFE, 0xFF};
    w.bytes(raw, 2);
    w.bytes(nullptr, 0);
    BOOST_TEST(toHex(out) == toHex(hexBytes("01 0203 04050607 08090A0B0C0D0E0F 01 00"
                                            "0005 C3A974C3A9 0000"
                                            "AA000000000000000000000000000000"
                                            "000000000000000000000000000000BB"
                                            "FEFF")));
    BOOST_TEST(w.size() == out.size());
}

BOOST_AUTO_TEST_CASE(store_and_load_at_fixed_positions) {
    std::uint8_t b[8] = {};
    storeU16(b, 0xBEEF);
    BOOST_TEST(toHex(b, 2) == "BE EF");
    BOOST_TEST(loadU16(b) == 0xBEEF);
    storeU32(b, 0xDEADBEEF);
    BOOST_TEST(toHex(b, 4) == "DE AD BE EF");
    BOOST_TEST(loadU32(b) == 0xDEADBEEFu);
    storeU64(b, 0x8000000000000001);
    BOOST_TEST(toHex(b, 8) == "80 00 00 00 00 00 00 01");
    BOOST_TEST(loadU64(b) == 0x8000000000000001ull);
}

BOOST_AUTO_TEST_CASE(reader_reads_what_the_spec_says) {
    const Bytes in = hexBytes("01 0203 04050607 08090A0B0C0D0E0F 01 0003 616263 DEAD");
    ByteReader r(in.data(), in.size());
    std::uint8_t a = 0;
    std::uint16_t b = 0;
    std::uint32_t c = 0;
    std::uint64_t d = 0;
    bool e = false;
    std::string s;
    Bytes rest;
    BOOST_TEST(r.u8(a));
    BOOST_TEST(r.u16(b));
    BOOST_TEST(r.u32(c));
    BOOST_TEST(r.u64(d));
    BOOST_TEST(r.boolean(e));
    BOOST_TEST(r.str(s));
    BOOST_TEST(r.remaining() == 2u);
    BOOST_TEST(r.rest(rest));
    BOOST_TEST(a == 0x01);
    BOOST_TEST(b == 0x0203);
    BOOST_TEST(c == 0x04050607u);
    BOOST_TEST(d == 0x08090A0B0C0D0E0Full);
    BOOST_TEST(e);
    BOOST_TEST(s == "abc");
    BOOST_TEST(toHex(rest) == "DE AD");
    BOOST_TEST(r.remaining() == 0u);
    BOOST_TEST(r.ok());
    BOOST_TEST(r.rest(rest));  // nothing left is still a valid rest
    BOOST_TEST(rest.empty());
}

BOOST_AUTO_TEST_CASE(reader_checks_the_size_before_every_read) {
    const Bytes in = hexBytes("010203");
    std::uint32_t v = 0xFFFFFFFF;
    ByteReader r(in.data(), in.size());
    BOOST_TEST(!r.u32(v));
    BOOST_TEST(v == 0xFFFFFFFFu);  // untouched
    BOOST_TEST(r.error() == ProtocolError::Truncated);
    BOOST_TEST(r.remaining() == 3u);  // nothing consumed
    // The error sticks: a read that would fit fails too.
    std::uint8_t b = 0;
    BOOST_TEST(!r.u8(b));
    Bytes rest;
    BOOST_TEST(!r.rest(rest));
    BOOST_TEST(r.error() == ProtocolError::Truncated);

    ByteReader empty(nullptr, 0);
    BOOST_TEST(!empty.u8(b));
    BOOST_TEST(empty.error() == ProtocolError::Truncated);
}

BOOST_AUTO_TEST_CASE(reader_str_needs_all_its_bytes_and_valid_utf8) {
    std::string s = "keep";
    const Bytes shortStr = hexBytes("0005 616263");
    ByteReader r1(shortStr.data(), shortStr.size());
    BOOST_TEST(!r1.str(s));
    BOOST_TEST(r1.error() == ProtocolError::Truncated);
    BOOST_TEST(s == "keep");

    const Bytes badStr = hexBytes("0002 C0AF");
    ByteReader r2(badStr.data(), badStr.size());
    BOOST_TEST(!r2.str(s));
    BOOST_TEST(r2.error() == ProtocolError::InvalidUtf8);

    const Bytes lengthOnly = hexBytes("00");
    ByteReader r3(lengthOnly.data(), lengthOnly.size());
    BOOST_TEST(!r3.str(s));
    BOOST_TEST(r3.error() == ProtocolError::Truncated);
}

BOOST_AUTO_TEST_CASE(reader_bool_is_zero_or_one) {
    const Bytes in = hexBytes("00 01 02");
    ByteReader r(in.data(), in.size());
    bool v = true;
    BOOST_TEST(r.boolean(v));
    BOOST_TEST(!v);
    BOOST_TEST(r.boolean(v));
    BOOST_TEST(v);
    BOOST_TEST(!r.boolean(v));
    BOOST_TEST(r.error() == ProtocolError::InvalidValue);
}

BOOST_AUTO_TEST_CASE(reader_fixed_byte_runs) {
    const Bytes in = hexBytes("0102030405");
    ByteReader r(in.data(), in.size());
    std::uint8_t out[4] = {};
    BOOST_TEST(r.bytes(out, 4));
    BOOST_TEST(toHex(out, 4) == "01 02 03 04");
    Sha256 h{};
    BOOST_TEST(!r.sha256(h));
    BOOST_TEST(r.error() == ProtocolError::Truncated);
}

BOOST_AUTO_TEST_CASE(utf8_prefix_length_never_splits_a_character) {
    const std::string euro = "\xE2\x82\xAC";
    const std::string s = "ab" + euro + "c";  // 6 bytes
    BOOST_TEST(utf8PrefixLength(s, 10) == 6u);
    BOOST_TEST(utf8PrefixLength(s, 6) == 6u);
    BOOST_TEST(utf8PrefixLength(s, 5) == 5u);
    BOOST_TEST(utf8PrefixLength(s, 4) == 2u);
    BOOST_TEST(utf8PrefixLength(s, 3) == 2u);
    BOOST_TEST(utf8PrefixLength(s, 2) == 2u);
    BOOST_TEST(utf8PrefixLength(s, 0) == 0u);
}

BOOST_AUTO_TEST_CASE(is_valid_utf8_table) {
    const std::vector<std::pair<std::string, bool>> table = {
        {"", true},
        {"plain ASCII", true},
        {std::string("nul\0inside", 10), true},
        {"\x7F", true},
        {"\xC2\x80", true},               // U+0080, smallest 2-byte
        {"\xDF\xBF", true},               // U+07FF, largest 2-byte
        {"\xE0\xA0\x80", true},           // U+0800, smallest 3-byte
        {"\xED\x9F\xBF", true},           // U+D7FF, just below the surrogates
        {"\xEE\x80\x80", true},           // U+E000, just above them
        {"\xEF\xBF\xBF", true},           // U+FFFF
        {"\xF0\x90\x80\x80", true},       // U+10000, smallest 4-byte
        {"\xF4\x8F\xBF\xBF", true},       // U+10FFFF, the largest code point
        {"\xC0\x80", false},              // overlong NUL
        {"\xC1\xBF", false},              // overlong U+007F
        {"\xE0\x9F\xBF", false},          // overlong U+07FF
        {"\xF0\x8F\xBF\xBF", false},      // overlong U+FFFF
        {"\xED\xA0\x80", false},          // U+D800, high surrogate
        {"\xED\xBF\xBF", false},          // U+DFFF, low surrogate
        {"\xF4\x90\x80\x80", false},      // U+110000
        {"\xF5\x80\x80\x80", false},      // lead byte past U+10FFFF
        {"\xF8\x88\x80\x80\x80", false},  // 5-byte form
        {"\xFE", false},
        {"\xFF", false},
        {"\x80", false},  // lone continuation
        {"a\xBF"
         "b",
         false},
        {"\xC3", false},              // truncated 2-byte
        {"\xE2\x82", false},          // truncated 3-byte
        {"\xF0\x9F\x91", false},      // truncated 4-byte
        {"\xE2\x28\xA1", false},      // bad second byte
        {"\xE2\x82\x28", false},      // bad third byte
        {"\xF0\x9F\x91\x28", false},  // bad fourth byte
    };
    for (const auto& [text, valid] : table) {
        BOOST_TEST_CONTEXT(toHex(Bytes(text.begin(), text.end()))) {
            BOOST_TEST(isValidUtf8(text.data(), text.size()) == valid);
        }
    }
}

BOOST_AUTO_TEST_CASE(is_valid_utf8_at_every_position_of_a_long_string) {
    // The validator skips ASCII 8 bytes at a time: put the interesting byte
    // at every alignment, and at the very end.
    for (std::size_t pos = 0; pos < 40; ++pos) {
        BOOST_TEST_CONTEXT("position " << pos) {
            std::string bad(40, 'a');
            bad[pos] = '\x80';
            BOOST_TEST(!isValidUtf8(bad.data(), bad.size()));
            std::string good(40, 'a');
            good.insert(pos, "\xF0\x9F\x91\x8B");
            BOOST_TEST(isValidUtf8(good.data(), good.size()));
            std::string cut = std::string(pos, 'a') + "\xF0\x9F\x91";
            BOOST_TEST(!isValidUtf8(cut.data(), cut.size()));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
