#include "server-gui/engine/FileRelay.h"

namespace parley::server {

using proto::MessageType;

namespace {

// Identity by control block: it stays right after the session is gone, and a
// new session allocated at a freed one's address is never taken for it.
bool same(const std::weak_ptr<Session>& a, const FileRelay::SessionPtr& b) {
    return !a.owner_before(b) && !b.owner_before(a);
}

bool sentBySender(MessageType type) {
    return type == MessageType::FileChunk || type == MessageType::FileBlockHash || type == MessageType::FileDone;
}

bool sentByReceiver(MessageType type) {
    return type == MessageType::FileAccept || type == MessageType::FileReject || type == MessageType::FileCredit ||
           type == MessageType::FileResult;
}

}  // namespace

bool FileRelay::contains(proto::UserId sender, proto::TransferId id) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_table.count(Key{sender, id}) != 0;
}

FileRelay::OfferResult FileRelay::offer(proto::UserId sender, proto::TransferId id, const SessionPtr& senderSession,
                                        proto::UserId receiver, const SessionPtr& receiverSession, std::uint64_t size,
                                        std::uint32_t maxPerSender, std::shared_ptr<StoreNote>* note) {
    std::lock_guard<std::mutex> lock(m_mutex);
    const Key key{sender, id};
    if (m_table.count(key) != 0) return OfferResult::Duplicate;
    std::size_t& count = m_perSender[sender];
    if (maxPerSender != 0 && count >= maxPerSender) {
        if (count == 0) m_perSender.erase(sender);
        return OfferResult::TooMany;
    }
    Entry entry;
    entry.receiver = receiver;
    entry.senderSession = senderSession;
    entry.receiverSession = receiverSession;
    entry.size = size;
    entry.note = std::make_shared<StoreNote>();
    if (note) *note = entry.note;
    m_table.emplace(key, std::move(entry));
    ++count;
    ServerStats::add(m_stats.transfersActive);
    return OfferResult::Added;
}

FileRelay::Verdict FileRelay::onFrame(const SessionPtr& from, proto::UserId fromId, proto::UserId to, MessageType type,
                                      proto::TransferId id, std::uint64_t offset, std::uint64_t amount) {
    std::lock_guard<std::mutex> lock(m_mutex);
    // As its sender: (me, id) going to `to`. As its receiver: (to, id) offered to me.
    auto mine = m_table.find(Key{fromId, id});
    if (mine != m_table.end() && !(same(mine->second.senderSession, from) && mine->second.receiver == to))
        mine = m_table.end();
    auto theirs = m_table.find(Key{to, id});
    if (theirs != m_table.end() && !same(theirs->second.receiverSession, from)) theirs = m_table.end();

    // FILE_CANCEL may come from either side; if both match (each offered the
    // other a transfer with the same id) the sender's own transfer is meant.
    const bool senderRole = sentBySender(type) || (type == MessageType::FileCancel && mine != m_table.end());
    const bool receiverRole = sentByReceiver(type) || (type == MessageType::FileCancel && !senderRole);
    if (senderRole && mine != m_table.end()) return apply(mine, true, type, offset, amount);
    if (receiverRole && theirs != m_table.end()) return apply(theirs, false, type, offset, amount);

    Verdict verdict;
    const bool otherRoleMatches = (senderRole && theirs != m_table.end()) || (receiverRole && mine != m_table.end());
    verdict.outcome = otherRoleMatches ? Outcome::WrongSide : Outcome::Unknown;
    verdict.why =
        otherRoleMatches
            ? std::string(proto::toString(type)) + " is sent by the other side of transfer " + std::to_string(id)
            : "no transfer " + std::to_string(id) + " in progress between you and user " + std::to_string(to);
    return verdict;
}

