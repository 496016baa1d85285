#pragma once
// PBKDF2-HMAC-SHA256 password hashing with a random 16-byte salt per user.
//
// Cost: a hash or verify at the default 600,000 iterations takes ~135 ms of one core, so
// the server runs it on StorePool workers, never on an I/O thread.
// Threading: stateless apart from the configured iteration count; any thread.
// The password is only read; it is never stored, logged or copied into a result.

#include "db/Result.h"
#include "db/StoreTypes.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace parley::db {

class PasswordHasher {
public:
    /// OWASP Password Storage Cheat Sheet (2023 revision): PBKDF2-HMAC-SHA256 with
    /// 600,000 iterations.
    static constexpr std::uint32_t kDefaultIterations = 600000;
    static constexpr std::size_t kSaltSize = 16;
    static constexpr std::size_t kHashSize = 32;

    explicit PasswordHasher(std::uint32_t iterations = kDefaultIterations);

    std::uint32_t iterations() const { return m_iterations; }

    /// A fresh record: new salt from the CSPRNG (OpenSSL RAND_bytes), this hasher's
    /// iteration count. Error when the CSPRNG or the KDF fails.
    ValueResult<PasswordRecord> hash(std::string_view password) const;

    /// Recomputes with the record's salt and iterations and compares in constant time.
    /// false for a wrong password or a malformed record (no salt, a hash that is not
    /// kHashSize bytes, zero iterations).
    bool verify(std::string_view password, const PasswordRecord& record) const;

    /// True when the record uses fewer iterations than this hasher (re-hash at login).
    bool needsRehash(const PasswordRecord& record) const;

    /// Raw PBKDF2-HMAC-SHA256 (for test vectors). Empty on failure or iterations == 0.
    static Bytes pbkdf2Sha256(std::string_view password, const Bytes& salt, std::uint32_t iterations,
                              std::size_t length);

private:
    std::uint32_t m_iterations;
};

}  // namespace parley::db
