#pragma once
// The account and message rules the server enforces (documented in
// docs/protocol.md, "Limits"). Pure functions, shared by register and login.

#include "db/UsernameKey.h"
#include "shared/proto/Messages.h"
#include "shared/proto/ProtocolError.h"

#include <cstdint>

#include <string>
#include <string_view>

namespace parley::server {

constexpr std::size_t kUsernameMin = 3;
constexpr std::size_t kUsernameMax = 32;
constexpr std::size_t kPasswordMin = 8;
constexpr std::size_t kPasswordMax = 1024;
constexpr std::size_t kDisplayNameMax = 64;
constexpr std::size_t kTextMax = 16 * 1024;

/// 3..32 of [A-Za-z0-9_.-], starting with a letter or digit.
bool isValidUsername(std::string_view username);
/// 8..1024 bytes (already valid UTF-8: the codec checked).
bool isValidPassword(std::string_view password);
/// At most 64 bytes and no control characters; may be empty.
bool isValidDisplayName(std::string_view displayName);
/// 1..16384 bytes.
bool isValidText(std::string_view text);

/// Ok, or the status that explains the first rule a REGISTER breaks.
proto::AuthStatus checkRegistration(const proto::Register& request);

/// The key under which usernames are unique is the store's (NFC plus case folding): the
/// login throttle must count a failure against the account the store would have found.
using db::usernameKey;

}  // namespace parley::server
