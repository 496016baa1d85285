#pragma once
// The credit of one file transfer (docs/protocol.md 9.8 rule 4): FILE_CREDIT bytes granted
// against FILE_CHUNK data bytes used. Every side keeps its accounts with it: the sender
// (what it may still send since the last FILE_ACCEPT), the receiver (its window since that
// accept, and what the server has relayed over the whole transfer), the server's relay
// (the whole transfer: chunks sent before a new FILE_ACCEPT may still be on the way, so it
// does not restart at an accept) and the test relay that checks all of them.
//
// A plain value: no thread, no I/O. Nothing throws.

#include "shared/proto/Messages.h"

#include <cstdint>

namespace parley::transfer {

class CreditAccount {
public:
    /// FILE_CREDIT: `bytes` more may be used.
    void grant(std::uint64_t bytes) { m_granted += bytes; }

    /// True if granting `bytes` more leaves at most `window` granted and not yet used
    /// (the server's rule: kMaxCreditWindow outstanding per transfer).
    bool canGrant(std::uint64_t bytes, std::uint64_t window = proto::kMaxCreditWindow) const {
        return bytes <= room(window);
    }

    /// What may still be granted before `window` bytes are outstanding.
    std::uint64_t room(std::uint64_t window = proto::kMaxCreditWindow) const {
        return window > available() ? window - available() : 0;
    }

    /// FILE_CHUNK data: counts `bytes` as used. False, counting nothing, if they go beyond
    /// the credit granted.
    [[nodiscard]] bool spend(std::uint64_t bytes) {
        if (bytes > available()) return false;
        m_spent += bytes;
        return true;
    }

    /// Counts `bytes` as used even beyond the credit: for a side that only follows what
    /// another side checks (a receiver counting what the server relayed, stale chunks too).
    void record(std::uint64_t bytes) { m_spent += bytes; }

    /// Granted and not yet used (0 if more was used than granted).
    std::uint64_t available() const { return m_granted > m_spent ? m_granted - m_spent : 0; }
    std::uint64_t granted() const { return m_granted; }
    std::uint64_t spent() const { return m_spent; }

    /// Starts again at zero (a FILE_ACCEPT for a window since that accept; a new offer).
    void reset() { *this = CreditAccount{}; }

private:
    std::uint64_t m_granted = 0;
    std::uint64_t m_spent = 0;
};

}  // namespace parley::transfer
