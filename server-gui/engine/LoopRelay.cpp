#include "server-gui/engine/LoopRelay.h"

#include "platform/CatchAll.h"
#include "server-gui/engine/Session.h"
#include "shared/proto/Codec.h"

#include <string_view>

namespace parley::server {

LoopRelay::LoopRelay(net::Reactor& loop) : m_batcher(net::LoopBatcher<Batch>::create(loop, &deliver)) {}

LoopRelay::Batch& LoopRelay::batchFor(const Session& target) { return m_batcher->batchFor(target.loop()); }

void LoopRelay::relayChat(SessionPtr target, proto::UserId from, proto::MessageId id, const std::uint8_t* frame,
                          std::size_t size, std::uint64_t wallMs) {
    Batch& batch = batchFor(*target);
    const std::size_t offset = batch.frames.size();
    batch.frames.append(reinterpret_cast<const char*>(frame), size);  // stamped in place: no extra copy
    proto::stampRelayed(reinterpret_cast<std::uint8_t*>(batch.frames.data() + offset), from, wallMs);
    batch.entries.push_back(
        {std::move(target), from, id, static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(size)});
}

void LoopRelay::relayAck(SessionPtr origin, proto::AckKind kind, proto::UserId peer, proto::MessageId upTo) {
    Batch& batch = batchFor(*origin);
    batch.entries.push_back({std::move(origin), peer, upTo, 0, 0, kind});
}

void LoopRelay::deliver(Batch& batch) {
    const std::string_view frames(batch.frames);
    for (const Batch::Entry& e : batch.entries) {
        // One failing recipient must not cost the rest of the batch its messages.
        net::catchAll(
            [&] {
                if (e.size == 0 && e.ack == proto::AckKind::Read) e.session->deliverRead(e.peer, e.id);
                else if (e.size == 0) e.session->sendAck(e.ack, e.peer, e.id);
                else e.session->deliverLive(e.peer, e.id, frames.substr(e.offset, e.size));
            },
            [&e](const char* what) { e.session->failed(what); });
    }
}

}  // namespace parley::server
