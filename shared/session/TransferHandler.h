#pragma once
// The plug-in point for the file-transfer state machine.

#include "shared/proto/Messages.h"

#include <cstdint>

namespace parley::session {

/// Receives every FILE_* message (FILE_OFFER .. FILE_BLOCK_HASH) and the
/// session's lifecycle, so transfers can pause on disconnect and resume after
/// re-login. Install it with ClientSession::setTransferHandler(); it answers
/// through ClientSession::sendFileMessage(). Called on the host's thread from
/// inside ClientSession calls; the same re-entrancy rules as SessionListener.
///
/// Without a handler the session declines every FILE_OFFER (FILE_REJECT
/// Declined) so the sender is not left waiting, and ignores the other FILE_*
/// messages.
class TransferHandler {
public:
    virtual ~TransferHandler() = default;

    /// A FILE_* message; header.source is the peer. `body` holds the
    /// alternative matching header.type.
    virtual void onFileMessage(const proto::Header& header, const proto::Body& body) = 0;

    /// The session logged in (first time or after a reconnect).
    virtual void onLoggedIn() {}

    /// The connection closed: nothing can be sent until onLoggedIn().
    virtual void onDisconnected() {}

    /// PRESENCE: `peer` is online (again): an interrupted transfer to it may re-offer.
    virtual void onPeerOnline(proto::UserId /*peer*/) {}

    /// From ClientSession::tick() while logged in: drives transfer timeouts. `nowMs` is the
    /// session's monotonic clock.
    virtual void onTick(std::uint64_t /*nowMs*/) {}
};

}  // namespace parley::session
