#include "shared/transfer/TransferTypes.h"

namespace parley::transfer {

namespace {

TransferOutcome endedAs(OutcomeKind kind, std::string text, bool local) {
    TransferOutcome outcome;
    outcome.kind = kind;
    outcome.local = local;
    outcome.text = std::move(text);
    return outcome;
}

}  // namespace

TransferOutcome cancelledOutcome(proto::FileCancelReason reason, std::string text, bool local) {
    TransferOutcome outcome = endedAs(OutcomeKind::Cancelled, std::move(text), local);
    outcome.cancelReason = reason;
    return outcome;
}

TransferOutcome rejectedOutcome(proto::FileRejectReason reason, std::string text, bool local) {
    TransferOutcome outcome = endedAs(OutcomeKind::Rejected, std::move(text), local);
    outcome.rejectReason = reason;
    return outcome;
}

const char* toString(Direction direction) { return direction == Direction::Outgoing ? "outgoing" : "incoming"; }

const char* toString(TransferState state) {
    switch (state) {
    case TransferState::Hashing: return "hashing";
    case TransferState::Offered: return "offered";
    case TransferState::Preparing: return "preparing";
    case TransferState::Active: return "active";
    case TransferState::Finishing: return "finishing";
    case TransferState::Interrupted: return "interrupted";
    case TransferState::Finished: return "finished";
    }
    return "unknown";
}

const char* toString(OutcomeKind kind) {
    switch (kind) {
    case OutcomeKind::Verified: return "verified";
    case OutcomeKind::Rejected: return "rejected";
    case OutcomeKind::Cancelled: return "cancelled";
    case OutcomeKind::Failed: return "failed";
    }
    return "unknown";
}

namespace {

std::string rejectText(proto::FileRejectReason reason) {
    switch (reason) {
    case proto::FileRejectReason::Declined: return "declined";
    case proto::FileRejectReason::TooLarge: return "refused: the file is too large for the server";
    case proto::FileRejectReason::TooManyTransfers: return "refused: too many transfers at once";
    case proto::FileRejectReason::NoSpace: return "refused: not enough disk space at the receiver";
    case proto::FileRejectReason::PeerOffline: return "refused: the receiver is offline";
    case proto::FileRejectReason::InvalidName: return "refused: the file name is not usable";
    case proto::FileRejectReason::Unavailable: return "refused: the server cannot take transfers now";
    }
    return "refused";
}

std::string cancelText(proto::FileCancelReason reason) {
    switch (reason) {
    case proto::FileCancelReason::ByUser: return "by the user";
    case proto::FileCancelReason::PeerDisconnected: return "peer disconnected";
    case proto::FileCancelReason::IoError: return "I/O error";
    case proto::FileCancelReason::Timeout: return "no progress (timeout)";
    case proto::FileCancelReason::ProtocolViolation: return "protocol violation";
    case proto::FileCancelReason::Operator: return "by the server operator";
    }
    return "unknown reason";
}

}  // namespace

std::string describe(const TransferOutcome& outcome) {
    std::string line;
    switch (outcome.kind) {
    case OutcomeKind::Verified: line = "verified"; break;
    case OutcomeKind::Rejected: line = rejectText(outcome.rejectReason); break;
    case OutcomeKind::Cancelled:
        line = std::string(outcome.local ? "cancelled here (" : "cancelled by the peer (") +
               cancelText(outcome.cancelReason) + ")";
        break;
    case OutcomeKind::Failed:
        line = outcome.resultStatus == proto::FileResultStatus::HashMismatch
                   ? "hash mismatch: the received data differs from the offer"
                   : "the receiver could not write the file";
        break;
    }
    if (!outcome.text.empty()) {
        line += ": " + outcome.text;
    }
    return line;
}

TransferId deriveTransferId(const Sha256& sha256, UserId receiver, const std::string& name) {
    // FNV-1a over everything that identifies "the same send": stable across runs.
    std::uint64_t hash = 14695981039346656037ULL;
    const auto mix = [&hash](std::uint8_t byte) {
        hash ^= byte;
        hash *= 1099511628211ULL;
    };
    for (std::uint8_t byte : sha256) {
        mix(byte);
    }
    for (int shift = 24; shift >= 0; shift -= 8) {
        mix(static_cast<std::uint8_t>(receiver >> shift));
    }
    for (char c : name) {
        mix(static_cast<std::uint8_t>(c));
    }
    return hash == 0 ? 1 : hash;
}

std::string toHex(const Sha256& digest) {
    static const char* const kDigits = "0123456789abcdef";
    std::string hex;
    hex.reserve(digest.size() * 2);
    for (std::uint8_t byte : digest) {
        hex += kDigits[byte >> 4U];
        hex += kDigits[byte & 0x0FU];
    }
    return hex;
}

bool fromHex(const std::string& hex, Sha256& digest) {
    if (hex.size() != digest.size() * 2) {
        return false;
    }
    const auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < digest.size(); ++i) {
        const int high = nibble(hex[2 * i]);
        const int low = nibble(hex[2 * i + 1]);
        if (high < 0 || low < 0) {
            return false;
        }
        digest[i] = static_cast<std::uint8_t>((high << 4) | low);
    }
    return true;
}

}  // namespace parley::transfer
