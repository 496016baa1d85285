#include "shared/transfer/TransferManager.h"

#include "shared/transfer/IncomingTransfer.h"
#include "shared/transfer/OutgoingTransfer.h"

#include <algorithm>
#include <type_traits>

namespace parley::transfer {

namespace {

/// A tick gap larger than this (a suspended laptop, a stopped debugger) counts as this much.
constexpr std::uint64_t kMaxTickStepMs = 5'000;

}  // namespace

const char* toString(TransferError error) {
    switch (error) {
    case TransferError::None: return "none";
    case TransferError::UnknownTransfer: return "no such transfer";
    case TransferError::WrongState: return "not possible in this state";
    case TransferError::InvalidRecipient: return "invalid recipient";
    }
    return "unknown";
}

TransferManager::TransferManager(session::ClientSession& session, FileIo& io, TransferListener& listener)
    : m_session(session), m_io(io), m_listener(listener) {
    m_session.setTransferHandler(this);
}

TransferManager::~TransferManager() { m_session.setTransferHandler(nullptr); }

void TransferManager::leave() {
    if (--m_depth > 0) {
        return;
    }
    for (auto it = m_transfers.begin(); it != m_transfers.end();) {
        it = it->second->finished() ? m_transfers.erase(it) : std::next(it);
    }
}

// ---- user actions ---------------------------------------------------------------------

TransferNumber TransferManager::sendFile(UserId to, const std::filesystem::path& path, const std::string& name,
                                         TransferError* error) {
    if (to == proto::kServerId || (to == m_session.userId() && to != 0)) {
        if (error != nullptr) {
            *error = TransferError::InvalidRecipient;
        }
        return 0;
    }
    const Scope scope(*this);
    const TransferNumber number = m_nextNumber++;
    auto transfer = std::make_unique<OutgoingTransfer>(context(), number, to, path, name);
    OutgoingTransfer& started = *transfer;
    m_transfers.emplace(number, std::move(transfer));
    started.start();
    if (error != nullptr) {
        *error = TransferError::None;
    }
    return number;
}

TransferError TransferManager::accept(TransferNumber number, const std::filesystem::path& directory) {
    const Scope scope(*this);
    TransferError error = TransferError::None;
    if (IncomingTransfer* in = offered(number, error)) {
        in->accept(directory);
    }
    return error;
}

TransferError TransferManager::reject(TransferNumber number, const std::string& text) {
    const Scope scope(*this);
    TransferError error = TransferError::None;
    if (IncomingTransfer* in = offered(number, error)) {
        in->reject(proto::FileRejectReason::Declined, text);
    }
    return error;
}

IncomingTransfer* TransferManager::offered(TransferNumber number, TransferError& error) {
    Transfer* transfer = byNumber(number);
    auto* in = dynamic_cast<IncomingTransfer*>(transfer);
    if (in == nullptr || in->info().state != TransferState::Offered) {
        error = transfer == nullptr ? TransferError::UnknownTransfer : TransferError::WrongState;
        return nullptr;
    }
    return in;
}

TransferError TransferManager::cancel(TransferNumber number) {
    const Scope scope(*this);
    Transfer* transfer = byNumber(number);
    if (transfer == nullptr) {
        return TransferError::UnknownTransfer;
    }
    transfer->cancel(proto::FileCancelReason::ByUser, "cancelled by the user");
    return TransferError::None;
}

void TransferManager::setStateDirectory(const std::filesystem::path& folder) {
    m_stateDirectory = folder;
    m_io.findResumable(folder, [this, alive = std::weak_ptr<int>(m_alive)](std::vector<ResumeRecord> found) {
        if (alive.expired()) {
            return;
        }
        for (ResumeRecord& record : found) {
            const bool known = std::any_of(m_resumable.begin(), m_resumable.end(), [&record](const ResumeRecord& r) {
                return r.peer == record.peer && r.transferId == record.transferId;
            });
            if (!known) {
                m_resumable.push_back(std::move(record));
            }
        }
    });
}

std::vector<TransferInfo> TransferManager::transfers() const {
    std::vector<TransferInfo> list;
    for (const auto& entry : m_transfers) {
        if (!entry.second->finished()) {
            list.push_back(entry.second->info());
        }
    }
    return list;
}

std::optional<TransferInfo> TransferManager::find(TransferNumber number) const {
    const Transfer* transfer = byNumber(number);
    return transfer != nullptr ? std::optional<TransferInfo>(transfer->info()) : std::nullopt;
}

// ---- the session ------------------------------------------------------------------------

void TransferManager::onFileMessage(const proto::Header& header, const proto::Body& body) {
    const Scope scope(*this);
    const UserId from = header.source;
    if (const auto* offer = std::get_if<proto::FileOffer>(&body)) {
        handleOffer(from, *offer);
        return;
    }
    if (const auto* cancel = std::get_if<proto::FileCancel>(&body)) {
        // Either direction may be meant; ours (the sender's id space) first.
        Transfer* t = lookup(Direction::Outgoing, from, cancel->transferId);
        t = t != nullptr ? t : lookup(Direction::Incoming, from, cancel->transferId);
        if (t != nullptr) {
            t->onCancel(*cancel);
        }
        return;
    }
    route(from, body, &OutgoingTransfer::onAccept) || route(from, body, &OutgoingTransfer::onReject) ||
        route(from, body, &OutgoingTransfer::onCredit) || route(from, body, &OutgoingTransfer::onResult) ||
        route(from, body, &IncomingTransfer::onChunk) || route(from, body, &IncomingTransfer::onBlockHash) ||
        route(from, body, &IncomingTransfer::onDone);
}

template <class Message, class Target>
bool TransferManager::route(UserId from, const proto::Body& body, void (Target::*handler)(const Message&)) {
    const auto* message = std::get_if<Message>(&body);
    if (message == nullptr) {
        return false;
    }
    constexpr Direction direction =
        std::is_same_v<Target, OutgoingTransfer> ? Direction::Outgoing : Direction::Incoming;
    if (Transfer* t = lookup(direction, from, message->transferId)) {
        (static_cast<Target*>(t)->*handler)(*message);
    }
    return true;
}

void TransferManager::handleOffer(UserId from, const proto::FileOffer& offer) {
    if (IncomingTransfer* existing = incoming(from, offer.transferId)) {
        const proto::FileOffer& known = existing->offer();
        if (known.size == offer.size && known.sha256 == offer.sha256 && known.blockSize == offer.blockSize) {
            existing->onReoffer(offer);
            return;
        }
        // Same id, another file: the old one is over (the sender gave it up).
        existing->cancel(proto::FileCancelReason::ByUser, "replaced by a new offer");
    }
    if (offer.blockSize < proto::kMinBlockSize || offer.blockSize > proto::kMaxBlockSize) {
        m_session.sendFileMessage(from, proto::FileReject{offer.transferId, proto::FileRejectReason::Declined,
                                                          "block size outside the protocol's range"});
        return;
    }
    const TransferNumber number = m_nextNumber++;
    auto transfer = std::make_unique<IncomingTransfer>(context(), number, from, offer);
    IncomingTransfer& created = *transfer;
    m_transfers.emplace(number, std::move(transfer));
    const auto record = std::find_if(m_resumable.begin(), m_resumable.end(),
                                     [&](const ResumeRecord& r) { return r.matches(from, offer); });
    if (record != m_resumable.end()) {
        const ResumeRecord resumeFrom = *record;
        m_resumable.erase(record);
        created.resume(resumeFrom, offer);
        return;
    }
    m_listener.onIncomingOffer(created.info());
}

void TransferManager::onLoggedIn() {
    const Scope scope(*this);
    for (auto& entry : m_transfers) {
        if (auto* out = dynamic_cast<OutgoingTransfer*>(entry.second.get())) {
            out->reoffer();
        }
    }
}

void TransferManager::onPeerOnline(UserId peer) {
    const Scope scope(*this);
    for (auto& entry : m_transfers) {
        auto* out = dynamic_cast<OutgoingTransfer*>(entry.second.get());
        if (out != nullptr && out->info().peer == peer) {
            out->reoffer();
        }
    }
}

void TransferManager::onDisconnected() {
    const Scope scope(*this);
    for (auto& entry : m_transfers) {
        entry.second->onDisconnected();
    }
}

void TransferManager::onTick(std::uint64_t nowMs) {
    const Scope scope(*this);
    const std::uint64_t elapsed = m_ticked && nowMs > m_nowMs ? std::min(nowMs - m_nowMs, kMaxTickStepMs) : 0;
    m_nowMs = nowMs;
    m_ticked = true;
    for (auto& entry : m_transfers) {
        entry.second->onTick(elapsed);
    }
}

void TransferManager::onOutputDrained() {
    const Scope scope(*this);
    pumpAll();
}

void TransferManager::pumpAll() {
    // Round-robin, one chunk per transfer per round, so several transfers share the socket.
    bool sent = true;
    while (sent && canSendChunk()) {
        sent = false;
        for (auto& entry : m_transfers) {
            if (auto* out = dynamic_cast<OutgoingTransfer*>(entry.second.get())) {
                sent = out->sendNext() || sent;
            }
        }
    }
}

// ---- TransferContext ------------------------------------------------------------------------

bool TransferManager::send(UserId to, const proto::Body& body) {
    return m_session.sendFileMessage(to, body) == session::SessionError::None;
}

bool TransferManager::canSendChunk() const {
    return m_session.isLoggedIn() && (!m_backlog || m_backlog() < kChunkBacklogLimit);
}

TransferId TransferManager::allocateOutgoingId(TransferId wanted) {
    for (;;) {
        const bool taken = std::any_of(m_transfers.begin(), m_transfers.end(), [wanted](const auto& entry) {
            const TransferInfo& info = entry.second->info();
            return info.direction == Direction::Outgoing && info.transferId == wanted && !entry.second->finished();
        });
        if (!taken && wanted != 0) {
            return wanted;
        }
        ++wanted;
    }
}

// ---- lookups --------------------------------------------------------------------------------

Transfer* TransferManager::lookup(Direction direction, UserId peer, TransferId id) {
    for (auto& entry : m_transfers) {
        const TransferInfo& info = entry.second->info();
        if (info.direction == direction && info.peer == peer && info.transferId == id && !entry.second->finished()) {
            return entry.second.get();
        }
    }
    return nullptr;
}

IncomingTransfer* TransferManager::incoming(UserId peer, TransferId id) {
    return static_cast<IncomingTransfer*>(lookup(Direction::Incoming, peer, id));
}

Transfer* TransferManager::byNumber(TransferNumber number) const {
    const auto it = m_transfers.find(number);
    return it != m_transfers.end() && !it->second->finished() ? it->second.get() : nullptr;
}

}  // namespace parley::transfer
