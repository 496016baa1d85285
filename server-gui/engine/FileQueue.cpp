#include "server-gui/engine/FileQueue.h"

#include <algorithm>

namespace parley::server {

FileQueue::FileQueue() = default;
FileQueue::~FileQueue() = default;
FileQueue::FileQueue(FileQueue&&) noexcept = default;
FileQueue& FileQueue::operator=(FileQueue&&) noexcept = default;

void FileQueue::push(proto::UserId sender, proto::TransferId id, std::string frame) {
    if (!m_frames) m_frames = std::make_unique<Frames>();
    m_frames->bytes += frame.size();
    m_frames->queue.push_back({sender, id, std::move(frame)});
}

std::size_t FileQueue::pump(const std::function<bool()>& hasRoom, const std::function<void(std::string&&)>& send) {
    std::size_t moved = 0;
    while (m_frames && hasRoom()) {
        Queued& next = m_frames->queue.front();
        const std::size_t size = next.frame.size();
        send(std::move(next.frame));
        m_frames->queue.pop_front();
        m_frames->bytes -= size;
        moved += size;
        if (m_frames->queue.empty()) m_frames.reset();
    }
    return moved;
}

std::size_t FileQueue::drop(proto::UserId sender, proto::TransferId id) {
    return dropIf([sender, id](const Queued& q) { return q.sender == sender && q.id == id; });
}

std::size_t FileQueue::dropAll() {
    return dropIf([](const Queued&) { return true; });
}

std::size_t FileQueue::dropIf(const std::function<bool(const Queued&)>& doomed) {
    if (!m_frames) return 0;
    std::size_t dropped = 0;
    std::deque<Queued>& queue = m_frames->queue;
    for (const Queued& q : queue)
        if (doomed(q)) dropped += q.frame.size();
    queue.erase(std::remove_if(queue.begin(), queue.end(), doomed), queue.end());
    m_frames->bytes -= dropped;
    if (queue.empty()) m_frames.reset();
    return dropped;
}

}  // namespace parley::server
