#pragma once
// Blanks (spaces, tabs, CR, LF) off both ends of a line or an entry: the server's config
// file, a client's server list. (db/ has its own two: it depends on nothing of ours.)

#include <string>
#include <string_view>

namespace parley::text {

std::string trimmed(std::string_view text);

}  // namespace parley::text
