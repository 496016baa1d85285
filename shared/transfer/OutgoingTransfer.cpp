#include "shared/transfer/OutgoingTransfer.h"

#include "shared/files/FileName.h"

#include <algorithm>
#include <utility>

namespace parley::transfer {

using proto::FileCancelReason;

OutgoingTransfer::OutgoingTransfer(TransferContext& context, TransferNumber number, UserId to,
                                   std::filesystem::path path, std::string name)
    : Transfer(context, number, Direction::Outgoing, to), m_path(std::move(path)) {
    m_info.name = name.empty() ? files::utf8FromPath(m_path.filename()) : std::move(name);
    m_info.path = files::utf8FromPath(m_path);
    m_info.state = TransferState::Hashing;
}

void OutgoingTransfer::start() {
    m_context.io().hashFile(m_path, completion<HashResult>([this](HashResult r) { onHashed(std::move(r)); }));
}

void OutgoingTransfer::onHashed(HashResult result) {
    if (finished()) {
        return;
    }
    if (result.error != IoError::None) {
        finish(cancelledOutcome(FileCancelReason::IoError, result.text, true));
        return;
    }
    m_info.size = result.size;
    m_sha256 = result.sha256;
    m_info.sha256 = result.sha256;
    m_info.transferId = m_context.allocateOutgoingId(deriveTransferId(m_sha256, m_info.peer, m_info.name));
    m_source = m_context.io().openSource(m_path, m_info.size, m_blockSize);
    offer();
}

void OutgoingTransfer::offer() {
    stopStreaming();
    if (!m_context.loggedIn()) {
        setState(TransferState::Interrupted);  // offered after the next login
        return;
    }
    m_context.send(m_info.peer, proto::FileOffer{m_info.transferId, m_info.name, m_info.size, m_sha256, m_blockSize});
    setState(TransferState::Offered);
}

void OutgoingTransfer::reoffer() {
    if (m_info.state == TransferState::Interrupted) {
        offer();
    }
}

void OutgoingTransfer::onAccept(const proto::FileAccept& accept) {
    if (m_info.state != TransferState::Offered && m_info.state != TransferState::Active &&
        m_info.state != TransferState::Finishing) {
        return;
    }
    if (accept.offset > m_info.size) {
        cancel(FileCancelReason::ProtocolViolation, "FILE_ACCEPT beyond the end of the file");
        return;
    }
    m_info.resumed = m_info.resumed || m_everAccepted || accept.offset > 0;
    m_everAccepted = true;
    m_context.listener().onTransferAccepted(m_info, accept.offset);
    restartFrom(accept.offset);
}

void OutgoingTransfer::restartFrom(std::uint64_t offset) {
    // Rule 8: a FILE_ACCEPT (re)starts at its offset with no credit; reads issued for the
    // old position are dropped when they complete.
    stopStreaming();
    m_readOffset = offset;
    m_info.done = offset;
    setState(TransferState::Active);
    pump();
}

void OutgoingTransfer::stopStreaming() {
    ++m_generation;
    m_chunks.clear();
    m_credit.reset();
    m_doneSent = false;
}

void OutgoingTransfer::onReject(const proto::FileReject& reject) {
    if (m_info.state != TransferState::Offered) {
        return;
    }
    // A receiver that is offline is only "not yet" for a transfer it already accepted once:
    // it has a .part to resume, and its PRESENCE Online brings the re-offer.
    if (reject.reason == proto::FileRejectReason::PeerOffline && m_everAccepted) {
        setState(TransferState::Interrupted);
        return;
    }
    finish(rejectedOutcome(reject.reason, reject.text, false));
}

void OutgoingTransfer::onCredit(const proto::FileCredit& credit) {
    if (m_info.state != TransferState::Active) {
        return;
    }
    m_credit.grant(credit.bytes);
    progressed();
    pump();
}

void OutgoingTransfer::onResult(const proto::FileResult& result) {
    if (m_info.state != TransferState::Finishing && m_info.state != TransferState::Active) {
        return;
    }
    TransferOutcome outcome;
    outcome.kind = result.status == proto::FileResultStatus::Verified ? OutcomeKind::Verified : OutcomeKind::Failed;
    outcome.resultStatus = result.status;
    outcome.text = result.text;
    finish(std::move(outcome));
}

void OutgoingTransfer::onCancel(const proto::FileCancel& cancel) {
    if (finished() || m_info.state == TransferState::Hashing) {
        return;
    }
    if (cancel.reason == FileCancelReason::PeerDisconnected) {
        stopStreaming();
        setState(TransferState::Interrupted);
        return;
    }
    finish(cancelledOutcome(cancel.reason, cancel.text, false));
}

void OutgoingTransfer::onDisconnected() {
    if (m_info.state == TransferState::Offered || m_info.state == TransferState::Active ||
        m_info.state == TransferState::Finishing) {
        stopStreaming();
        setState(TransferState::Interrupted);
    }
}

void OutgoingTransfer::cancel(FileCancelReason reason, const std::string& text) { cancelWith(reason, text, text); }

void OutgoingTransfer::cancelWith(FileCancelReason reason, const std::string& localText, const std::string& peerText) {
    if (finished()) {
        return;
    }
    // A copy: the caller's text may live in a chunk that stopStreaming() frees.
    const std::string text = localText;
    // The server knows the transfer from the offer on, until an interruption.
    const bool serverKnows = m_info.state == TransferState::Offered || m_info.state == TransferState::Active ||
                             m_info.state == TransferState::Finishing;
    if (serverKnows) {
        m_context.send(m_info.peer, proto::FileCancel{m_info.transferId, reason, peerText});
    }
    stopStreaming();
    finish(cancelledOutcome(reason, text, true));
}

std::uint32_t OutgoingTransfer::chunkLengthAt(std::uint64_t offset) const {
    const std::uint64_t blockEnd = offset - offset % m_blockSize + m_blockSize;
    const std::uint64_t end = std::min({blockEnd, m_info.size, offset + proto::kMaxChunkData});
    return static_cast<std::uint32_t>(end - offset);
}

void OutgoingTransfer::readAhead() {
    while (m_chunks.size() < kReadAhead && m_readOffset < m_info.size) {
        Chunk chunk;
        chunk.offset = m_readOffset;
        chunk.length = chunkLengthAt(m_readOffset);
        m_readOffset += chunk.length;
        m_chunks.push_back(chunk);
        m_source->read(chunk.offset, chunk.length,
                       completion<ReadResult>([this, generation = m_generation, offset = chunk.offset](ReadResult r) {
                           onRead(generation, offset, std::move(r));
                       }));
    }
}

void OutgoingTransfer::onRead(std::uint32_t generation, std::uint64_t offset, ReadResult result) {
    if (generation != m_generation || m_info.state != TransferState::Active) {
        return;
    }
    const auto chunk =
        std::find_if(m_chunks.begin(), m_chunks.end(), [offset](const Chunk& c) { return c.offset == offset; });
    if (chunk == m_chunks.end()) {
        return;
    }
    chunk->ready = true;
    chunk->read = std::move(result);
    pump();
}

bool OutgoingTransfer::sendNext() {
    if (m_info.state != TransferState::Active || m_doneSent) {
        return false;
    }
    if (m_info.done == m_info.size) {
        m_context.send(m_info.peer, proto::FileDone{m_info.transferId, m_info.size});
        m_doneSent = true;
        setState(TransferState::Finishing);
        progressed();
        return true;
    }
    if (m_chunks.empty() || !m_chunks.front().ready) {
        readAhead();
        return false;
    }
    Chunk& chunk = m_chunks.front();
    if (chunk.read.error != IoError::None) {
        cancelWith(FileCancelReason::IoError, chunk.read.text, describeForPeer(chunk.read.error));
        return false;
    }
    if (!m_context.canSendChunk() || !m_credit.spend(chunk.length)) {
        return false;
    }
    const std::uint64_t end = chunk.offset + chunk.length;
    const std::optional<Sha256> blockHash = chunk.read.blockHash;
    m_context.send(m_info.peer, proto::FileChunk{m_info.transferId, chunk.offset, std::move(chunk.read.data)});
    if (blockHash) {
        const std::uint64_t blockStart = (end - 1) - (end - 1) % m_blockSize;
        m_context.send(m_info.peer, proto::FileBlockHash{m_info.transferId, blockStart,
                                                         static_cast<std::uint32_t>(end - blockStart), *blockHash});
    }
    m_info.done = end;
    m_chunks.pop_front();
    readAhead();
    reportProgress();
    return true;
}

void OutgoingTransfer::pump() {
    readAhead();
    while (sendNext()) {}
}

}  // namespace parley::transfer
