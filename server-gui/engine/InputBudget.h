#pragma once
// A total of bytes shared by many holders, e.g. the partial frames that every
// unauthenticated connection keeps (Limits::preLoginInputBudget): each holder
// resizes its own share, and a share that would take the total past the
// budget is refused. Thread-safe (holders live on every I/O loop).

#include <atomic>
#include <cstdint>

namespace parley::server {

class InputBudget {
public:
    explicit InputBudget(std::uint64_t budget) : m_budget(budget) {}

    /// Sets a holder's share (`share`, its current value) to `wanted`. Shrinking
    /// always succeeds; growing fails, leaving `share` unchanged, if the total
    /// would pass the budget.
    bool resize(std::uint64_t& share, std::uint64_t wanted) {
        if (wanted <= share) {
            m_total.fetch_sub(share - wanted, std::memory_order_relaxed);
            share = wanted;
            return true;
        }
        const std::uint64_t more = wanted - share;
        std::uint64_t total = m_total.load(std::memory_order_relaxed);
        do {
            if (total + more > m_budget) return false;
        } while (!m_total.compare_exchange_weak(total, total + more, std::memory_order_relaxed));
        share = wanted;
        return true;
    }

    std::uint64_t total() const { return m_total.load(std::memory_order_relaxed); }

private:
    const std::uint64_t m_budget;
    std::atomic<std::uint64_t> m_total{0};
};

}  // namespace parley::server
