#include "shared/session/TextSplit.h"

#include <cassert>

namespace parley::session {

namespace {

bool isContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

/// The length of the next part of `text` from `start`.
std::size_t partLength(const std::string& text, std::size_t start, std::size_t maxBytes) {
    const std::size_t remaining = text.size() - start;
    if (remaining <= maxBytes) {
        return remaining;
    }
    std::size_t cut = maxBytes;
    // Never inside a character: back up to the start of the one at `cut`.
    while (cut > 0 && isContinuationByte(static_cast<unsigned char>(text[start + cut]))) {
        --cut;
    }
    // Prefer a word or line boundary, if one is not too far back.
    for (std::size_t at = cut; at > maxBytes / 2; --at) {
        const char c = text[start + at - 1];
        if (c == '\n' || c == ' ') {
            return at;
        }
    }
    return cut;
}

}  // namespace

std::vector<std::string> splitText(const std::string& text, std::size_t maxBytes) {
    assert(maxBytes >= 4);
    std::vector<std::string> parts;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t length = partLength(text, start, maxBytes);
        if (length == 0) {
            length = 1;  // not UTF-8 at all: still no byte lost (the session refuses it)
        }
        parts.push_back(text.substr(start, length));
        start += length;
    }
    return parts;
}

}  // namespace parley::session
