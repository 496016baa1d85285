#pragma once
// The receiver's side of one transfer (protocol 9.8): the user decides on the offer, the
// .part file is prepared (name, space) or re-verified (resume), credit is granted as data is
// written, each block's hash is compared with the sender's (a mismatch restarts the block,
// three fail the transfer), and FILE_DONE ends in the whole-file check and FILE_RESULT.
//
// Credit: a window of kWindow bytes (granted, not yet written) since the last FILE_ACCEPT,
// never more than the transfer needs, and never more than kMaxCreditWindow outstanding at
// the server over the whole transfer (granted minus received, counted since the offer was
// accepted: chunks still in flight from before a restart count too).
//
// Host thread only; owned by the TransferManager.

#include "shared/transfer/CreditAccount.h"
#include "shared/transfer/FileIo.h"
#include "shared/transfer/Transfer.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace parley::transfer {

class IncomingTransfer final : public Transfer {
public:
    /// Credit window after FILE_ACCEPT (protocol 9.8 rule 4: 4 MiB is typical).
    static constexpr std::uint64_t kWindow = 4 * 1024 * 1024;
    /// Failed attempts at one block before the transfer is cancelled (IoError).
    static constexpr unsigned kMaxBlockAttempts = 3;

    IncomingTransfer(TransferContext& context, TransferNumber number, UserId from, const proto::FileOffer& offer);

    const proto::FileOffer& offer() const { return m_offer; }
    /// Set once a .part exists: what is needed to resume it.
    const std::optional<ResumeRecord>& resumeRecord() const { return m_record; }

    /// The user's answer to a new offer.
    void accept(const std::filesystem::path& directory);
    void reject(proto::FileRejectReason reason, const std::string& text);
    /// Continues from `record`'s .part without asking (a re-offer, rule 9).
    void resume(const ResumeRecord& record, const proto::FileOffer& offer);
    /// A FILE_OFFER for this (sender, transferId) arrived again.
    void onReoffer(const proto::FileOffer& offer);

    void onChunk(const proto::FileChunk& chunk);
    void onBlockHash(const proto::FileBlockHash& hash);
    void onDone(const proto::FileDone& done);
    void onCancel(const proto::FileCancel& cancel) override;
    void onDisconnected() override;
    void cancel(proto::FileCancelReason reason, const std::string& text) override;

private:
    void prepare(SinkRequest request);
    void onSinkOpened(std::uint32_t generation, SinkResult result);
    void acceptFrom(std::uint64_t offset);
    void grant();
    void onWritten(std::uint32_t generation, std::uint64_t length, WriteResult result);
    void compareBlock(std::uint64_t offset);
    void restartBlock(std::uint64_t offset);
    void maybeFinish();
    void onFinished(FinishResult result);
    void interrupt();
    void violation(const std::string& text) { cancel(proto::FileCancelReason::ProtocolViolation, text); }
    /// As reject() / cancel(), the peer told `peerText` and this side `localText` (a local
    /// failure's text names this computer's paths: describeForPeer()).
    void rejectWith(proto::FileRejectReason reason, const std::string& localText, const std::string& peerText);
    void cancelWith(proto::FileCancelReason reason, const std::string& localText, const std::string& peerText);
    std::uint32_t blockLengthAt(std::uint64_t offset) const;

    proto::FileOffer m_offer;
    std::filesystem::path m_directory;
    std::optional<ResumeRecord> m_record;
    std::shared_ptr<FileSink> m_sink;
    std::uint32_t m_generation = 0;  ///< bumped by every (re)start: older completions are stale

    // Position and verification
    std::uint64_t m_expected = 0;  ///< offset of the next chunk
    std::uint64_t m_written = 0;   ///< end of the data written in this generation
    std::uint64_t m_verified = 0;  ///< end of the last contiguous verified block
    bool m_dropping = false;       ///< after a restart: drop until the chunk at m_expected
    std::map<std::uint64_t, Sha256> m_senderHashes;
    std::map<std::uint64_t, Sha256> m_writtenHashes;
    std::uint64_t m_failedBlock = 0;
    unsigned m_failures = 0;
    unsigned m_pendingWrites = 0;
    bool m_doneReceived = false;

    // Credit (see the class comment)
    std::uint64_t m_acceptOffset = 0;
    CreditAccount m_window;             ///< granted / received since the last FILE_ACCEPT
    std::uint64_t m_windowWritten = 0;  ///< ... and written
    CreditAccount m_relayed;            ///< what the server counts: since the offer was accepted
};

}  // namespace parley::transfer
