#pragma once
// Presence changes to the loop's sessions (part of SessionLoop). A change of presence is
// posted to every loop once (broadcast() in SessionAuth.cpp). If the loop sent none for
// kDelay it goes out at once; otherwise it waits with the others until kDelay has passed.
// Then every logged-in session of the loop gets all waiting frames in one write, made at
// once (TcpConnection::sendNow) rather than queued to the end of the iteration. A login
// storm of N users is N changes for N sessions: one write per frame per session, and a
// buffer per session until the iteration ended, cost ~0.5 KiB of pinned heap per
// connection and most of the storm's CPU. A session gets only the changes queued after its
// CONTACTS list was started (Session::presenceMark), never its own, in arrival order.
//
// Threading: the owning loop's thread only.

#include "platform/Reactor.h"
#include "server-gui/engine/Clock.h"
#include "shared/proto/Header.h"
#include "shared/proto/Messages.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::server {

class IdleSweep;

class PresenceFanout {
public:
    /// Long enough to gather a storm's changes, short against a person's notice.
    static constexpr std::chrono::milliseconds kDelay{20};

    /// Sends to the sessions on `roster`.
    PresenceFanout(net::Reactor& loop, const Clock& clock, const IdleSweep& roster)
        : m_loop(loop), m_clock(clock), m_roster(roster) {}

    /// Queues the encoded PRESENCE `frame` of `change` for every logged-in session but
    /// the subject's own. `known`: the sessions know the subject's names already (a state
    /// change, not a new account), so a session that keeps its contact list gets the change
    /// as a PRESENCE_STATES entry of 5 bytes instead (protocol 9.13).
    void queue(std::string_view frame, proto::ContactState change, bool known);
    /// How many changes were queued so far (wraps): a session starting its CONTACTS list
    /// now sees the later ones only.
    std::uint32_t queued() const { return m_queued; }

private:
    struct Batch {
        std::uint32_t first = 0;  ///< queued() before entries[0]
        std::string frames;       ///< encoded PRESENCE frames back to back
        struct Entry {
            proto::ContactState change;
            bool known;
            std::uint32_t offset;  ///< of its frame in `frames`
            std::uint32_t size;
        };
        std::vector<Entry> entries;
    };

    void flush();
    /// Appends the entries `wanted` lets through to `out`, as PRESENCE frames or (`brief`)
    /// as PRESENCE_STATES for the known ones; returns the number of frames.
    template <class Wanted>
    std::size_t build(const Batch& batch, bool brief, const Wanted& wanted, std::string& out);

    net::Reactor& m_loop;
    const Clock& m_clock;
    const IdleSweep& m_roster;
    Batch m_batch;
    std::uint32_t m_queued = 0;
    std::uint64_t m_sentMs = 0;  ///< steady clock at the end of the last flush
    bool m_armed = false;
};

}  // namespace parley::server
