#include "server-gui/engine/SessionLoop.h"

#include "server-gui/engine/Session.h"
#include "platform/CatchAll.h"
#include "platform/Memory.h"
#include "shared/proto/Codec.h"

#include <algorithm>
#include <any>
#include <chrono>
#include <utility>

namespace parley::server {

SessionLoop& SessionLoop::install(net::Reactor& loop, const Clock& clock) {
    // std::any needs a copyable value: the state itself sits behind a shared_ptr.
    auto state = std::make_shared<SessionLoop>(loop, clock);
    loop.context() = state;
    return *state;
}

SessionLoop& SessionLoop::of(net::Reactor& loop) {
    if (auto* state = std::any_cast<std::shared_ptr<SessionLoop>>(&loop.context())) return **state;
    return install(loop, Clock::system());
}

SessionLoop::SessionLoop(net::Reactor& loop, const Clock& clock)
    : m_loop(loop), m_clock(clock), m_relay(net::LoopBatcher<RelayBatch>::create(loop, &deliver)) {}

void SessionLoop::noteLogin() {
    ++m_logins;
    if (m_releaseArmed) return;
    m_releaseArmed = true;
    m_loginsSeen = m_logins;
    m_releasesLeft = kReleasePasses;
    // `this` outlives the timer: the Reactor drops its timers when its loop
    // finishes, and destroys this state (its context) only after that.
    m_loop.runAfter(kReleaseEvery, [this] { releaseMemoryIfQuiet(); });
}

void SessionLoop::releaseMemoryIfQuiet() {
    if (m_logins != m_loginsSeen) {  // still logging users in: memory would be reused at once
        m_loginsSeen = m_logins;
        m_releasesLeft = kReleasePasses;
    } else {
        net::releaseFreeMemory();
        --m_releasesLeft;
    }
    if (m_releasesLeft <= 0) {
        m_releaseArmed = false;
        return;
    }
    m_loop.runAfter(kReleaseEvery, [this] { releaseMemoryIfQuiet(); });
}

void SessionLoop::watch(const SessionPtr& session, std::chrono::milliseconds checkEvery) {
    session->setSweepSlot(static_cast<std::uint32_t>(m_watched.size()));
    m_watched.push_back(session);
    if (m_sweepArmed) return;
    m_sweepArmed = true;
    // `this` outlives the timer (see noteLogin()).
    m_loop.runEvery(checkEvery, [this] { sweepIdle(); });
}

void SessionLoop::unwatch(const Session& session) {
    const std::size_t slot = session.sweepSlot();
    if (slot < m_watched.size() && m_watched[slot].lock().get() == &session) removeWatched(slot);
}

void SessionLoop::removeWatched(std::size_t slot) {
    if (slot + 1 != m_watched.size()) {
        m_watched[slot] = std::move(m_watched.back());
        if (const SessionPtr moved = m_watched[slot].lock()) moved->setSweepSlot(static_cast<std::uint32_t>(slot));
    }
    m_watched.pop_back();
}

void SessionLoop::sweepIdle() {
    const std::uint64_t now = m_clock.steadyMs();
    std::vector<SessionPtr> idle;
    for (std::size_t i = 0; i < m_watched.size();) {
        SessionPtr session = m_watched[i].lock();
        if (!session) {  // ended without onClose() (its loop stopped): drop the slot
            removeWatched(i);
            continue;
        }
        if (session->isIdle(now)) idle.push_back(std::move(session));
        ++i;
    }
    // Closing may call back into unwatch(): not while walking the list.
    for (const SessionPtr& session : idle) session->closeIdle(now);
    // What bursts since the last sweep freed goes back to the system (glibc
    // keeps it otherwise, and every later small allocation may touch it again).
    net::releaseFreeMemory();
}

void SessionLoop::queuePresence(std::string_view frame, proto::UserId subject) {
    if (m_presence.entries.empty()) m_presence.first = m_presenceQueued;
    ++m_presenceQueued;
    m_presence.entries.push_back({subject, static_cast<std::uint32_t>(m_presence.frames.size()),
                                  static_cast<std::uint32_t>(frame.size())});
    m_presence.frames.append(frame);
    if (m_presenceArmed) return;
    const std::uint64_t now = m_clock.steadyMs();
    const auto delay = static_cast<std::uint64_t>(kPresenceDelay.count());
    if (now - m_presenceSentMs >= delay) {  // quiet until now: no reason to wait
        flushPresence();
        return;
    }
    m_presenceArmed = true;
    // `this` outlives the timer (see noteLogin()).
    m_loop.runAfter(std::chrono::milliseconds(delay - (now - m_presenceSentMs)), [this] { flushPresence(); });
}

void SessionLoop::flushPresence() {
    m_presenceArmed = false;
    const PresenceBatch batch = std::exchange(m_presence, PresenceBatch{});
    std::vector<proto::UserId> subjects;
    subjects.reserve(batch.entries.size());
    for (const PresenceBatch::Entry& e : batch.entries) subjects.push_back(e.subject);
    std::sort(subjects.begin(), subjects.end());
    const auto seen = [](std::uint32_t seq, std::uint32_t mark) { return static_cast<std::int32_t>(seq - mark) >= 0; };
    std::string part;  // the batch without what one session must not get (rare: it logged in just now)
    // Sending runs no callback that could change m_watched (sendNow's contract).
    for (const std::weak_ptr<Session>& watched : m_watched) {
        const SessionPtr session = watched.lock();
        if (!session || session->state() != Session::State::Authenticated) continue;
        const proto::UserId me = session->userId();
        const std::uint32_t mark = session->presenceMark();
        if (seen(batch.first, mark) && !std::binary_search(subjects.begin(), subjects.end(), me)) {
            session->sendNow(batch.frames, batch.entries.size());
            continue;
        }
        part.clear();
        std::size_t count = 0;
        for (std::size_t i = 0; i < batch.entries.size(); ++i) {
            const PresenceBatch::Entry& e = batch.entries[i];
            if (e.subject == me || !seen(batch.first + static_cast<std::uint32_t>(i), mark)) continue;
            part.append(batch.frames, e.offset, e.size);
            ++count;
        }
        if (count != 0) session->sendNow(part, count);
    }
    // From the end: a flush to thousands of sessions can take longer than
    // kPresenceDelay, and the next change must still wait for company.
    m_presenceSentMs = m_clock.steadyMs();
}

std::uint64_t SessionLoop::wallNowMsCached() {
    // Timestamps have millisecond resolution: one clock read per iteration will do.
    if (const std::uint64_t iteration = m_loop.iterations(); iteration != m_clockIteration) {
        m_clockIteration = iteration;
        m_wallMs = m_clock.wallMs();
    }
    return m_wallMs;
}

void SessionLoop::applyStamps(char* frame, proto::UserId source) {
    proto::stampRelayed(reinterpret_cast<std::uint8_t*>(frame), source, wallNowMsCached());
}

std::string_view SessionLoop::stamp(const std::uint8_t* frame, std::size_t size, proto::UserId source) {
    m_stamped.assign(reinterpret_cast<const char*>(frame), size);
    applyStamps(m_stamped.data(), source);
    return m_stamped;
}

SessionLoop::RelayBatch& SessionLoop::batchFor(const Session& target) { return m_relay->batchFor(target.loop()); }

std::vector<std::uint8_t>& SessionLoop::encodeBuffer() {
    constexpr std::size_t kKeep = 64 * 1024;
    if (m_encoded.capacity() > kKeep) std::vector<std::uint8_t>().swap(m_encoded);
    m_encoded.clear();
    return m_encoded;
}

proto::Contacts& SessionLoop::contactsPage() {
    m_contactsPage.contacts.clear();
    m_contactsPage.last = false;
    return m_contactsPage;
}

void SessionLoop::relayChat(SessionPtr target, proto::UserId from, proto::MessageId id, const std::uint8_t* frame,
                            std::size_t size) {
    RelayBatch& batch = batchFor(*target);
    const std::size_t offset = batch.frames.size();
    batch.frames.append(reinterpret_cast<const char*>(frame), size);  // stamped in place: no extra copy
    applyStamps(batch.frames.data() + offset, from);
    batch.entries.push_back({std::move(target), from, id, static_cast<std::uint32_t>(offset),
                             static_cast<std::uint32_t>(size)});
}

void SessionLoop::relayAck(SessionPtr origin, proto::AckKind kind, proto::UserId peer, proto::MessageId upTo) {
    RelayBatch& batch = batchFor(*origin);
    batch.entries.push_back({std::move(origin), peer, upTo, 0, 0, kind});
}

void SessionLoop::deliver(RelayBatch& batch) {
    const std::string_view frames(batch.frames);
    for (const RelayBatch::Entry& e : batch.entries) {
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
