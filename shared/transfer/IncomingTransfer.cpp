#include "shared/transfer/IncomingTransfer.h"

#include "shared/files/FileName.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace parley::transfer {

using proto::FileCancelReason;

IncomingTransfer::IncomingTransfer(TransferContext& context, TransferNumber number, UserId from,
                                   const proto::FileOffer& offer)
    : Transfer(context, number, Direction::Incoming, from), m_offer(offer) {
    m_info.transferId = offer.transferId;
    m_info.name = offer.fileName;
    m_info.size = offer.size;
    m_info.sha256 = offer.sha256;
    m_info.state = TransferState::Offered;
}

// ---- answering the offer ------------------------------------------------------------

void IncomingTransfer::accept(const std::filesystem::path& directory) {
    if (m_info.state != TransferState::Offered) {
        return;
    }
    m_directory = directory;
    prepare(SinkRequest{directory, m_info.peer, m_offer, std::nullopt, m_context.stateDirectory()});
}

void IncomingTransfer::reject(proto::FileRejectReason reason, const std::string& text) {
    rejectWith(reason, text, text);
}

void IncomingTransfer::rejectWith(proto::FileRejectReason reason, const std::string& localText,
                                  const std::string& peerText) {
    if (m_info.state != TransferState::Offered && m_info.state != TransferState::Preparing) {
        return;
    }
    ++m_generation;  // a sink still being opened is closed (and deleted) when it arrives
    m_context.send(m_info.peer, proto::FileReject{m_info.transferId, reason, peerText});
    finish(rejectedOutcome(reason, localText, true));
}

void IncomingTransfer::resume(const ResumeRecord& record, const proto::FileOffer& offer) {
    m_offer = offer;
    m_directory = record.directory;
    m_record = record;
    m_info.resumed = true;
    prepare(SinkRequest{record.directory, m_info.peer, offer, record, m_context.stateDirectory()});
}

void IncomingTransfer::onReoffer(const proto::FileOffer& offer) {
    switch (m_info.state) {
    case TransferState::Offered: return;  // still up to the user
    case TransferState::Preparing:
    case TransferState::Active:
        interrupt();  // we missed the cut (our reconnect was quicker than the news)
        break;
    case TransferState::Interrupted: break;
    case TransferState::Hashing:
    case TransferState::Finishing:
    case TransferState::Finished: return;
    }
    if (m_record) {
        resume(*m_record, offer);
    } else {
        m_offer = offer;
        m_info.resumed = true;
        prepare(SinkRequest{m_directory, m_info.peer, offer, std::nullopt, m_context.stateDirectory()});
    }
}

void IncomingTransfer::prepare(SinkRequest request) {
    setState(TransferState::Preparing);
    const std::uint32_t generation = ++m_generation;
    m_context.io().openSink(std::move(request), completion<SinkResult>([this, generation](SinkResult r) {
                                onSinkOpened(generation, std::move(r));
                            }));
}

void IncomingTransfer::onSinkOpened(std::uint32_t generation, SinkResult result) {
    if (generation != m_generation || m_info.state != TransferState::Preparing) {
        if (result.sink) {
            result.sink->close(finished());  // kept for a resume unless the transfer ended
        }
        return;
    }
    if (result.error == IoError::NotFound && m_record) {
        // The folder of the resume was deleted: a new offer, asked again (not refused).
        m_record.reset();
        m_info.resumed = false;
        m_info.path.clear();
        m_info.done = 0;
        setState(TransferState::Offered);
        m_context.listener().onIncomingOffer(m_info);
        return;
    }
    if (result.error != IoError::None) {
        const proto::FileRejectReason reason = result.error == IoError::InvalidName
                                                   ? proto::FileRejectReason::InvalidName
                                               : result.error == IoError::NoSpace ? proto::FileRejectReason::NoSpace
                                                                                  : proto::FileRejectReason::Declined;
        // NoSpace and InvalidName say it themselves; Declined needs the words.
        rejectWith(reason, result.text,
                   reason == proto::FileRejectReason::Declined ? describeForPeer(result.error) : std::string());
        return;
    }
    m_sink = std::move(result.sink);
    m_record = result.record;
    m_info.path = result.partPath;
    m_verified = result.offset;
    m_relayed.reset();  // a new transfer at the server
    m_failures = 0;
    acceptFrom(result.offset);
}

