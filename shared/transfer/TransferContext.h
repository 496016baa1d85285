#pragma once
// What one transfer (OutgoingTransfer, IncomingTransfer) needs from the TransferManager
// that owns it. Internal to shared/transfer.

#include "shared/transfer/FileIo.h"
#include "shared/transfer/TransferListener.h"

#include <cstdint>
#include <filesystem>

namespace parley::transfer {

class TransferContext {
public:
    virtual ~TransferContext() = default;
    virtual FileIo& io() = 0;
    virtual TransferListener& listener() = 0;
    /// Where incoming transfers keep their resume state (empty: nowhere).
    virtual const std::filesystem::path& stateDirectory() const = 0;
    /// Sends a FILE_* message; false if not logged in (nothing sent).
    virtual bool send(UserId to, const proto::Body& body) = 0;
    /// True while the host's socket backlog is small enough for another chunk (chat and
    /// control frames are never held back).
    virtual bool canSendChunk() const = 0;
    virtual bool loggedIn() const = 0;
    /// The host's monotonic clock as of the last tick.
    virtual std::uint64_t nowMs() const = 0;
    /// Picks an outgoing transferId not used by another of our transfers, `wanted` if free.
    virtual TransferId allocateOutgoingId(TransferId wanted) = 0;
    /// Bracket a FileIo completion: on the outermost leave() the manager removes finished
    /// transfers (never while one of their methods is still running).
    virtual void enter() = 0;
    virtual void leave() = 0;
};

}  // namespace parley::transfer
