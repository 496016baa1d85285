#include "server-gui/engine/TransferLog.h"

#include <algorithm>

namespace parley::server {

const char* toString(TransferInfo::State state) {
    switch (state) {
    case TransferInfo::State::Offered: return "offered";
    case TransferInfo::State::InProgress: return "in progress";
    case TransferInfo::State::Verified: return "verified";
    case TransferInfo::State::Failed: return "failed";
    case TransferInfo::State::Cancelled: return "cancelled";
    case TransferInfo::State::Declined: return "declined";
    case TransferInfo::State::Interrupted: return "interrupted";
    }
    return "?";
}

void TransferLog::offered(proto::UserId sender, proto::TransferId id, proto::UserId receiver, std::string fileName,
                          std::uint64_t size, std::uint64_t nowMs) {
    std::lock_guard<std::mutex> lock(m_mutex);
    pruneLocked(nowMs);
    TransferInfo& info = m_entries[{sender, id}];
    if (info.state == TransferInfo::State::Interrupted && info.size == size) {
        ++info.resumes;
    } else {
        info = TransferInfo{};
        info.offeredAtMs = nowMs;
    }
    info.sender = sender;
    info.receiver = receiver;
    info.id = id;
    info.fileName = std::move(fileName);
    info.size = size;
    info.state = TransferInfo::State::Offered;
    info.relayed = 0;
    info.acceptedAtMs = 0;
    info.endedAtMs = 0;
    info.result.clear();
}

void TransferLog::accepted(proto::UserId sender, proto::TransferId id, std::uint64_t offset, std::uint64_t nowMs) {
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_entries.find({sender, id});
    if (it == m_entries.end()) return;
    it->second.state = TransferInfo::State::InProgress;
    it->second.startOffset = offset;
    it->second.acceptedAtMs = nowMs;
}

void TransferLog::relayed(proto::UserId sender, proto::TransferId id, std::uint64_t bytes) {
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_entries.find({sender, id});
    if (it == m_entries.end()) return;
    it->second.relayed += bytes;
    it->second.relayedTotal += bytes;
}

void TransferLog::ended(proto::UserId sender, proto::TransferId id, TransferInfo::State state, std::string result,
                        std::uint64_t nowMs) {
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_entries.find({sender, id});
    if (it == m_entries.end() || it->second.ended()) return;
    it->second.state = state;
    it->second.result = std::move(result);
    it->second.endedAtMs = nowMs;
}

std::vector<TransferInfo> TransferLog::snapshot(std::uint64_t nowMs) {
    std::vector<TransferInfo> out;
    std::lock_guard<std::mutex> lock(m_mutex);
    pruneLocked(nowMs);
    out.reserve(m_entries.size());
    for (const auto& entry : m_entries) out.push_back(entry.second);
    std::sort(out.begin(), out.end(),
              [](const TransferInfo& a, const TransferInfo& b) { return a.offeredAtMs < b.offeredAtMs; });
    return out;
}

void TransferLog::pruneLocked(std::uint64_t nowMs) {
    std::vector<std::pair<std::uint64_t, Key>> ended;  // (endedAtMs, key)
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (it->second.ended() && nowMs > it->second.endedAtMs + kKeepEndedMs) {
            it = m_entries.erase(it);
            continue;
        }
        if (it->second.ended()) ended.emplace_back(it->second.endedAtMs, it->first);
        ++it;
    }
    if (ended.size() <= kMaxEnded) return;
    std::sort(ended.begin(), ended.end());
    for (std::size_t i = 0; i < ended.size() - kMaxEnded; ++i) m_entries.erase(ended[i].second);
}

std::pair<TransferInfo::State, std::string> transferOutcome(const proto::Body& body, bool fromSender) {
    const std::string side = fromSender ? "the sender" : "the receiver";
    const auto withText = [](std::string words, const std::string& text) {
        return text.empty() ? words : words + ": " + text;
    };
    if (const auto* result = std::get_if<proto::FileResult>(&body)) {
        if (result->status == proto::FileResultStatus::Verified) return {TransferInfo::State::Verified, "verified"};
        return {TransferInfo::State::Failed,
                withText(std::string("failed (") + proto::toString(result->status) + ")", result->text)};
    }
    if (const auto* reject = std::get_if<proto::FileReject>(&body))
        return {TransferInfo::State::Declined, withText("declined by " + side, reject->text)};
    if (const auto* cancel = std::get_if<proto::FileCancel>(&body))
        return {TransferInfo::State::Cancelled, withText("cancelled by " + side, cancel->text)};
    return {TransferInfo::State::Cancelled, "ended"};
}

}  // namespace parley::server
