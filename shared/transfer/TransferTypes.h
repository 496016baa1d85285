#pragma once
// Value types of the file-transfer state machine (see TransferManager.h): what a
// transfer is, where it stands, and how it ended.

#include "shared/proto/Messages.h"

#include <cstdint>
#include <string>

namespace parley::transfer {

using proto::Sha256;
using proto::TransferId;
using proto::UserId;

/// A transfer's number in this client: 1, 2, 3, ... in the order they appeared. It is what a
/// user types (/accept 3); the wire identifies transfers by (sender, transferId) instead.
using TransferNumber = std::uint32_t;

enum class Direction : std::uint8_t {
    Outgoing,  ///< we send the file
    Incoming,  ///< we receive it
};

/// Where a transfer stands. Outgoing: Hashing -> Offered -> Active -> Finishing -> Finished;
/// Incoming: Offered (the user decides) -> Preparing -> Active -> Finishing -> Finished.
/// Interrupted: a connection was cut; it resumes when both sides are online again.
enum class TransferState : std::uint8_t {
    Hashing,      ///< outgoing: computing the whole file's SHA-256 before the offer
    Offered,      ///< outgoing: waiting for the answer; incoming: waiting for the user
    Preparing,    ///< incoming: checking the name and space, or re-verifying a .part file
    Active,       ///< chunks flow
    Finishing,    ///< outgoing: FILE_DONE sent, waiting for FILE_RESULT; incoming: verifying
    Interrupted,  ///< a side disconnected; waits for the re-offer (resume)
    Finished,     ///< ended; see TransferOutcome
};

/// How a transfer ended.
enum class OutcomeKind : std::uint8_t {
    Verified,   ///< the receiver has every byte and the whole-file SHA-256 matched
    Rejected,   ///< FILE_REJECT: see rejectReason
    Cancelled,  ///< FILE_CANCEL (sent or received): see cancelReason
    Failed,     ///< FILE_RESULT other than Verified: see resultStatus
};

struct TransferOutcome {
    OutcomeKind kind = OutcomeKind::Verified;
    proto::FileRejectReason rejectReason = proto::FileRejectReason::Declined;
    proto::FileCancelReason cancelReason = proto::FileCancelReason::ByUser;
    proto::FileResultStatus resultStatus = proto::FileResultStatus::Verified;
    bool local = false;  ///< this side decided it (our reject/cancel, our verification)
    std::string text;    ///< detail: the peer's or server's text, or ours
    std::string path;    ///< incoming: where the file (or data kept aside) is, UTF-8
};

/// One transfer as the UI sees it (a snapshot).
struct TransferInfo {
    TransferNumber number = 0;
    Direction direction = Direction::Outgoing;
    UserId peer = 0;
    TransferId transferId = 0;  ///< 0 while an outgoing file is still being hashed
    std::string name;           ///< the offered name (incoming: as offered, not yet sanitised)
    std::string path;           ///< outgoing: the source; incoming: the .part or final file
    std::uint64_t size = 0;
    Sha256 sha256{};         ///< whole file; outgoing: once hashed, incoming: as offered
    std::uint64_t done = 0;  ///< bytes sent (outgoing) or written and verified (incoming)
    TransferState state = TransferState::Hashing;
    bool resumed = false;  ///< continued after an interruption
};

/// Outcomes of a FILE_CANCEL / FILE_REJECT (sent by us if `local`).
TransferOutcome cancelledOutcome(proto::FileCancelReason reason, std::string text, bool local);
TransferOutcome rejectedOutcome(proto::FileRejectReason reason, std::string text, bool local);

const char* toString(Direction direction);
const char* toString(TransferState state);
const char* toString(OutcomeKind kind);

/// One line for people: "verified", "declined by the receiver: busy", "cancelled by the
/// peer (peer disconnected)", "hash mismatch: data kept in x.mismatch.part", ...
std::string describe(const TransferOutcome& outcome);

/// The id an outgoing offer uses: derived from the file's hash, the receiver and the name,
/// so that sending the same file again (another run) finds the receiver's .part and
/// resumes. Never 0.
TransferId deriveTransferId(const Sha256& sha256, UserId receiver, const std::string& name);

/// Lower-case hex of a digest, and back (false unless exactly 64 hex digits).
std::string toHex(const Sha256& digest);
bool fromHex(const std::string& hex, Sha256& digest);

}  // namespace parley::transfer
