#include "shared/proto/Framer.h"

#include <algorithm>

namespace parley::proto {

namespace {

/// Below this capacity the framer never gives memory back: small buffers are
/// cheaper to keep than to reallocate on every burst.
constexpr std::size_t kKeepCapacity = 64 * 1024;

/// Checks the part of the header's first three bytes (magic, version) that has
/// arrived, so garbage is refused before 28 bytes are in.
ProtocolError checkPrefix(const std::uint8_t* data, std::size_t size) {
    const std::uint8_t prefix[3] = {static_cast<std::uint8_t>(kMagic >> 8), static_cast<std::uint8_t>(kMagic & 0xFF),
                                    kProtocolVersion};
    const std::size_t n = std::min<std::size_t>(size, 3);
    for (std::size_t i = 0; i < n; ++i) {
        if (data[i] != prefix[i]) {
            return i < 2 ? ProtocolError::BadMagic : ProtocolError::UnsupportedVersion;
        }
    }
    return ProtocolError::None;
}

}  // namespace

FrameStatus parseFrame(const std::uint8_t* data, std::size_t size, FrameView& out, ProtocolError& error,
                       std::uint32_t maxPayload) {
    error = size < kHeaderSize ? checkPrefix(data, size) : ProtocolError::None;
    if (error != ProtocolError::None) {
        return FrameStatus::Error;
    }
    if (size < kHeaderSize) {
        return FrameStatus::NeedMore;
    }
    // The limit is checked here, before the caller waits for (or buffers) the
    // payload the header announces.
    const Header header = decodeHeader(data);
    error = validateHeader(header, maxPayload);
    if (error != ProtocolError::None) {
        return FrameStatus::Error;
    }
    if (size - kHeaderSize < header.payloadLength) {
        return FrameStatus::NeedMore;
    }
    out.header = header;
    out.payload = data + kHeaderSize;
    out.payloadSize = header.payloadLength;
    return FrameStatus::Complete;
}

Framer::Framer(std::uint32_t maxPayload) : m_maxPayload(maxPayload) {}

void Framer::feed(const std::uint8_t* data, std::size_t size) {
    if (m_error != ProtocolError::None || size == 0) {
        return;  // a broken stream stays broken; nothing more is buffered
    }
    // Drop the frames already handed out (their views expire here), so the
    // buffer holds at most one partial frame before the new bytes.
    const std::size_t pending = buffered();
    const std::size_t needed = pending + size;
    if (m_buffer.capacity() > kKeepCapacity && m_buffer.capacity() / 2 > needed) {
        // An earlier burst grew the buffer; give the memory back.
        std::vector<std::uint8_t> smaller;
        smaller.reserve(std::max(needed, kKeepCapacity));
        smaller.assign(m_buffer.begin() + static_cast<std::ptrdiff_t>(m_readPos), m_buffer.end());
        m_buffer.swap(smaller);
    } else if (m_readPos > 0) {
        m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(m_readPos));
    }
    m_readPos = 0;
    m_buffer.insert(m_buffer.end(), data, data + size);
}

FrameStatus Framer::next(FrameView& out) {
    if (m_error != ProtocolError::None) {
        return FrameStatus::Error;
    }
    const FrameStatus status = parseFrame(m_buffer.data() + m_readPos, buffered(), out, m_error, m_maxPayload);
    if (status == FrameStatus::Complete) {
        m_readPos += out.frameSize();
    } else if (status == FrameStatus::Error) {
        std::vector<std::uint8_t>().swap(m_buffer);  // nothing after an error is used
        m_readPos = 0;
    }
    return status;
}

std::size_t Framer::missing() const {
    if (m_error != ProtocolError::None || buffered() < kHeaderSize) {
        return 0;
    }
    const Header header = decodeHeader(m_buffer.data() + m_readPos);
    if (validateHeader(header, m_maxPayload) != ProtocolError::None) {
        return 0;  // fed but not yet looked at by next(), which refuses it
    }
    const std::size_t frameSize = kHeaderSize + header.payloadLength;
    return frameSize > buffered() ? frameSize - buffered() : 0;
}

}  // namespace parley::proto
