#include "shared/files/FileName.h"

#include <array>
#include <string>

namespace parley::files {

namespace {

// An extension longer than this is not kept on truncation: it is more likely
// the bulk of a hostile name than a real file type.
constexpr std::size_t kMaxKeptExtensionBytes = 32;

bool isSeparator(char c) { return c == '/' || c == '\\'; }

bool isAsciiSpaceOrDot(char c) { return c == ' ' || c == '.'; }

// The last non-empty component of `offered`, split on both separators: a name
// is judged the same whichever system it came from.
std::string_view lastComponent(std::string_view offered) {
    std::size_t end = offered.size();
    while (end > 0 && isSeparator(offered[end - 1])) {
        --end;
    }
    std::size_t begin = end;
    while (begin > 0 && !isSeparator(offered[begin - 1])) {
        --begin;
    }
    return offered.substr(begin, end - begin);
}

unsigned byteAt(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

// Length of the well-formed UTF-8 sequence starting at s[i] (Unicode table 3-7:
// no overlongs, no surrogates, nothing above U+10FFFF) with its code point in
// `cp`; 0 if the bytes there are not one.
std::size_t decodeUtf8(std::string_view s, std::size_t i, char32_t& cp) {
    const unsigned b0 = byteAt(s, i);
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    std::size_t len = 0;
    unsigned lo = 0x80;
    unsigned hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        if (b0 == 0xE0) lo = 0xA0;  // overlong
        if (b0 == 0xED) hi = 0x9F;  // surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        if (b0 == 0xF0) lo = 0x90;  // overlong
        if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
        return 0;
    }
    if (s.size() - i < len) {
        return 0;
    }
    char32_t value = b0 & (0x7Fu >> len);
    for (std::size_t k = 1; k < len; ++k) {
        const unsigned b = byteAt(s, i + k);
        if (b < (k == 1 ? lo : 0x80u) || b > (k == 1 ? hi : 0xBFu)) {
            return 0;
        }
        value = (value << 6) | (b & 0x3Fu);
    }
    cp = value;
    return len;
}

bool mustReplace(char32_t cp) {
    constexpr std::string_view kWindowsInvalid = "<>:\"/\\|?*";
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
        return true;
    }
    if (cp < 0x80 && kWindowsInvalid.find(static_cast<char>(cp)) != std::string_view::npos) {
        return true;
    }
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// Step 2 of sanitizeFileName(): a copy of `leaf` with every invalid byte and
// every unwanted character replaced; the result is valid UTF-8.
std::string replaceUnsafe(std::string_view leaf) {
    std::string out;
    out.reserve(leaf.size());
    std::size_t i = 0;
    while (i < leaf.size()) {
        char32_t cp = 0;
        const std::size_t len = decodeUtf8(leaf, i, cp);
        if (len == 0) {
            out += kReplacementChar;
            ++i;
            continue;
        }
        if (mustReplace(cp)) {
            out += kReplacementChar;
        } else {
            out.append(leaf.substr(i, len));
        }
        i += len;
    }
    return out;
}

void trimTrailingDotsAndSpaces(std::string& name) {
    while (!name.empty() && isAsciiSpaceOrDot(name.back())) {
        name.pop_back();
    }
}

void trim(std::string& name) {
    const std::size_t first = name.find_first_not_of(' ');
    name.erase(0, first == std::string::npos ? name.size() : first);
    trimTrailingDotsAndSpaces(name);
}

char asciiUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

bool equalsIgnoringAsciiCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (asciiUpper(a[i]) != asciiUpper(b[i])) {
            return false;
        }
    }
    return true;
}

// Shortens valid UTF-8 to at most `maxBytes` without cutting a sequence.
void truncateUtf8(std::string& s, std::size_t maxBytes) {
    if (s.size() <= maxBytes) {
        return;
    }
    std::size_t cut = maxBytes;
    while (cut > 0 && (byteAt(s, cut) & 0xC0u) == 0x80u) {
        --cut;
    }
    s.resize(cut);
}

// Where the extension of a sanitised name starts: its last dot, unless that is
// the first character (".profile") or the extension is too long to be one.
std::size_t extensionPos(std::string_view name) {
    const std::size_t dot = name.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || name.size() - dot > kMaxKeptExtensionBytes) {
        return name.size();
    }
    return dot;
}

// "stem" + suffix + ".ext" in at most `maxBytes`, shortening the stem (or,
// with no room for it, the whole) on a UTF-8 boundary.
std::string withSuffixInLimit(std::string_view name, std::string_view suffix, std::size_t maxBytes) {
    const std::size_t dot = extensionPos(name);
    std::string stem(name.substr(0, dot));
    const std::string_view ext = name.substr(dot);
    if (ext.size() + suffix.size() < maxBytes) {
        truncateUtf8(stem, maxBytes - ext.size() - suffix.size());
        stem.append(suffix);
        stem.append(ext);
        return stem;
    }
    std::string whole = stem + std::string(suffix) + std::string(ext);
    truncateUtf8(whole, maxBytes);
    return whole;
}

