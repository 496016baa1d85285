#pragma once
// Text from the network made safe to print: in a log file, a terminal or a
// window, a peer's bytes are data, never commands. Plain C++, pure, any thread.
//
// escapeControls() leaves ordinary text (any language, emoji) as it is and
// writes, as visible escapes, what a terminal or a log reader would act on:
//   \t \n \r                     tab, newline, carriage return
//   \xNN                         other C0 controls, DEL, and every byte that is
//                                not part of valid UTF-8 (so the result is valid UTF-8)
//   \uNNNN                       C1 controls (U+0080-U+009F), the bidirectional
//                                controls (U+061C, U+200E/F, U+202A-U+202E such
//                                as the RIGHT-TO-LEFT OVERRIDE, U+2066-U+2069) and
//                                the line/paragraph separators U+2028/U+2029
//   \\                           a backslash, when asked (then the escaping can be
//                                undone exactly)
// printable() does the same with backslashes escaped and cuts a long field.

#include <cstddef>
#include <string>
#include <string_view>

namespace parley::text {

/// Characters a peer-supplied field keeps in a log line by default.
inline constexpr std::size_t kMaxFieldChars = 200;

/// See the file comment. Never fails; the result is valid UTF-8.
std::string escapeControls(std::string_view text, bool escapeBackslash);

/// escapeControls(text, true), cut after `maxChars` characters of the result
/// (escapes are never split) with "...[cut, N bytes]" appended, N being the
/// size of `text`. maxChars 0 = no cut.
std::string printable(std::string_view text, std::size_t maxChars = kMaxFieldChars);

}  // namespace parley::text
