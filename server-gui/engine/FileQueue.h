#pragma once
// The file frames relayed to a session that wait for its output buffer to be
// small (docs/architecture.md, "File relay"). Everything else a session sends
// goes straight to the output; file data only while it holds little, so chat,
// acks and control frames overtake queued chunks. The queue itself is bounded
// by the credit the receiver granted (FileRelay).
//
// Frames of one transfer keep their order (a block hash never overtakes the
// block's chunks); a transfer that ends drops its queued frames, the others'
// stay in order. Allocated while frames wait: an empty std::deque still holds
// ~600 bytes, which every idle session would pay. No sockets: Session passes
// the output in; not thread-safe (the owning session's loop only).

#include "shared/proto/Messages.h"

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>

namespace parley::server {

class FileQueue {
public:
    FileQueue();
    ~FileQueue();
    FileQueue(FileQueue&&) noexcept;
    FileQueue& operator=(FileQueue&&) noexcept;

    /// A data frame (FILE_CHUNK, FILE_BLOCK_HASH, FILE_DONE) of transfer
    /// (sender, id), source already stamped.
    void push(proto::UserId sender, proto::TransferId id, std::string frame);

    /// Moves frames, oldest first, to `send` while `hasRoom()` says the output
    /// takes more; returns the bytes moved.
    std::size_t pump(const std::function<bool()>& hasRoom, const std::function<void(std::string&&)>& send);

    /// Drops the queued frames of transfer (sender, id); returns their bytes.
    std::size_t drop(proto::UserId sender, proto::TransferId id);
    /// Drops everything (the session closes); returns the bytes.
    std::size_t dropAll();

    bool empty() const { return !m_frames; }
    std::size_t frames() const { return m_frames ? m_frames->queue.size() : 0; }
    /// Bytes of the queued frames.
    std::size_t bytes() const { return m_frames ? m_frames->bytes : 0; }

private:
    struct Queued {
        proto::UserId sender;
        proto::TransferId id;
        std::string frame;
    };
    std::size_t dropIf(const std::function<bool(const Queued&)>& doomed);

    struct Frames {
        std::deque<Queued> queue;
        std::size_t bytes = 0;
    };
    std::unique_ptr<Frames> m_frames;  ///< null while empty
};

}  // namespace parley::server