// Step 4 of sanitizeFileName(). Truncation may leave a dot or space at the
// end; it cannot undo steps 1-3 (the start of the name stays as it was).
void fitInLimit(std::string& name) {
    if (name.size() > kMaxSafeNameBytes) {
        name = withSuffixInLimit(name, {}, kMaxSafeNameBytes);
        trimTrailingDotsAndSpaces(name);
    }
}

}  // namespace

bool isReservedDeviceName(std::string_view name) {
    static constexpr std::array<std::string_view, 6> kNames = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"};
    // Superscript one, two, three in UTF-8: U+00B9, U+00B2, U+00B3.
    static constexpr std::array<std::string_view, 3> kSuperscripts = {"\xC2\xB9", "\xC2\xB2", "\xC2\xB3"};

    std::string_view base = name.substr(0, name.find('.'));
    while (!base.empty() && base.back() == ' ') {
        base.remove_suffix(1);
    }
    for (std::string_view reserved : kNames) {
        if (equalsIgnoringAsciiCase(base, reserved)) {
            return true;
        }
    }
    if (base.size() < 4 ||
        !(equalsIgnoringAsciiCase(base.substr(0, 3), "COM") || equalsIgnoringAsciiCase(base.substr(0, 3), "LPT"))) {
        return false;
    }
    const std::string_view digit = base.substr(3);
    if (digit.size() == 1 && digit[0] >= '0' && digit[0] <= '9') {
        return true;
    }
    for (std::string_view superscript : kSuperscripts) {
        if (digit == superscript) {
            return true;
        }
    }
    return false;
}

std::string sanitizeFileName(std::string_view offered) {
    std::string name = replaceUnsafe(lastComponent(offered));
    trim(name);
    fitInLimit(name);
    if (isReservedDeviceName(name)) {
        // Checked after truncation, which can turn "CON     ...x" into "CON".
        // The prefix cannot make a name reserved again, only too long.
        name.insert(name.begin(), kReplacementChar);
        fitInLimit(name);
    }
    if (name.empty()) {
        name = kFallbackName;
    }
    return name;
}

bool isSafeFileName(std::string_view name) { return sanitizeFileName(name) == name; }

std::string partName(std::string_view name) { return sanitizeFileName(name).append(kPartSuffix); }

std::filesystem::path pathFromUtf8(std::string_view utf8) { return std::filesystem::u8path(utf8.begin(), utf8.end()); }

std::string utf8FromPath(const std::filesystem::path& path) { return path.u8string(); }

const char* toString(NameError error) {
    switch (error) {
    case NameError::None: return "none";
    case NameError::NoFreeName: return "no free file name";
    case NameError::Filesystem: return "file system error";
    }
    return "unknown name error";
}

UniqueNameResult uniqueName(const ExistsFn& exists, std::string_view name) {
    const std::string safe = sanitizeFileName(name);
    UniqueNameResult result;
    if (!exists(safe)) {
        result.name = safe;
        return result;
    }
    for (unsigned n = 1; n <= kMaxUniqueAttempts; ++n) {
        // A candidate starts and ends as `safe` does, so it is safe too; the
        // sanitiser still has the last word in case that reasoning ever breaks.
        std::string candidate =
            sanitizeFileName(withSuffixInLimit(safe, " (" + std::to_string(n) + ")", kMaxSafeNameBytes));
        if (!exists(candidate)) {
            result.name = std::move(candidate);
            return result;
        }
    }
    result.error = NameError::NoFreeName;
    return result;
}

UniqueNameResult uniqueNameIn(const std::filesystem::path& dir, std::string_view name) {
    std::error_code firstError;
    // symlink_status, not exists(): a dangling symlink must count as taken, or
    // writing "to it" would create its target wherever that points. After an
    // error every name counts as taken, which ends the search without I/O.
    auto taken = [&](const std::string& leaf) {
        if (firstError) {
            return true;
        }
        for (const std::string& candidate : {leaf, leaf + std::string(kPartSuffix)}) {
            std::error_code ec;
            const auto status = std::filesystem::symlink_status(dir / pathFromUtf8(candidate), ec);
            if (status.type() == std::filesystem::file_type::not_found) {
                continue;
            }
            if (ec && !firstError) {
                firstError = ec;
            }
            return true;
        }
        return false;
    };
    UniqueNameResult result = uniqueName(taken, name);
    if (firstError) {
        result.name.clear();
        result.error = NameError::Filesystem;
        result.systemError = firstError;
    }
    return result;
}

}  // namespace parley::files
