#pragma once
// The sender's side of one transfer (protocol 9.8): hash, offer, send chunks within the
// credit, a block hash after each block, FILE_DONE, wait for FILE_RESULT. Restarts from
// any FILE_ACCEPT offset; survives a cut connection (Interrupted) and re-offers with the
// same transferId, size and hash when the receiver can be reached again.
//
// Memory: at most kReadAhead chunks (reads in flight plus read but unsent), whatever the
// file size. Host thread only; owned by the TransferManager.

#include "shared/transfer/CreditAccount.h"
#include "shared/transfer/FileIo.h"
#include "shared/transfer/Transfer.h"

#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace parley::transfer {

class OutgoingTransfer final : public Transfer {
public:
    /// Chunks read ahead of the credit/socket, so that disk latency is hidden.
    static constexpr std::size_t kReadAhead = 4;

    OutgoingTransfer(TransferContext& context, TransferNumber number, UserId to, std::filesystem::path path,
                     std::string name);

    /// Starts hashing the file; the offer follows.
    void start();

    void onAccept(const proto::FileAccept& accept);
    void onReject(const proto::FileReject& reject);
    void onCredit(const proto::FileCredit& credit);
    void onResult(const proto::FileResult& result);
    void onCancel(const proto::FileCancel& cancel) override;
    void onDisconnected() override;
    /// We logged in, or the receiver came online: re-offer an interrupted transfer.
    void reoffer();
    void cancel(proto::FileCancelReason reason, const std::string& text) override;

    /// Sends at most one chunk (and its block hash, and FILE_DONE after the last); true if
    /// it sent something. The manager calls it round-robin when the socket drained.
    bool sendNext();
    /// Sends what the credit and the socket allow, and reads ahead.
    void pump();

private:
    /// As cancel(), the receiver told `peerText` and this side `localText` (a read
    /// failure's text names this computer's paths: describeForPeer()).
    void cancelWith(proto::FileCancelReason reason, const std::string& localText, const std::string& peerText);

    struct Chunk {
        std::uint64_t offset = 0;
        std::uint32_t length = 0;
        bool ready = false;
        ReadResult read;
    };

    void onHashed(HashResult result);
    void offer();
    void restartFrom(std::uint64_t offset);
    void stopStreaming();
    void readAhead();
    void onRead(std::uint32_t generation, std::uint64_t offset, ReadResult result);
    std::uint32_t chunkLengthAt(std::uint64_t offset) const;

    std::filesystem::path m_path;
    std::uint32_t m_blockSize = proto::kDefaultBlockSize;
    Sha256 m_sha256{};
    std::unique_ptr<FileSource> m_source;
    std::deque<Chunk> m_chunks;      ///< reads issued, in offset order
    std::uint64_t m_readOffset = 0;  ///< next read starts here
    CreditAccount m_credit;          ///< what we may still send since the last FILE_ACCEPT
    std::uint32_t m_generation = 0;  ///< bumped by every (re)start: older reads are dropped
    bool m_everAccepted = false;
    bool m_doneSent = false;
};

}  // namespace parley::transfer
