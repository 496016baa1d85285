#pragma once
// Long texts as several messages, never truncated.

#include <cstddef>
#include <string>
#include <vector>

namespace parley::session {

/// Splits UTF-8 `text` into parts of at most `maxBytes` bytes each, cutting only
/// between characters: at the last line break or space in the second half of
/// a part if there is one (it stays at the end of that part), else after the last
/// whole character. Concatenating the parts gives `text` back exactly.
/// A text that fits is returned as one part; an empty text as none.
/// `maxBytes` must be at least 4 (one character).
std::vector<std::string> splitText(const std::string& text, std::size_t maxBytes);

}  // namespace parley::session
