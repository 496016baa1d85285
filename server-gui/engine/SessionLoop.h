#pragma once
// The engine's state per I/O loop, kept in the loop's Reactor::context(): the holder of
// the loop's parts, each with its own header and job:
//
//   LoopRelay       relay batching: frames and ACKs for sessions on other loops, one post
//                   per target loop and iteration
//   PresenceFanout  presence changes to the loop's sessions, gathered for kDelay, one
//                   write per session
//   IdleSweep       the loop's roster of sessions, and one sweep that closes idle ones
//   BurstRelease    free memory back to the system after a burst of logins (the trim
//                   itself is process-wide: ServerCore::freeMemory, once per period)
//   ScratchBuffers  the buffers each frame built on this loop reuses
//   IterationClock  the wall clock read once per loop iteration (relay timestamps)
//
// Callers (the Session files) use only this class; it wires the parts together.
//
// Threading: everything here runs on the owning loop's thread. Ownership: the Reactor
// owns it (Server::start installs it on every I/O loop before the first connection).

#include "server-gui/engine/Clock.h"
#include "server-gui/engine/IdleSweep.h"
#include "server-gui/engine/IterationClock.h"
#include "server-gui/engine/LoopRelay.h"
#include "server-gui/engine/MemoryRelease.h"
#include "server-gui/engine/PresenceFanout.h"
#include "server-gui/engine/ScratchBuffers.h"
#include "shared/proto/Header.h"
#include "shared/proto/Messages.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace parley::server {

class SessionLoop {
public:
    /// Creates the state of `loop` (Server::start, on the loop's thread, before it serves
    /// a connection). `clock` and `memory` outlive the loop.
    static SessionLoop& install(net::Reactor& loop, const Clock& clock, FreeMemory& memory);
    /// The state of `loop`; throws std::logic_error if none was installed. Loop thread only.
    static SessionLoop& of(net::Reactor& loop);

    SessionLoop(net::Reactor& loop, const Clock& clock, FreeMemory& memory);

    /// A copy of the CHAT/ROOM frame at `frame` with the server's stamps
    /// (proto::stampRelayed): source `source`, timestamp the wall clock (read once per
    /// loop iteration). Valid until the next call.
    std::string_view stamp(const std::uint8_t* frame, std::size_t size, proto::UserId source);

    /// An empty byte buffer to encode one frame into, valid until the next call.
    std::vector<std::uint8_t>& encodeBuffer() { return m_scratch.encodeBuffer(); }
    /// An empty CONTACTS page to fill, valid until the next call.
    proto::Contacts& contactsPage() { return m_scratch.contactsPage(); }
    proto::ContactStates& contactStatesPage() { return m_scratch.contactStatesPage(); }

    /// Queues the CHAT frame at `frame` for `target`'s Session::deliverLive, stamped like
    /// stamp() does (`from` is the source).
    void relayChat(SessionPtr target, proto::UserId from, proto::MessageId id, const std::uint8_t* frame,
                   std::size_t size) {
        m_relay.relayChat(std::move(target), from, id, frame, size, m_wallClock.wallMs());
    }
    /// Queues ACK `kind` (Delivered or Read: `peer`'s messages up to `upTo`) for `origin`.
    void relayAck(SessionPtr origin, proto::AckKind kind, proto::UserId peer, proto::MessageId upTo) {
        m_relay.relayAck(std::move(origin), kind, peer, upTo);
    }
    /// Posts what is queued now, e.g. before a message of the same conversation takes the
    /// store path, so that the relayed ones are ahead of it.
    void handOver() { m_relay.handOver(); }

    /// A session on this loop logged in (BurstRelease).
    void noteLogin() { m_burst.noteLogin(); }

    /// Queues the encoded PRESENCE `frame` of `change` for every logged-in session of this
    /// loop but the subject's own (PresenceFanout; `known`: not a new account).
    void queuePresence(std::string_view frame, proto::ContactState change, bool known) {
        m_presence.queue(frame, change, known);
    }
    /// How many changes were queued so far (wraps): a session starting its CONTACTS list
    /// now sees the later ones only.
    std::uint32_t presenceQueued() const { return m_presence.queued(); }

    /// Puts `session` on the roster and under the idle sweep (every `checkEvery`);
    /// unwatch() takes it off when it closes.
    void watch(const SessionPtr& session, std::chrono::milliseconds checkEvery) { m_sweep.watch(session, checkEvery); }
    void unwatch(const Session& session) { m_sweep.unwatch(session); }

private:
    IterationClock m_wallClock;
    ScratchBuffers m_scratch;
    LoopRelay m_relay;
    BurstRelease m_burst;
    IdleSweep m_sweep;
    PresenceFanout m_presence;  ///< after m_sweep: it walks the sweep's roster
};

}  // namespace parley::server
