#pragma once
// An incremental SHA-256, supplied by the host: the portable core has no crypto of its
// own. The platform layer provides one on OpenSSL's EVP (platform/fileio/Sha256.h);
// tests may use any correct implementation.

#include "shared/proto/Messages.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace parley::transfer {

/// One running digest. Not thread-safe; owned by one job at a time.
class Sha256Engine {
public:
    virtual ~Sha256Engine() = default;
    virtual void update(const std::uint8_t* data, std::size_t size) = 0;
    /// The digest of everything fed since the last reset; then resets.
    virtual proto::Sha256 finish() = 0;
    virtual void reset() = 0;
    /// An independent copy of the running state (a snapshot to roll back to).
    virtual std::unique_ptr<Sha256Engine> clone() const = 0;
};

/// Makes a fresh engine; must be callable from any thread.
using Sha256Factory = std::function<std::unique_ptr<Sha256Engine>()>;

}  // namespace parley::transfer
