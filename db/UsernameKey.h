#pragma once
// The one rule for when two usernames name the same account. Plain C++ interface, Qt
// inside (db/UsernameKey.cpp): the store keys its unique index with it, and the engine's
// login throttle counts failures under the same key, so a name the store would find is
// never a different account to the throttle (e.g. "Ä", "ä" and "A\u0308", or "ſam" and "sam").

#include <string>
#include <string_view>

namespace parley::db {

/// NFC (one encoding per visible name), then Unicode case folding (meant for caseless
/// matching), as UTF-8. For ASCII names this is ASCII lower case. Pure and thread-safe.
std::string usernameKey(std::string_view username);

}  // namespace parley::db
