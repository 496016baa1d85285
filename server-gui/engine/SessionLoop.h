#pragma once
// The engine's state per I/O loop, kept in the loop's Reactor::context().
//
// The relay: CHATs, ACK Delivered and ACK Read bound for sessions on *other* loops are
// collected during one iteration of this loop and handed to each target loop
// in one post at its end (net::LoopBatcher): one closure, one lock and at most
// one wake-up per target loop and iteration instead of one each per message,
// and the frames travel in one contiguous buffer instead of a string each.
//
// Memory: after a burst of logins (presence, CONTACTS pages, posted work) the
// allocator keeps most of what was freed; once the loop has seen no login for
// a few hundred milliseconds it hands that back to the system
// (net::releaseFreeMemory), and again every quarter second for ten seconds:
// most is freed only later, as the clients read the burst's output (CONTACTS
// pages). The check is a timer armed by logins only, so an idle server does
// not wake up for it.
//
// Idle sessions: one sweep per loop, every `checkEvery` (a quarter of the idle
// timeout), closes the sessions that went quiet, instead of a timer per
// session (~100 bytes each, and a timer-tree insertion per session per period).
// It also releases free memory, as after a burst of logins.
//
// Presence: a change of presence is posted to every loop once (broadcast() in
// SessionAuth.cpp). If the loop sent none for kPresenceDelay it goes out at
// once; otherwise it waits with the others until kPresenceDelay has passed.
// Then every logged-in session of the loop gets all waiting frames in one
// write, made at once (TcpConnection::sendNow) rather than queued to the end of
// the iteration. A login storm of N users is N changes for N sessions: one
// write per frame per session, and a buffer per session until the iteration
// ended, cost ~0.5 KiB of pinned heap per connection and most of the storm's
// CPU. A session gets only the changes queued after its CONTACTS list was
// started (Session::presenceMark), never its own, in the order they arrived.
//
// Threading: everything here runs on the owning loop's thread (of() asserts
// it). Ownership: the Reactor owns it; it holds sessions only inside batches
// that are in transit.

#include "platform/LoopBatcher.h"
#include "server-gui/engine/Clock.h"
#include "shared/proto/Header.h"
#include "shared/proto/Messages.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace parley::server {

class Session;
using SessionPtr = std::shared_ptr<Session>;

class SessionLoop {
public:
    /// Creates the state of `loop`, reading `clock` (Server::start, before the loop
    /// serves a connection). Loop thread only.
    static SessionLoop& install(net::Reactor& loop, const Clock& clock);
    /// The state of `loop` (install()ed; else created on the system clock). Loop thread only.
    static SessionLoop& of(net::Reactor& loop);

    SessionLoop(net::Reactor& loop, const Clock& clock);

    /// A copy of the CHAT/ROOM frame at `frame` with the server's stamps
    /// (proto::stampRelayed): source `source`, timestamp the wall clock (read once per
    /// loop iteration). Valid until the next call.
    std::string_view stamp(const std::uint8_t* frame, std::size_t size, proto::UserId source);

    /// An empty byte buffer to encode one frame into, valid until the next call
    /// (its capacity is reused; a large one from a CONTACTS page is let go).
    std::vector<std::uint8_t>& encodeBuffer();

    /// An empty CONTACTS page to fill, valid until the next call (its capacity
    /// is reused: a page per 256 users of every login is no allocation).
    proto::Contacts& contactsPage();

    /// Queues the CHAT frame at `frame` for `target`'s Session::deliverLive,
    /// stamped like stamp() does (`from` is the source).
    void relayChat(SessionPtr target, proto::UserId from, proto::MessageId id, const std::uint8_t* frame,
                   std::size_t size);
    /// Queues ACK `kind` (Delivered or Read: `peer`'s messages up to `upTo`) for `origin`.
    void relayAck(SessionPtr origin, proto::AckKind kind, proto::UserId peer, proto::MessageId upTo);
    /// Posts what is queued now, e.g. before a message of the same conversation
    /// takes the store path, so that the relayed ones are ahead of it.
    void handOver() { m_relay->handOver(); }

    /// A session on this loop logged in (see "Memory" above).
    void noteLogin();

    /// Queues the encoded PRESENCE `frame` about `subject` for every logged-in
    /// session of this loop but the subject's own (see "Presence" above).
    void queuePresence(std::string_view frame, proto::UserId subject);
    /// How many changes were queued so far (wraps): a session starting its
    /// CONTACTS list now sees the later ones only.
    std::uint32_t presenceQueued() const { return m_presenceQueued; }

    /// Puts `session` under the idle sweep (the first call arms it, every
    /// `checkEvery`); unwatch() takes it off when it closes.
    void watch(const SessionPtr& session, std::chrono::milliseconds checkEvery);
    void unwatch(const Session& session);

private:
    static constexpr std::chrono::milliseconds kReleaseEvery{250};
    static constexpr int kReleasePasses = 40;  ///< 10 s of passes after the last login
    /// Long enough to gather a storm's changes, short against a person's notice.
    static constexpr std::chrono::milliseconds kPresenceDelay{20};

    struct PresenceBatch {
        std::uint32_t first = 0;  ///< presenceQueued() before entries[0]
        std::string frames;       ///< encoded PRESENCE frames back to back
        struct Entry {
            proto::UserId subject;
            std::uint32_t offset;  ///< of its frame in `frames`
            std::uint32_t size;
        };
        std::vector<Entry> entries;
    };

    struct RelayBatch {
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

    static void deliver(RelayBatch& batch);
    RelayBatch& batchFor(const Session& target);
    std::uint64_t wallNowMsCached();
    void applyStamps(char* frame, proto::UserId source);
    void releaseMemoryIfQuiet();
    void sweepIdle();
    void flushPresence();
    void removeWatched(std::size_t slot);

    net::Reactor& m_loop;
    const Clock& m_clock;
    std::shared_ptr<net::LoopBatcher<RelayBatch>> m_relay;
    std::string m_stamped;
    std::vector<std::uint8_t> m_encoded;
    proto::Contacts m_contactsPage;
    std::uint64_t m_clockIteration = ~std::uint64_t{0};
    std::uint64_t m_wallMs = 0;
    std::uint64_t m_logins = 0;      ///< since the last release of free memory
    std::uint64_t m_loginsSeen = 0;  ///< m_logins at the previous check
    bool m_releaseArmed = false;
    int m_releasesLeft = 0;  ///< passes still due after the burst ended
    std::vector<std::weak_ptr<Session>> m_watched;  ///< Session::sweepSlot() is the index
    bool m_sweepArmed = false;
    PresenceBatch m_presence;
    std::uint32_t m_presenceQueued = 0;
    std::uint64_t m_presenceSentMs = 0;  ///< steady clock at the end of the last flush
    bool m_presenceArmed = false;
};

}  // namespace parley::server
