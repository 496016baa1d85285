#include "server-gui/engine/PresenceFanout.h"

#include "server-gui/engine/IdleSweep.h"
#include "server-gui/engine/Session.h"

#include <algorithm>
#include <utility>

namespace parley::server {

void PresenceFanout::queue(std::string_view frame, proto::UserId subject) {
    if (m_batch.entries.empty()) m_batch.first = m_queued;
    ++m_queued;
    m_batch.entries.push_back(
        {subject, static_cast<std::uint32_t>(m_batch.frames.size()), static_cast<std::uint32_t>(frame.size())});
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

void PresenceFanout::flush() {
    m_armed = false;
    const Batch batch = std::exchange(m_batch, Batch{});
    std::vector<proto::UserId> subjects;
    subjects.reserve(batch.entries.size());
    for (const Batch::Entry& e : batch.entries) subjects.push_back(e.subject);
    std::sort(subjects.begin(), subjects.end());
    const auto seen = [](std::uint32_t seq, std::uint32_t mark) { return static_cast<std::int32_t>(seq - mark) >= 0; };
    std::string part;  // the batch without what one session must not get (rare: it logged in just now)
    // Sending runs no callback that could change the roster (sendNow's contract).
    for (const std::weak_ptr<Session>& watched : m_roster.sessions()) {
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
            const Batch::Entry& e = batch.entries[i];
            if (e.subject == me || !seen(batch.first + static_cast<std::uint32_t>(i), mark)) continue;
            part.append(batch.frames, e.offset, e.size);
            ++count;
        }
        if (count != 0) session->sendNow(part, count);
    }
    // From the end: a flush to thousands of sessions can take longer than kDelay, and
    // the next change must still wait for company.
    m_sentMs = m_clock.steadyMs();
}

}  // namespace parley::server
