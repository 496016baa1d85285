#pragma once
// What the transfer state machine tells the UI. Called on the host thread from inside
// TransferManager calls (or FileIo completions); a listener may call back into the
// manager (accept, reject, cancel) from any of these.

#include "shared/transfer/TransferTypes.h"

#include <cstdint>

namespace parley::transfer {

class TransferListener {
public:
    virtual ~TransferListener() = default;

    /// A new incoming offer: answer with TransferManager::accept() or reject(). (A re-offer
    /// of an interrupted transfer is resumed without asking.)
    virtual void onIncomingOffer(const TransferInfo& info) = 0;

    /// The transfer ended (also refused or cancelled). The transfer is gone afterwards.
    virtual void onTransferFinished(const TransferInfo& info, const TransferOutcome& outcome) = 0;

    /// state changed (e.g. Offered -> Active, Active -> Interrupted).
    virtual void onTransferStateChanged(const TransferInfo& /*info*/) {}

    /// More bytes were sent / written (info.done); at most every few chunks.
    virtual void onTransferProgress(const TransferInfo& /*info*/) {}

    /// Outgoing: the receiver sent FILE_ACCEPT(offset): a start, a resume or a restart.
    virtual void onTransferAccepted(const TransferInfo& /*info*/, std::uint64_t /*offset*/) {}
};

}  // namespace parley::transfer
