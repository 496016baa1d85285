#pragma once
// A byte count as people read it, for the texts the protocol clients show or send.

#include <cstdint>
#include <string>

namespace parley::text {

/// "999 B", "12.3 KB", "45.6 MB", "1.2 GB" (decimal units, as file managers show them).
std::string formatBytes(std::uint64_t bytes);

}  // namespace parley::text