void IncomingTransfer::acceptFrom(std::uint64_t offset) {
    ++m_generation;
    m_expected = offset;
    m_written = offset;
    m_info.done = offset;
    m_acceptOffset = offset;
    m_window.reset();
    m_windowWritten = 0;
    m_senderHashes.clear();
    m_writtenHashes.clear();
    m_doneReceived = false;
    m_dropping = false;
    m_context.send(m_info.peer, proto::FileAccept{m_info.transferId, offset});
    setState(TransferState::Active);
    progressed();
    grant();
}

void IncomingTransfer::grant() {
    if (m_info.state != TransferState::Active) {
        return;
    }
    const std::uint64_t need = m_info.size - m_acceptOffset - m_window.granted();
    const std::uint64_t inWindow = m_window.granted() - m_windowWritten;
    if (need == 0 || inWindow >= kWindow) {
        return;
    }
    const std::uint64_t bytes = std::min({kWindow - inWindow, need, m_relayed.room()});
    // Grants go out in quarters of the window, not per chunk written (except the rest).
    if (bytes == 0 || (bytes < kWindow / 4 && bytes < need)) {
        return;
    }
    m_context.send(m_info.peer, proto::FileCredit{m_info.transferId, static_cast<std::uint32_t>(bytes)});
    m_window.grant(bytes);
    m_relayed.grant(bytes);
}

// ---- data ---------------------------------------------------------------------------

std::uint32_t IncomingTransfer::blockLengthAt(std::uint64_t offset) const {
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(m_offer.blockSize, m_info.size - offset));
}

void IncomingTransfer::onChunk(const proto::FileChunk& chunk) {
    if (m_info.state != TransferState::Active) {
        return;
    }
    const std::uint64_t length = chunk.data.size();
    m_relayed.record(length);  // stale chunks too: the server counted them
    if (m_dropping) {
        if (chunk.offset != m_expected) {
            return;  // still in flight from before the restart (rule 8)
        }
        m_dropping = false;
    }
    const std::uint64_t blockSize = m_offer.blockSize;
    if (chunk.offset != m_expected) {
        violation("chunk at " + std::to_string(chunk.offset) + ", expected " + std::to_string(m_expected));
    } else if (length == 0 || length > proto::kMaxChunkData || length > m_info.size - chunk.offset) {
        violation("chunk of " + std::to_string(length) + " bytes at " + std::to_string(chunk.offset));
    } else if (chunk.offset / blockSize != (chunk.offset + length - 1) / blockSize) {
        violation("chunk at " + std::to_string(chunk.offset) + " crosses a block boundary");
    } else if (!m_window.spend(length)) {
        violation("chunk beyond the granted credit");
    } else {
        m_expected += length;
        ++m_pendingWrites;
        m_sink->write(chunk.offset, chunk.data,
                      completion<WriteResult>([this, generation = m_generation, length](WriteResult r) {
                          onWritten(generation, length, std::move(r));
                      }));
        progressed();
    }
}

void IncomingTransfer::onWritten(std::uint32_t generation, std::uint64_t length, WriteResult result) {
    --m_pendingWrites;
    if (finished() || m_info.state == TransferState::Interrupted) {
        return;
    }
    if (result.error != IoError::None) {
        cancelWith(FileCancelReason::IoError, result.text, describeForPeer(result.error));
        return;
    }
    if (generation != m_generation) {
        maybeFinish();
        return;
    }
    m_windowWritten += length;
    m_written += length;
    m_info.done = m_written;
    if (result.blockHash) {
        const std::uint64_t last = m_written - 1;
        const std::uint64_t blockStart = last - last % m_offer.blockSize;
        m_writtenHashes[blockStart] = *result.blockHash;
        compareBlock(blockStart);
        if (generation != m_generation || finished()) {
            return;  // the block restarted or the transfer ended
        }
    }
    grant();
    reportProgress();
    maybeFinish();
}

void IncomingTransfer::onBlockHash(const proto::FileBlockHash& hash) {
    if (m_info.state != TransferState::Active || m_dropping) {
        return;
    }
    if (hash.offset % m_offer.blockSize != 0 || hash.offset >= m_info.size ||
        hash.length != blockLengthAt(hash.offset) || hash.offset + hash.length > m_expected) {
        violation("FILE_BLOCK_HASH for " + std::to_string(hash.offset) + "+" + std::to_string(hash.length) +
                  " does not match the chunks");
        return;
    }
    m_senderHashes[hash.offset] = hash.sha256;
    compareBlock(hash.offset);
}

