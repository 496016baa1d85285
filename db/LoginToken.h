#pragma once
// Login tokens ("remember me"): 32 random bytes from OpenSSL RAND_bytes, written as 64
// lowercase hex characters on the wire and in client profiles. The server keeps only
// SHA-256 of that text, so a copy of its database logs no one in; checking one is a hash
// and a lookup, not PBKDF2.
// Threading: stateless; any thread.

#include "db/Result.h"
#include "db/StoreTypes.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace parley::db {

constexpr std::size_t kLoginTokenBytes = 32;     ///< random bytes in a token
constexpr std::size_t kLoginTokenTextSize = 64;  ///< its hex text
constexpr std::size_t kLoginTokenHashSize = 32;  ///< SHA-256

struct NewLoginToken {
    std::string text;  ///< what the client keeps; never stored by the server
    Bytes hash;        ///< what the server keeps
};

/// A fresh token. Error when the CSPRNG fails.
ValueResult<NewLoginToken> makeLoginToken();

/// Whether `text` has the form of a token (64 characters of 0-9 a-f).
bool looksLikeLoginToken(std::string_view text);

/// SHA-256 of the token text.
Bytes hashLoginToken(std::string_view text);

/// Constant-time equality of two hashes (false when the sizes differ).
bool sameLoginTokenHash(const Bytes& a, const Bytes& b);

}  // namespace parley::db
