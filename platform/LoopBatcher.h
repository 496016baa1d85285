#pragma once

#include "platform/Flushable.h"
#include "platform/Reactor.h"

#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace parley::net {

/// Hands work from one loop to other loops in batches: whatever the owning loop adds for a
/// target loop during one iteration travels in one post at the end of that iteration (one
/// closure, one lock, at most one wake-up per target) instead of one post per item.
///
/// `Batch` is the caller's container (e.g. records plus one contiguous byte buffer, so
/// that an item costs no allocation of its own): default-constructible, copyable (it
/// travels in a Reactor::Functor) and with `bool empty() const`. `Deliver` runs on the
/// target loop's thread with the batch.
///
/// Order: batches to one target arrive in the order they were handed over, items in the
/// order the caller put them into the batch. A plain post() to the target made after an
/// item was added may overtake it; call handOver() first where that matters.
///
/// Threading: create, add to and hand over on the owning loop's thread only. Ownership:
/// always held by std::shared_ptr (the loop keeps it alive until the scheduled hand-over
/// ran). Batches for a loop that has finished are dropped (Reactor::post's contract).
template <class Batch>
class LoopBatcher final : public std::enable_shared_from_this<LoopBatcher<Batch>>, private Flushable {
public:
    using Deliver = void (*)(Batch&);

    static std::shared_ptr<LoopBatcher> create(Reactor& loop, Deliver deliver) {
        return std::shared_ptr<LoopBatcher>(new LoopBatcher(loop, deliver));
    }

    LoopBatcher(const LoopBatcher&) = delete;
    LoopBatcher& operator=(const LoopBatcher&) = delete;

    /// Owning loop thread. The batch being built for `target`; it is handed over at the end
    /// of this iteration (or at the next handOver()).
    Batch& batchFor(Reactor& target) {
        m_loop.assertInLoopThread();
        if (!m_scheduled) {
            m_scheduled = true;
            m_loop.scheduleFlush(std::shared_ptr<Flushable>(this->shared_from_this(), static_cast<Flushable*>(this)));
        }
        for (auto& [loop, batch] : m_batches) {
            if (loop == &target) {
                return batch;
            }
        }
        return m_batches.emplace_back(&target, Batch()).second;
    }

    /// Owning loop thread. Posts every non-empty batch now.
    void handOver() {
        m_loop.assertInLoopThread();
        for (auto& [loop, batch] : m_batches) {
            if (batch.empty()) {
                continue;
            }
            loop->post([deliver = m_deliver, batch = std::move(batch)]() mutable { deliver(batch); });
            batch = Batch();
        }
    }

private:
    LoopBatcher(Reactor& loop, Deliver deliver) : m_loop(loop), m_deliver(deliver) {}

    void flush() override {
        m_scheduled = false;
        handOver();
    }

    Reactor& m_loop;
    const Deliver m_deliver;
    bool m_scheduled = false;
    std::vector<std::pair<Reactor*, Batch>> m_batches;  // a handful of loops: a linear search
};

}  // namespace parley::net
