#pragma once
// The CHAT frames a session forwarded from one sender and the recipient has
// not acknowledged yet, in arrival order (see DeliveryTable: they go to the
// store if the connection closes first).
//
// All frames live in one contiguous byte buffer whose capacity is kept while
// the conversation is active, so a steady stream costs no allocation per
// message. A value type, not thread-safe (the owning session's loop only).

#include "shared/proto/Header.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace parley::server {

class InFlightQueue {
public:
    void push(proto::MessageId id, std::string_view frame) {
        m_entries.push_back({id, static_cast<std::uint32_t>(m_bytes.size()), static_cast<std::uint32_t>(frame.size())});
        m_bytes.append(frame);
    }

    /// Drops every frame with an id <= upTo (acks are cumulative); returns how many.
    std::size_t ackUpTo(proto::MessageId upTo) {
        const std::size_t before = size();
        while (m_first < m_entries.size() && m_entries[m_first].id <= upTo) ++m_first;
        // Ids grow per sender, except when a reconnected sender re-sends: then an
        // acknowledged id may sit behind a newer one, and a full pass removes it.
        const auto rest = m_entries.begin() + static_cast<std::ptrdiff_t>(m_first);
        if (std::any_of(rest, m_entries.end(), [upTo](const Entry& e) { return e.id <= upTo; })) {
            compact(upTo);
        } else if (m_first == m_entries.size()) {
            m_entries.clear();
            m_bytes.clear();
            m_first = 0;
        } else if (2 * m_first > m_entries.size()) {
            compact(upTo);  // keep the dead prefix from growing without bound
        }
        return before - size();
    }

    /// Calls fn(id, frame) for every frame still in flight, oldest first.
    template <class Fn>
    void forEach(Fn&& fn) const {
        for (std::size_t i = m_first; i < m_entries.size(); ++i)
            fn(m_entries[i].id, std::string_view(m_bytes).substr(m_entries[i].offset, m_entries[i].size));
    }

    std::size_t size() const { return m_entries.size() - m_first; }
    bool empty() const { return size() == 0; }

private:
    struct Entry {
        proto::MessageId id;
        std::uint32_t offset;
        std::uint32_t size;
    };

    // Keeps the entries with an id > upTo, moved to the front of both buffers in
    // place (a kept frame only ever moves towards the front: memmove, no allocation).
    void compact(proto::MessageId upTo) {
        std::size_t kept = 0;
        std::size_t end = 0;
        for (std::size_t i = m_first; i < m_entries.size(); ++i) {
            Entry e = m_entries[i];
            if (e.id <= upTo) continue;
            if (e.offset != end) std::memmove(&m_bytes[end], m_bytes.data() + e.offset, e.size);
            e.offset = static_cast<std::uint32_t>(end);
            end += e.size;
            m_entries[kept++] = e;
        }
        m_entries.resize(kept);
        m_bytes.resize(end);
        m_first = 0;
    }

    std::vector<Entry> m_entries;
    std::size_t m_first = 0;  ///< entries before it are acknowledged
    std::string m_bytes;
};

}  // namespace parley::server
