#pragma once
// Open connections per remote address, for the per-address connection limit.
// Thread-safe: connections open and close on every I/O loop.

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace parley::server {

class AddressCounter {
public:
    /// Counts one more connection from `address` unless that would exceed
    /// `limit` (0 = unlimited). Returns false, counting nothing, if over.
    bool tryAcquire(const std::string& address, std::uint32_t limit) {
        std::lock_guard<std::mutex> lock(m_mutex);
        std::uint32_t& count = m_counts[address];
        if (limit != 0 && count >= limit) {
            if (count == 0) m_counts.erase(address);
            return false;
        }
        ++count;
        return true;
    }

    void release(const std::string& address) {
        std::lock_guard<std::mutex> lock(m_mutex);
        auto it = m_counts.find(address);
        if (it == m_counts.end()) return;
        if (--it->second == 0) m_counts.erase(it);
    }

private:
    std::mutex m_mutex;
    std::unordered_map<std::string, std::uint32_t> m_counts;
};

}  // namespace parley::server
