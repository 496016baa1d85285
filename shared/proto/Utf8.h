#pragma once
// UTF-8 checks for the wire's str fields (docs/protocol.md, "Primitive types"). On its own
// so that the byte-level reader (Wire.h) and the in-place views (Codec.h) share one check
// without one of them including the other.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace parley::proto {

/// True if `data` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool isValidUtf8(const char* data, std::size_t size);

/// The longest prefix of `s` that is at most `max` bytes and does not end
/// inside a UTF-8 sequence (for the release-build truncation of long strings).
inline std::size_t utf8PrefixLength(std::string_view s, std::size_t max) {
    if (s.size() <= max) {
        return s.size();
    }
    std::size_t n = max;
    // Step back over continuation bytes (10xxxxxx) to a sequence start.
    while (n > 0 && (static_cast<std::uint8_t>(s[n]) & 0xC0) == 0x80) {
        --n;
    }
    return n;
}

}  // namespace parley::proto
