#pragma once
// Callback types of the session area. The event interfaces (SessionListener,
// TransferHandler) are abstract classes in their own headers.

#include <cstddef>
#include <cstdint>
#include <functional>

namespace parley::session {

/// Receives bytes the host must write to the connection, in order. Called
/// synchronously from inside the ClientSession call that produced them; the
/// pointer is valid only during the call (copy or write it before returning).
using OutputCallback = std::function<void(const std::uint8_t* data, std::size_t size)>;

}  // namespace parley::session
