#pragma once
// The server's table of file transfers in progress (docs/protocol.md 9.8):
// who sends to whom, whether the receiver accepted, and the credit account of
// each transfer. Sessions ask it for a verdict on every FILE_* frame they
// receive and act on it (relay, refuse, cancel both sides); the table never
// calls into a session.
//
// A transfer is keyed by (sender id, transferId). Each entry keeps weak
// handles to the sender's and the receiver's sessions: they identify which
// connection may send which frame (a user logged in twice is two sessions; the
// old one's transfers end with it) and let one side reach the other, which may
// live on another I/O loop.
//
// Rules applied here (9.8 rules 4 and 12):
//   - the sender sends FILE_CHUNK, FILE_BLOCK_HASH, FILE_DONE, FILE_CANCEL;
//     the receiver FILE_ACCEPT, FILE_REJECT, FILE_CREDIT, FILE_RESULT,
//     FILE_CANCEL. Anything else, or an unknown transfer: Unknown / WrongSide.
//   - before FILE_ACCEPT only FILE_ACCEPT, FILE_REJECT and FILE_CANCEL are
//     taken: NotAccepted.
//   - FILE_CHUNK data <= kMaxChunkData, inside the file, and the chunk bytes
//     relayed over the whole transfer never exceed the FILE_CREDIT relayed;
//     FILE_CREDIT never leaves more than kMaxCreditWindow outstanding.
//     A breach is a Violation: the transfer is forgotten at once.
//   - FILE_RESULT, FILE_REJECT and FILE_CANCEL end the transfer.
//
// Threading: every method may be called from any thread. One mutex guards the
// table; it is taken once per frame (a chunk carries up to 256 KiB), which is
// cheap next to copying the chunk. Errors are verdicts, nothing throws.

#include "server-gui/engine/ServerStats.h"
#include "shared/proto/Messages.h"
#include "shared/transfer/CreditAccount.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace parley::server {

class Session;

class FileRelay {
public:
    using SessionPtr = std::shared_ptr<Session>;

    struct Key {
        proto::UserId sender = 0;
        proto::TransferId id = 0;
        bool operator<(const Key& other) const {
            return sender != other.sender ? sender < other.sender : id < other.id;
        }
    };

    /// What the store learnt about a transfer's earlier row (a resume), shared
    /// between the store jobs of one transfer. Those jobs run in order on one
    /// store worker (keyed by the sender), so the fields need no lock.
    struct StoreNote {
        bool resumed = false;  ///< the offer matched an Interrupted row (size and sha256)
    };

    enum class OfferResult {
        Added,
        Duplicate,  ///< (sender, transferId) is already in progress
        TooMany,    ///< the sender has maxPerSender transfers already
    };

    enum class Outcome {
        Relay,        ///< pass the frame on to `peerSession`
        Unknown,      ///< no such transfer between these two: ERROR InvalidMessage
        WrongSide,    ///< the frame belongs to the other side's role: ERROR InvalidMessage
        NotAccepted,  ///< a data-phase frame before FILE_ACCEPT: ERROR InvalidMessage
        Violation,    ///< chunk or credit rule broken; the transfer is forgotten: cancel both
    };

    struct Verdict {
        Outcome outcome = Outcome::Unknown;
        Key key{};
        proto::UserId peer = 0;  ///< the other side's user id
        SessionPtr peerSession;  ///< empty if that session is gone already
        bool ended = false;      ///< the transfer was forgotten by this frame
        std::shared_ptr<StoreNote> note;
        std::string why;  ///< for refusals and violations, in words
    };

    /// Forgotten because one of its sessions ended.
    struct Dropped {
        Key key{};
        proto::UserId peer = 0;  ///< the side that remains
        SessionPtr peerSession;  ///< empty if that one is gone too
    };

    /// `stats` gets transfersActive kept up to date; it must outlive the table.
    explicit FileRelay(ServerStats& stats) : m_stats(stats) {}
    FileRelay(const FileRelay&) = delete;
    FileRelay& operator=(const FileRelay&) = delete;

    /// True if (sender, id) is in progress.
    bool contains(proto::UserId sender, proto::TransferId id) const;

    /// Records an offer that passed the other pre-flight checks, in state
    /// Offered. `maxPerSender` 0 = no limit. `note` receives the new entry's note.
    OfferResult offer(proto::UserId sender, proto::TransferId id, const SessionPtr& senderSession,
                      proto::UserId receiver, const SessionPtr& receiverSession, std::uint64_t size,
                      std::uint32_t maxPerSender, std::shared_ptr<StoreNote>* note = nullptr);

    /// The verdict on a FILE_* frame other than FILE_OFFER that `from` (user
    /// `fromId`) sent with destination `to`. `offset`: FILE_CHUNK offset;
    /// `amount`: FILE_CHUNK data length or FILE_CREDIT bytes (else 0).
    Verdict onFrame(const SessionPtr& from, proto::UserId fromId, proto::UserId to, proto::MessageType type,
                    proto::TransferId id, std::uint64_t offset = 0, std::uint64_t amount = 0);

    /// Forgets every transfer `session` takes part in (it is closing).
    std::vector<Dropped> dropSession(const SessionPtr& session);

    /// Both sides of a transfer the operator aborts.
    struct Aborted {
        proto::UserId receiver = 0;
        SessionPtr senderSession;    ///< empty if gone
        SessionPtr receiverSession;  ///< empty if gone
    };
    /// Forgets (sender, id). False if it is not in progress.
    bool abort(proto::UserId sender, proto::TransferId id, Aborted& aborted);

    /// Transfers in progress (offered or accepted), and those of one sender.
    std::size_t size() const;
    std::size_t countFor(proto::UserId sender) const;

private:
    struct Entry {
        proto::UserId receiver = 0;
        std::weak_ptr<Session> senderSession;
        std::weak_ptr<Session> receiverSession;
        std::uint64_t size = 0;
        bool accepted = false;
        transfer::CreditAccount credit;  ///< FILE_CREDIT against FILE_CHUNK relayed, whole transfer
        std::shared_ptr<StoreNote> note;
    };
    using Table = std::map<Key, Entry>;

    Verdict apply(Table::iterator it, bool fromSender, proto::MessageType type, std::uint64_t offset,
                  std::uint64_t amount);
    void eraseLocked(Table::iterator it);

    ServerStats& m_stats;
    mutable std::mutex m_mutex;
    Table m_table;
    std::unordered_map<proto::UserId, std::size_t> m_perSender;
};

}  // namespace parley::server
