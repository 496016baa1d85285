#include "shared/text/Printable.h"

#include <cstdint>

namespace parley::text {

namespace {

constexpr char kHex[] = "0123456789abcdef";

/// The length of the valid UTF-8 sequence starting at `at` and its code point,
/// or 0 when the byte there does not start one (overlong forms, surrogates and
/// values above U+10FFFF are not valid).
std::size_t decodeUtf8(std::string_view text, std::size_t at, char32_t& codePoint) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
    const unsigned char lead = byte(0);
    std::size_t length = 0;
    char32_t minimum = 0;
    if (lead < 0x80) {
        codePoint = lead;
        return 1;
    }
    if ((lead & 0xe0) == 0xc0) {
        length = 2;
        minimum = 0x80;
        codePoint = lead & 0x1fu;
    } else if ((lead & 0xf0) == 0xe0) {
        length = 3;
        minimum = 0x800;
        codePoint = lead & 0x0fu;
    } else if ((lead & 0xf8) == 0xf0) {
        length = 4;
        minimum = 0x10000;
        codePoint = lead & 0x07u;
    } else {
        return 0;
    }
    if (at + length > text.size()) return 0;
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xc0) != 0x80) return 0;
        codePoint = (codePoint << 6) | (byte(i) & 0x3fu);
    }
    if (codePoint < minimum || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return 0;
    return length;
}

bool needsUnicodeEscape(char32_t c) {
    return (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
}

void appendByteEscape(std::string& out, unsigned char byte) {
    out += "\\x";
    out += kHex[byte >> 4U];
    out += kHex[byte & 0x0fU];
}

void appendUnicodeEscape(std::string& out, char32_t c) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(c >> shift) & 0x0fU];
}

/// The next piece of output for the text at `at` (one character or one escape),
/// appended to `out`; returns how many input bytes it covered.
std::size_t appendNext(std::string& out, std::string_view text, std::size_t at, bool escapeBackslash) {
    char32_t c = 0;
    const std::size_t length = decodeUtf8(text, at, c);
    if (length == 0) {
        appendByteEscape(out, static_cast<unsigned char>(text[at]));
        return 1;
    }
    if (c == '\\' && escapeBackslash) out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c == 0x7f) appendByteEscape(out, static_cast<unsigned char>(c));
    else if (needsUnicodeEscape(c)) appendUnicodeEscape(out, c);
    else out.append(text.substr(at, length));
    return length;
}

/// Characters (code points) in valid UTF-8 `piece`.
std::size_t characters(std::string_view piece) {
    std::size_t count = 0;
    for (const char c : piece) count += (static_cast<unsigned char>(c) & 0xc0) != 0x80 ? 1 : 0;
    return count;
}

}  // namespace

std::string escapeControls(std::string_view text, bool escapeBackslash) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) at += appendNext(out, text, at, escapeBackslash);
    return out;
}

std::string printable(std::string_view text, std::size_t maxChars) {
    std::string out;
    out.reserve(text.size() < maxChars ? text.size() : maxChars);
    std::size_t written = 0;
    for (std::size_t at = 0; at < text.size();) {
        std::string piece;
        const std::size_t used = appendNext(piece, text, at, true);
        const std::size_t pieceChars = characters(piece);
        if (maxChars != 0 && written + pieceChars > maxChars) {
            out += "...[cut, " + std::to_string(text.size()) + " bytes]";
            return out;
        }
        out += piece;
        written += pieceChars;
        at += used;
    }
    return out;
}

}  // namespace parley::text
