#pragma once
// What the operator sees of file transfers: one entry per transfer in progress
// or ended in the last hour (FileRelay forgets a transfer when it ends; this
// keeps its story). Sessions report the events they relay; Server::transfers()
// reads a copy.
//
// A re-offer of a transfer that was interrupted (same sender and transfer id)
// continues its entry and counts a resume.
//
// Threading: every method may be called from any thread; one mutex, taken once
// per event (a chunk is one event, up to 256 KiB).

#include "shared/proto/Header.h"
#include "shared/proto/Messages.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace parley::server {

struct TransferInfo {
    enum class State : std::uint8_t { Offered, InProgress, Verified, Failed, Cancelled, Declined, Interrupted };

    proto::UserId sender = 0;
    proto::UserId receiver = 0;
    proto::TransferId id = 0;
    std::string fileName;  ///< as the receiver sees it (sanitised)
    std::uint64_t size = 0;
    std::uint64_t startOffset = 0;   ///< where the current attempt started (FILE_ACCEPT offset)
    std::uint64_t relayed = 0;       ///< chunk bytes relayed in the current attempt
    std::uint64_t relayedTotal = 0;  ///< ... over every attempt
    std::uint64_t offeredAtMs = 0;   ///< Unix milliseconds, first offer
    std::uint64_t acceptedAtMs = 0;  ///< the current attempt's FILE_ACCEPT; 0 before
    std::uint64_t endedAtMs = 0;     ///< 0 while in progress
    std::uint32_t resumes = 0;
    State state = State::Offered;
    std::string result;  ///< in words once ended: "verified", "cancelled by the receiver: ..."

    bool ended() const { return endedAtMs != 0; }
};

const char* toString(TransferInfo::State state);

class TransferLog {
public:
    /// How long an ended transfer stays listed.
    static constexpr std::uint64_t kKeepEndedMs = 3'600'000;
    /// Ended transfers kept at most (the oldest go first), so that the log stays
    /// bounded also when nobody reads it (headless) and peers start many transfers.
    static constexpr std::size_t kMaxEnded = 2'000;

    void offered(proto::UserId sender, proto::TransferId id, proto::UserId receiver, std::string fileName,
                 std::uint64_t size, std::uint64_t nowMs);
    void accepted(proto::UserId sender, proto::TransferId id, std::uint64_t offset, std::uint64_t nowMs);
    void relayed(proto::UserId sender, proto::TransferId id, std::uint64_t bytes);
    void ended(proto::UserId sender, proto::TransferId id, TransferInfo::State state, std::string result,
               std::uint64_t nowMs);

    /// Every entry, oldest offer first; drops those ended more than kKeepEndedMs before `nowMs`.
    std::vector<TransferInfo> snapshot(std::uint64_t nowMs);

private:
    using Key = std::pair<proto::UserId, proto::TransferId>;
    /// Drops ended entries older than kKeepEndedMs, then the oldest beyond kMaxEnded.
    void pruneLocked(std::uint64_t nowMs);
    std::mutex m_mutex;
    std::map<Key, TransferInfo> m_entries;
};

/// The state and words for a transfer ended by `body` (FILE_RESULT, FILE_REJECT or
/// FILE_CANCEL) that the sender (`fromSender`) or the receiver sent.
std::pair<TransferInfo::State, std::string> transferOutcome(const proto::Body& body, bool fromSender);

}  // namespace parley::server