FileRelay::Verdict FileRelay::apply(Table::iterator it, bool fromSender, MessageType type, std::uint64_t offset,
                                    std::uint64_t amount) {
    Entry& entry = it->second;
    Verdict verdict;
    verdict.key = it->first;
    verdict.peer = fromSender ? entry.receiver : it->first.sender;
    verdict.note = entry.note;
    const auto refuse = [&verdict](Outcome outcome, std::string why) {
        verdict.outcome = outcome;
        verdict.why = std::move(why);
        return verdict;
    };
    const std::string name = "transfer " + std::to_string(it->first.id);

    const bool dataPhase = type == MessageType::FileChunk || type == MessageType::FileBlockHash ||
                           type == MessageType::FileDone || type == MessageType::FileCredit ||
                           type == MessageType::FileResult;
    if (dataPhase && !entry.accepted)
        return refuse(Outcome::NotAccepted, std::string(proto::toString(type)) + " before FILE_ACCEPT of " + name);

    std::string violation;
    switch (type) {
    case MessageType::FileChunk:
        if (amount > proto::kMaxChunkData) {
            violation = "a chunk of " + std::to_string(amount) + " bytes is over the 262144-byte limit";
        } else if (offset > entry.size || amount > entry.size - offset) {
            violation = "a chunk at offset " + std::to_string(offset) + " runs past the end of the file";
        } else if (!entry.credit.spend(amount)) {
            violation = "a chunk goes beyond the credit the receiver granted";
        }
        break;
    case MessageType::FileCredit:
        if (!entry.credit.canGrant(amount)) violation = "more than 16 MiB of credit outstanding";
        else entry.credit.grant(amount);
        break;
    case MessageType::FileAccept:
        if (offset > entry.size)
            violation = "FILE_ACCEPT from offset " + std::to_string(offset) + ", past the end of the file (" +
                        std::to_string(entry.size) + " bytes)";
        else entry.accepted = true;
        break;
    case MessageType::FileReject:
        // The sender may be streaming already; a cancel tells both sides the same thing.
        if (entry.accepted) violation = "FILE_REJECT after FILE_ACCEPT (an accepted transfer ends with FILE_CANCEL)";
        break;
    default: break;
    }

    const SessionPtr peer = (fromSender ? entry.receiverSession : entry.senderSession).lock();
    verdict.peerSession = peer;
    if (!violation.empty()) {
        eraseLocked(it);
        verdict.ended = true;
        return refuse(Outcome::Violation, name + ": " + violation);
    }
    verdict.outcome = Outcome::Relay;
    if (type == MessageType::FileResult || type == MessageType::FileReject || type == MessageType::FileCancel) {
        eraseLocked(it);
        verdict.ended = true;
    }
    return verdict;
}

std::vector<FileRelay::Dropped> FileRelay::dropSession(const SessionPtr& session) {
    std::vector<Dropped> dropped;
    std::lock_guard<std::mutex> lock(m_mutex);
    for (auto it = m_table.begin(); it != m_table.end();) {
        const Entry& entry = it->second;
        const bool isSender = same(entry.senderSession, session);
        if (!isSender && !same(entry.receiverSession, session)) {
            ++it;
            continue;
        }
        Dropped d;
        d.key = it->first;
        d.peer = isSender ? entry.receiver : it->first.sender;
        d.peerSession = (isSender ? entry.receiverSession : entry.senderSession).lock();
        dropped.push_back(std::move(d));
        auto next = std::next(it);
        eraseLocked(it);
        it = next;
    }
    return dropped;
}

bool FileRelay::abort(proto::UserId sender, proto::TransferId id, Aborted& aborted) {
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_table.find(Key{sender, id});
    if (it == m_table.end()) return false;
    aborted.receiver = it->second.receiver;
    aborted.senderSession = it->second.senderSession.lock();
    aborted.receiverSession = it->second.receiverSession.lock();
    eraseLocked(it);
    return true;
}

std::size_t FileRelay::size() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_table.size();
}

std::size_t FileRelay::countFor(proto::UserId sender) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_perSender.find(sender);
    return it == m_perSender.end() ? 0 : it->second;
}

void FileRelay::eraseLocked(Table::iterator it) {
    const auto count = m_perSender.find(it->first.sender);
    if (count != m_perSender.end() && --count->second == 0) m_perSender.erase(count);
    m_table.erase(it);
    ServerStats::sub(m_stats.transfersActive);
}

}  // namespace parley::server
