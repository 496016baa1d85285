#include "server-gui/cluster/ForwardedChats.h"

#include "shared/proto/Codec.h"
#include "shared/proto/Messages.h"
#include "shared/proto/Wire.h"

#include <algorithm>

namespace parley::cluster {

bool ForwardedChats::add(proto::UserId to, const std::string& node, std::string frame, std::uint64_t nowMs) {
    if (frame.size() < proto::kHeaderSize) return false;
    const proto::Header header = proto::decodeHeader(reinterpret_cast<const std::uint8_t*>(frame.data()));
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (m_size >= m_capacity) return false;
    m_byRecipient[to].push_back({header.source, header.messageId, node, nowMs, std::move(frame)});
    ++m_size;
    return true;
}

void ForwardedChats::dropLast(proto::UserId to) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    const auto found = m_byRecipient.find(to);
    if (found == m_byRecipient.end() || found->second.empty()) return;
    found->second.pop_back();
    --m_size;
    if (found->second.empty()) m_byRecipient.erase(found);
}

void ForwardedChats::answered(std::string_view frame) {
    if (frame.size() != proto::kHeaderSize + 9) return;  // ACK: kind (1) and id (8)
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(frame.data());
    const proto::Header header = proto::decodeHeader(bytes);
    if (header.type != static_cast<std::uint8_t>(proto::MessageType::Ack)) return;
    const auto kind = static_cast<proto::AckKind>(bytes[proto::kHeaderSize]);
    if (kind != proto::AckKind::Delivered && kind != proto::AckKind::Stored) return;
    const proto::MessageId upTo = proto::loadU64(bytes + proto::kHeaderSize + 1);
    // The ACK goes from the recipient (source) to the sender (destination).
    const std::lock_guard<std::mutex> lock(m_mutex);
    const auto found = m_byRecipient.find(header.source);
    if (found == m_byRecipient.end()) return;
    auto& sent = found->second;
    const auto done = [&](const Sent& s) {
        return s.sender == header.destination && (kind == proto::AckKind::Delivered ? s.id <= upTo : s.id == upTo);
    };
    const std::size_t before = sent.size();
    sent.erase(std::remove_if(sent.begin(), sent.end(), done), sent.end());
    m_size -= before - sent.size();
    if (sent.empty()) m_byRecipient.erase(found);
}

std::vector<std::string> ForwardedChats::takeUnanswered(std::uint64_t nowMs, std::uint64_t timeoutMs,
                                                        const std::function<bool(const std::string& node)>& alive) {
    std::vector<std::string> taken;
    const std::lock_guard<std::mutex> lock(m_mutex);
    for (auto it = m_byRecipient.begin(); it != m_byRecipient.end();) {
        auto& sent = it->second;
        // In the order sent, so that the store gets them in per-pair order.
        for (auto s = sent.begin(); s != sent.end();) {
            if (nowMs - s->sentMs >= timeoutMs || !alive(s->node)) {
                taken.push_back(std::move(s->frame));
                s = sent.erase(s);
                --m_size;
            } else {
                ++s;
            }
        }
        it = sent.empty() ? m_byRecipient.erase(it) : std::next(it);
    }
    return taken;
}

std::vector<std::string> ForwardedChats::takeAll() {
    std::vector<std::string> taken;
    const std::lock_guard<std::mutex> lock(m_mutex);
    for (auto& [to, sent] : m_byRecipient) {
        for (Sent& s : sent) taken.push_back(std::move(s.frame));
    }
    m_byRecipient.clear();
    m_size = 0;
    return taken;
}

std::size_t ForwardedChats::size() const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_size;
}

}  // namespace parley::cluster
