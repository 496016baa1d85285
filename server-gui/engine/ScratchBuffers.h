#pragma once
// Buffers a loop reuses for every frame it builds (SessionLoop's scratch space): a
// relayed frame's stamped copy, an encoded frame, a CONTACTS page. Each is valid until its
// next use; their capacity stays, so a steady stream costs no allocation, except that a
// large encode buffer (a CONTACTS page) is let go rather than kept pinned per loop.
//
// Threading: the owning loop's thread only.

#include "shared/proto/Messages.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::server {

class ScratchBuffers {
public:
    /// Encode buffers above this are freed at their next use instead of reused.
    static constexpr std::size_t kKeptEncodeCapacity = 64 * 1024;

    /// A copy of `size` bytes at `frame`, to stamp in place.
    std::string& copyOf(const std::uint8_t* frame, std::size_t size) {
        m_copy.assign(reinterpret_cast<const char*>(frame), size);
        return m_copy;
    }

    /// An empty byte buffer to encode one frame into.
    std::vector<std::uint8_t>& encodeBuffer() {
        if (m_encoded.capacity() > kKeptEncodeCapacity) std::vector<std::uint8_t>().swap(m_encoded);
        m_encoded.clear();
        return m_encoded;
    }

    /// An empty CONTACTS page to fill (a page per 256 users of every login is no allocation).
    proto::Contacts& contactsPage() {
        m_contactsPage.contacts.clear();
        m_contactsPage.last = false;
        m_contactsPage.version.reset();
        return m_contactsPage;
    }

    /// An empty CONTACT_STATES page to fill.
    proto::ContactStates& contactStatesPage() {
        m_statesPage.states.clear();
        m_statesPage.last = false;
        return m_statesPage;
    }

private:
    std::string m_copy;
    std::vector<std::uint8_t> m_encoded;
    proto::Contacts m_contactsPage;
    proto::ContactStates m_statesPage;
};

}  // namespace parley::server