void IncomingTransfer::compareBlock(std::uint64_t offset) {
    const auto sent = m_senderHashes.find(offset);
    const auto written = m_writtenHashes.find(offset);
    if (sent == m_senderHashes.end() || written == m_writtenHashes.end()) {
        return;
    }
    if (sent->second != written->second) {
        restartBlock(offset);
        return;
    }
    m_sink->recordBlock(BlockHash{offset, sent->second});
    m_verified = offset + blockLengthAt(offset);
    if (offset == m_failedBlock) {
        m_failures = 0;
    }
    m_senderHashes.erase(sent);
    m_writtenHashes.erase(written);
}

void IncomingTransfer::restartBlock(std::uint64_t offset) {
    if (m_failures > 0 && offset == m_failedBlock) {
        ++m_failures;
    } else {
        m_failedBlock = offset;
        m_failures = 1;
    }
    if (m_failures >= kMaxBlockAttempts) {
        cancel(FileCancelReason::IoError, "the block at " + std::to_string(offset) + " failed its hash check " +
                                              std::to_string(m_failures) + " times");
        return;
    }
    acceptFrom(offset);
    m_dropping = true;
}

void IncomingTransfer::onDone(const proto::FileDone& done) {
    if (m_info.state != TransferState::Active || m_dropping) {
        return;
    }
    if (done.size != m_info.size || m_expected != m_info.size) {
        violation("FILE_DONE(" + std::to_string(done.size) + ") after " + std::to_string(m_expected) + " of " +
                  std::to_string(m_info.size) + " bytes");
        return;
    }
    m_doneReceived = true;
    maybeFinish();
}

void IncomingTransfer::maybeFinish() {
    if (m_info.state != TransferState::Active || !m_doneReceived || m_pendingWrites > 0) {
        return;
    }
    setState(TransferState::Finishing);
    m_sink->finish(completion<FinishResult>([this](FinishResult r) { onFinished(std::move(r)); }));
}

void IncomingTransfer::onFinished(FinishResult result) {
    m_sink.reset();
    TransferOutcome outcome;
    outcome.local = true;
    outcome.path = result.path;
    proto::FileResult answer{m_info.transferId, proto::FileResultStatus::Verified, {}};
    if (result.error != IoError::None) {
        answer.status = proto::FileResultStatus::WriteFailed;  // says it; the local text names paths
        outcome.kind = OutcomeKind::Failed;
    } else if (!result.verified) {
        answer.status = proto::FileResultStatus::HashMismatch;
        answer.text = "the whole-file SHA-256 differs from the offer";
        outcome.kind = OutcomeKind::Failed;
    }
    outcome.resultStatus = answer.status;
    outcome.text = result.error != IoError::None ? result.text : answer.text;
    if (answer.status == proto::FileResultStatus::HashMismatch) {
        outcome.text += "; the data is kept in " + result.path;
    }
    m_context.send(m_info.peer, answer);
    finish(std::move(outcome));
}

// ---- ending and interruptions -----------------------------------------------------------

void IncomingTransfer::interrupt() {
    ++m_generation;
    if (m_sink) {
        m_sink->close(false);  // the .part and the sidecar stay for the resume
        m_sink.reset();
    }
    setState(TransferState::Interrupted);
}

void IncomingTransfer::onCancel(const proto::FileCancel& cancel) {
    if (finished() || m_info.state == TransferState::Finishing) {
        return;
    }
    if (cancel.reason == FileCancelReason::PeerDisconnected && m_info.state != TransferState::Offered) {
        interrupt();
        return;
    }
    ++m_generation;
    if (m_sink) {
        m_sink->close(true);
        m_sink.reset();
    }
    finish(cancelledOutcome(cancel.reason, cancel.text, false));
}

void IncomingTransfer::onDisconnected() {
    if (m_info.state == TransferState::Offered) {
        // The server forgets the offer; the sender offers again when we are back.
        finish(cancelledOutcome(FileCancelReason::PeerDisconnected,
                                "the connection to the server was lost before the offer was answered", true));
    } else if (m_info.state == TransferState::Preparing || m_info.state == TransferState::Active) {
        interrupt();
    }
}

void IncomingTransfer::cancel(FileCancelReason reason, const std::string& text) { cancelWith(reason, text, text); }

void IncomingTransfer::cancelWith(FileCancelReason reason, const std::string& localText, const std::string& peerText) {
    if (finished()) {
        return;
    }
    if (m_info.state != TransferState::Interrupted) {
        m_context.send(m_info.peer, proto::FileCancel{m_info.transferId, reason, peerText});
    }
    ++m_generation;
    if (m_sink) {
        m_sink->close(true);
        m_sink.reset();
    } else if (m_record && m_info.state == TransferState::Interrupted) {
        m_context.io().removePart(*m_record);
    }
    finish(cancelledOutcome(reason, localText, true));
}

}  // namespace parley::transfer
