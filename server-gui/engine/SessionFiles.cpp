// Session: the file relay (docs/protocol.md 9.8; docs/architecture.md, "File
// relay"). The rules live in FileRelay, the store rows in TransferRecords;
// this file moves frames between the two sessions of a transfer and keeps the
// receiving side's chunk queue.
#include "server-gui/engine/Session.h"

#include "server-gui/engine/ServerCore.h"
#include "server-gui/engine/TransferRecords.h"
#include "shared/files/FileName.h"
#include "shared/proto/Codec.h"
#include "shared/proto/Wire.h"

#include <algorithm>
#include <type_traits>

namespace parley::server {

using proto::ErrorCode;
using proto::FileRejectReason;
using proto::MessageType;

namespace {

/// Queued file frames move to the connection's output only while it holds less
/// than this, so a chat or control frame sent meanwhile waits behind at most
/// this much (plus one chunk) rather than behind a whole credit window.
constexpr std::size_t kFileOutputLimit = 256 * 1024;

/// transferId and offset precede a FILE_CHUNK's data.
constexpr std::size_t kChunkFixedBytes = 16;

// A relayed frame: the client's bytes with the server's source stamp. This is
// a chunk's one copy in user space: out of the sender's input buffer (which is
// reused for the next read; the kernel reads the rest of a large chunk straight
// into it) into a string that can wait in the receiver's queue and cross to its
// loop. From there the string is moved: TcpConnection::sendOwned() writes it
// from the string itself (a gathered write with what follows it). The kernel's
// copies on read and write come on top.
std::string relayedCopy(const proto::FrameView& frame, proto::UserId source) {
    std::string out(reinterpret_cast<const char*>(frame.frameBegin()), frame.frameSize());
    proto::patchSource(reinterpret_cast<std::uint8_t*>(out.data()), source);
    return out;
}

/// Empty, or nothing of it survives sanitising (sanitizeFileName then falls
/// back to "file"): "", "..", "///", "   ".
bool unusableName(const std::string& offered) {
    return offered.empty() || (files::sanitizeFileName(offered) == files::kFallbackName &&
                               offered.find(files::kFallbackName) == std::string::npos);
}

template <class T, class = void>
struct HasTransferId : std::false_type {};
template <class T>
struct HasTransferId<T, std::void_t<decltype(std::declval<T>().transferId)>> : std::true_type {};

bool isDataFrame(MessageType type) {
    return type == MessageType::FileChunk || type == MessageType::FileBlockHash || type == MessageType::FileDone;
}

}  // namespace

using db::transferName;

TokenRate Session::fileOfferRate(const Limits& limits) { return {limits.fileOffersPerSecond, limits.fileOfferBurst}; }

void Session::handleFileOffer(const proto::FrameView& frame, const proto::FileOffer& offer) {
    const proto::Header& header = frame.header;
    const proto::UserId to = header.destination;
    const Limits& limits = m_core.config.limits;
    const auto refuse = [&](ErrorCode code, const std::string& text) {
        sendError(code, header.messageId, header.type, text);
    };
    // Pre-flight refusals name the receiver as source: the sender's key is
    // (receiver, transferId) for everything about this transfer.
    const auto reject = [&](FileRejectReason reason, const std::string& text) {
        sendBody(to, 0, proto::FileReject{offer.transferId, reason, text});
    };
    const auto tooMany = [&] {
        reject(FileRejectReason::TooManyTransfers,
               "you already have " + std::to_string(limits.maxTransfersPerUser) + " transfers in progress");
    };

    if (offer.blockSize < proto::kMinBlockSize || offer.blockSize > proto::kMaxBlockSize)
        return refuse(ErrorCode::InvalidMessage, "blockSize must be 65536 to 67108864 bytes");
    if (to == m_userId) return refuse(ErrorCode::UnknownDestination, "files to yourself are not relayed");
    if (!m_core.users.contains(to))
        return refuse(ErrorCode::UnknownDestination, "no user with id " + std::to_string(to));
    if (m_core.transfers.contains(m_userId, offer.transferId))
        return refuse(ErrorCode::InvalidMessage,
                      "transfer " + std::to_string(offer.transferId) + " is already in progress");
    if (unusableName(offer.fileName))
        return reject(FileRejectReason::InvalidName, "the file name is empty or unusable");
    if (limits.maxFileSize != 0 && offer.size > limits.maxFileSize)
        return reject(FileRejectReason::TooLarge,
                      "the server relays files of up to " + std::to_string(limits.maxFileSize) + " bytes");
    if (limits.maxTransfersPerUser != 0 && m_core.transfers.countFor(m_userId) >= limits.maxTransfersPerUser)
        return tooMany();
    const SessionPtr peer = m_core.delivery.online(to);
    if (!peer && m_core.remote->onlineElsewhere(to))
        return reject(FileRejectReason::PeerOffline, "user " + std::to_string(to) +
                                                         " is logged in on another server of the cluster; files "
                                                         "between servers are not relayed yet");
    if (!peer) return reject(FileRejectReason::PeerOffline, "user " + std::to_string(to) + " is not online");

    // Last of the pre-flight: only an offer that would be relayed (and written
    // to the store) takes a token; an offer/cancel loop cannot keep the store busy.
    if (!m_offerBucket.tryTake(steadyNowMs(), fileOfferRate(limits)))
        return reject(FileRejectReason::Unavailable, "too many file offers; wait a moment before offering more");

    std::shared_ptr<FileRelay::StoreNote> note;
    switch (m_core.transfers.offer(m_userId, offer.transferId, shared_from_this(), to, peer, offer.size,
                                   limits.maxTransfersPerUser, &note)) {
    case FileRelay::OfferResult::Duplicate:  // offered twice at once from two connections
        return refuse(ErrorCode::InvalidMessage,
                      "transfer " + std::to_string(offer.transferId) + " is already in progress");
    case FileRelay::OfferResult::TooMany: return tooMany();
    case FileRelay::OfferResult::Added: break;
    }

    db::Transfer row;
    row.sender = m_userId;
    row.transferId = offer.transferId;
    row.receiver = to;
    row.fileName = files::sanitizeFileName(offer.fileName);  // what the receiver will see; bounded
    row.size = offer.size;
    row.sha256.assign(offer.sha256.begin(), offer.sha256.end());
    row.state = db::TransferState::Offered;
    m_core.transferLog.offered(m_userId, offer.transferId, to, row.fileName, offer.size, wallNowMs());
    recordOffer(m_core, std::move(row), std::move(note));
    m_core.log(LogLevel::Info, username() + " offers " + transferName(m_userId, offer.transferId) + " (" +
                                   std::to_string(offer.size) + " bytes) to user " + std::to_string(to));

    peer->post([sender = m_userId, id = offer.transferId, out = relayedCopy(frame, m_userId)](Session& s) mutable {
        s.deliverFile(sender, id, FileFrame::Control, std::move(out));
    });
}

void Session::handleFileChunk(const proto::FrameView& frame) {
    const proto::Header& header = frame.header;
    if (frame.payloadSize < kChunkFixedBytes) {
        protocolFailure(proto::ProtocolError::Truncated, header.type, header.messageId);
        return;
    }
    const proto::TransferId id = proto::loadU64(frame.payload);
    const std::uint64_t offset = proto::loadU64(frame.payload + 8);
    const std::uint64_t length = frame.payloadSize - kChunkFixedBytes;
    const FileRelay::Verdict verdict = m_core.transfers.onFrame(shared_from_this(), m_userId, header.destination,
                                                                MessageType::FileChunk, id, offset, length);
    if (verdict.outcome == FileRelay::Outcome::Relay) {
        ServerStats::add(m_core.stats.fileBytesRelayed, length);
        m_core.transferLog.relayed(verdict.key.sender, id, length);
    }
    relayFileFrame(frame, verdict);
}

void Session::handleFileControl(const proto::FrameView& frame, const proto::Body& body) {
    const proto::Header& header = frame.header;
    const MessageType type = header.messageType();
    proto::TransferId id = 0;
    std::visit(
        [&id](const auto& message) {
            if constexpr (HasTransferId<std::decay_t<decltype(message)>>::value) id = message.transferId;
        },
        body);
    const auto* accept = std::get_if<proto::FileAccept>(&body);
    const auto* credit = std::get_if<proto::FileCredit>(&body);
    const FileRelay::Verdict verdict =
        m_core.transfers.onFrame(shared_from_this(), m_userId, header.destination, type, id,
                                 accept ? accept->offset : 0, credit ? credit->bytes : 0);
    if (accept && verdict.outcome == FileRelay::Outcome::Relay) {
        recordAccept(m_core, verdict.key.sender, id, accept->offset, verdict.note);
        m_core.transferLog.accepted(verdict.key.sender, id, accept->offset, wallNowMs());
    }
    if (verdict.outcome == FileRelay::Outcome::Relay && verdict.ended) {
        auto [state, words] = transferOutcome(body, verdict.key.sender == m_userId);
        m_core.transferLog.ended(verdict.key.sender, id, state, std::move(words), wallNowMs());
    }
    relayFileFrame(frame, verdict);
}

void Session::relayFileFrame(const proto::FrameView& frame, const FileRelay::Verdict& verdict) {
    const proto::Header& header = frame.header;
    const FileRelay::Key key = verdict.key;
    switch (verdict.outcome) {
    case FileRelay::Outcome::Unknown:
    case FileRelay::Outcome::WrongSide:
    case FileRelay::Outcome::NotAccepted:
        sendError(ErrorCode::InvalidMessage, header.messageId, header.type, verdict.why);
        return;
    case FileRelay::Outcome::Violation: {
        m_core.logPeerCaused(
            "file rules broken", LogLevel::Warn,
            "cancelled " + transferName(key.sender, key.id) + ": " + username() + " broke a rule: " + verdict.why);
        recordEnded(m_core, key.sender, key.id);
        m_core.transferLog.ended(key.sender, key.id, TransferInfo::State::Cancelled,
                                 "cancelled: " + username() + " broke a rule: " + verdict.why, wallNowMs());
        const proto::FileCancel cancel{key.id, proto::FileCancelReason::ProtocolViolation, verdict.why};
        dropFileQueue(key.sender, key.id);
        sendBody(verdict.peer, 0, cancel);
        if (verdict.peerSession) {
            verdict.peerSession->post([key, out = encodeFor(m_userId, verdict.peer, cancel)](Session& s) mutable {
                s.deliverFile(key.sender, key.id, FileFrame::End, std::move(out));
            });
        }
        return;
    }
    case FileRelay::Outcome::Relay: break;
    }
    if (verdict.ended) recordEnded(m_core, key.sender, key.id);
    if (!verdict.peerSession) return;  // it is closing; its releaseTransfers() ends the transfer
    const FileFrame kind = isDataFrame(header.messageType()) ? FileFrame::Data
                           : verdict.ended                   ? FileFrame::End
                                                             : FileFrame::Control;
    verdict.peerSession->post([key, kind, out = relayedCopy(frame, m_userId)](Session& s) mutable {
        s.deliverFile(key.sender, key.id, kind, std::move(out));
    });
}

void Session::deliverFile(proto::UserId sender, proto::TransferId id, FileFrame kind, std::string frame) {
    if (m_state != State::Authenticated || m_closing) return;
    switch (kind) {
    case FileFrame::Data:
        // In the queue even when it is empty: frames of one transfer keep
        // their order (a block hash never overtakes the block's chunks).
        ServerStats::add(m_core.stats.fileBytesQueued, frame.size());
        m_fileQueue.push(sender, id, std::move(frame));
        pumpFileQueue();
        return;
    case FileFrame::End: dropFileQueue(sender, id); break;
    case FileFrame::Control: break;
    }
    sendRaw(frame);
}

void Session::onOutputDrained() {
    if (m_state != State::Authenticated || m_closing) return;
    pumpFileQueue();
    pumpContacts();
}

void Session::pumpFileQueue() {
    // Pumped again from the write-complete and low-water callbacks (Server.cpp):
    // the output buffer stays far below its high-water mark, so a congested chat
    // recipient is one that does not read, not one that receives a file.
    if (m_fileQueue.empty()) return;
    const std::size_t moved = m_fileQueue.pump([this] { return m_connection->outputBytes() < kFileOutputLimit; },
                                               [this](std::string&& frame) {
                                                   const std::size_t bytes = frame.size();
                                                   if (m_connection->sendOwned(std::move(frame))) countOut(1, bytes);
                                               });
    ServerStats::sub(m_core.stats.fileBytesQueued, moved);
}

void Session::dropFileQueue(proto::UserId sender, proto::TransferId id) {
    ServerStats::sub(m_core.stats.fileBytesQueued, m_fileQueue.drop(sender, id));
}

void Session::releaseTransfers() {
    ServerStats::sub(m_core.stats.fileBytesQueued, m_fileQueue.dropAll());
    if (m_state != State::Authenticated) return;
    for (const FileRelay::Dropped& d : m_core.transfers.dropSession(shared_from_this())) {
        recordInterrupted(m_core, d.key.sender, d.key.id);
        m_core.transferLog.ended(d.key.sender, d.key.id, TransferInfo::State::Interrupted,
                                 "interrupted: " + username() + " disconnected", wallNowMs());
        m_core.log(LogLevel::Info,
                   "interrupted " + transferName(d.key.sender, d.key.id) + ": " + username() + " disconnected");
        if (!d.peerSession) continue;
        const proto::FileCancel cancel{d.key.id, proto::FileCancelReason::PeerDisconnected,
                                       "user " + std::to_string(m_userId) + " disconnected"};
        d.peerSession->post([key = d.key, out = encodeFor(m_userId, d.peer, cancel)](Session& s) mutable {
            s.deliverFile(key.sender, key.id, FileFrame::End, std::move(out));
        });
    }
}

bool Session::abortTransfer(ServerCore& core, proto::UserId sender, proto::TransferId id, const std::string& reason) {
    FileRelay::Aborted aborted;
    if (!core.transfers.abort(sender, id, aborted)) return false;
    recordEnded(core, sender, id);
    core.transferLog.ended(sender, id, TransferInfo::State::Cancelled, "aborted by the operator: " + reason,
                           core.clock.wallMs());
    core.log(LogLevel::Info, "the operator aborted " + transferName(sender, id) + ": " + reason);
    const proto::FileCancel cancel{id, proto::FileCancelReason::Operator, reason};
    // Each side names the transfer by (its peer, id): the sender's frame comes
    // from the receiver, the receiver's from the sender.
    if (aborted.senderSession) {
        aborted.senderSession->post(
            [sender, id, out = encodeFor(aborted.receiver, sender, cancel)](Session& s) mutable {
                s.deliverFile(sender, id, FileFrame::End, std::move(out));
            });
    }
    if (aborted.receiverSession) {
        aborted.receiverSession->post(
            [sender, id, out = encodeFor(sender, aborted.receiver, cancel)](Session& s) mutable {
                s.deliverFile(sender, id, FileFrame::End, std::move(out));
            });
    }
    return true;
}

}  // namespace parley::server
