#pragma once
// The relay between loops (part of SessionLoop): CHATs, ACK Delivered and ACK Read bound
// for sessions on *other* loops are collected during one iteration of this loop and handed
// to each target loop in one post at its end (net::LoopBatcher): one closure, one lock and
// at most one wake-up per target loop and iteration instead of one each per message, and
// the frames travel in one contiguous buffer instead of a string each.
//
// Threading: the owning loop's thread (delivery runs on the target's). Holds sessions only
// inside batches that are in transit.

#include "platform/LoopBatcher.h"
#include "shared/proto/Header.h"
#include "shared/proto/Messages.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace parley::server {

class Session;
using SessionPtr = std::shared_ptr<Session>;

class LoopRelay {
public:
    explicit LoopRelay(net::Reactor& loop);

    /// Queues a copy of the CHAT frame at `frame` for `target`'s Session::deliverLive, with
    /// the server's stamps (proto::stampRelayed: source `from`, timestamp `wallMs`).
    void relayChat(SessionPtr target, proto::UserId from, proto::MessageId id, const std::uint8_t* frame,
                   std::size_t size, std::uint64_t wallMs);
    /// Queues ACK `kind` (Delivered or Read: `peer`'s messages up to `upTo`) for `origin`.
    void relayAck(SessionPtr origin, proto::AckKind kind, proto::UserId peer, proto::MessageId upTo);
    /// Posts what is queued now.
    void handOver() { m_batcher->handOver(); }

private:
    struct Batch {
        struct Entry {
            SessionPtr session;
            proto::UserId peer;
            proto::MessageId id;
            std::uint32_t offset;  ///< of the frame in `frames`
            std::uint32_t size;    ///< 0: an ACK (`ack`), not a frame
            proto::AckKind ack = proto::AckKind::Delivered;
        };
        std::vector<Entry> entries;
        std::string frames;
        bool empty() const { return entries.empty(); }
    };

    static void deliver(Batch& batch);
    Batch& batchFor(const Session& target);

    std::shared_ptr<net::LoopBatcher<Batch>> m_batcher;
};

}  // namespace parley::server
