#include "server-gui/engine/PresenceFanout.h"

#include "server-gui/engine/IdleSweep.h"
#include "server-gui/engine/Session.h"
#include "shared/proto/Codec.h"

#include <algorithm>
#include <utility>

namespace parley::server {

void PresenceFanout::queue(std::string_view frame, proto::ContactState change, bool known) {
    if (m_batch.entries.empty()) m_batch.first = m_queued;
    ++m_queued;
    m_batch.entries.push_back(
        {change, known, static_cast<std::uint32_t>(m_batch.frames.size()), static_cast<std::uint32_t>(frame.size())});
    m_batch.frames.append(frame);
    if (m_armed) return;
    const std::uint64_t now = m_clock.steadyMs();
    const auto delay = static_cast<std::uint64_t>(kDelay.count());
    if (now - m_sentMs >= delay) {  // quiet until now: no reason to wait
        flush();
        return;
    }
    m_armed = true;
    // `this` outlives the timer (see IdleSweep::watch()).
    m_loop.runAfter(std::chrono::milliseconds(delay - (now - m_sentMs)), [this] { flush(); });
}

template <class Wanted>
std::size_t PresenceFanout::build(const Batch& batch, bool brief, const Wanted& wanted, std::string& out) {
    constexpr std::size_t kStatesPerFrame = 4096;  // ~20 KB
    std::size_t frames = 0;
    proto::PresenceStates run;
    const auto endRun = [&] {
        if (run.states.empty()) return;
        const std::vector<std::uint8_t> bytes = proto::encode(proto::Header{}, proto::Body{run});
        out.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        run.states.clear();
        ++frames;
    };
    for (std::size_t i = 0; i < batch.entries.size(); ++i) {
        const Batch::Entry& e = batch.entries[i];
        if (!wanted(i, e)) continue;
        if (brief && e.known) {
            run.states.push_back(e.change);
            if (run.states.size() == kStatesPerFrame) endRun();
            continue;
        }
        endRun();  // keeps the order of the changes
        out.append(batch.frames, e.offset, e.size);
        ++frames;
    }
    endRun();
    return frames;
}

void PresenceFanout::flush() {
    m_armed = false;
    const Batch batch = std::exchange(m_batch, Batch{});
    std::vector<proto::UserId> subjects;
    subjects.reserve(batch.entries.size());
    for (const Batch::Entry& e : batch.entries) subjects.push_back(e.change.userId);
    std::sort(subjects.begin(), subjects.end());
    const auto seen = [](std::uint32_t seq, std::uint32_t mark) { return static_cast<std::int32_t>(seq - mark) >= 0; };
    // The whole batch in brief form, built for the first session that takes it.
    std::string brief;
    std::size_t briefFrames = 0;
    const auto everything = [](std::size_t, const Batch::Entry&) { return true; };
    std::string part;  // the batch without what one session must not get (rare: it logged in just now)
    // Sending runs no callback that could change the roster (sendNow's contract).
    for (const std::weak_ptr<Session>& watched : m_roster.sessions()) {
        const SessionPtr session = watched.lock();
        if (!session || session->state() != Session::State::Authenticated) continue;
        const proto::UserId me = session->userId();
        const std::uint32_t mark = session->presenceMark();
        const bool takesBrief = session->takesPresenceStates();
        if (seen(batch.first, mark) && !std::binary_search(subjects.begin(), subjects.end(), me)) {
            if (!takesBrief) {
                session->sendNow(batch.frames, batch.entries.size());
                continue;
            }
            if (briefFrames == 0) briefFrames = build(batch, true, everything, brief);
            session->sendNow(brief, briefFrames);
            continue;
        }
        part.clear();
        const std::size_t count = build(
            batch, takesBrief,
            [&](std::size_t i, const Batch::Entry& e) {
                return e.change.userId != me && seen(batch.first + static_cast<std::uint32_t>(i), mark);
            },
            part);
        if (count != 0) session->sendNow(part, count);
    }
    // From the end: a flush to thousands of sessions can take longer than kDelay, and
    // the next change must still wait for company.
    m_sentMs = m_clock.steadyMs();
}

}  // namespace parley::server
