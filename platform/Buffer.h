#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::net {

/// A byte buffer with read and write indices and cheap prepend (muduo Buffer.h).
///
///     +-------------------+------------------+------------------+
///     | prependable bytes |  readable bytes  |  writable bytes  |
///     |                   |    (CONTENT)     |                  |
///     +-------------------+------------------+------------------+
///     |                   |                  |                  |
///     0      <=        reader      <=      writer      <=     size
///
/// Lazy: a default-constructed Buffer owns no memory; the first write allocates
/// kCheapPrepend + max(needed, kInitialSize) bytes, and release() hands memory back
/// once the content is consumed, so an idle connection holds no buffer memory.
///
/// A value type, not thread-safe. Functions taking a byte count require it to be at most
/// readableBytes() (retrieve, unwrite), writableBytes() (hasWritten) or
/// prependableBytes() (prepend); this is asserted in debug builds.
class Buffer {
public:
    static constexpr std::size_t kCheapPrepend = 8;
    static constexpr std::size_t kInitialSize = 1024;
    /// Content plus prepend room at most (4 GiB): 32-bit indices keep an idle
    /// connection's two buffers small. Growing past it throws std::length_error.
    static constexpr std::size_t kMaxSize = 0xFFFFFFFFu;

    std::size_t readableBytes() const { return m_writer - m_reader; }
    std::size_t writableBytes() const { return m_storage.size() - m_writer; }
    std::size_t prependableBytes() const { return m_reader; }
    /// Bytes of memory held (0 for an idle buffer).
    std::size_t capacity() const { return m_storage.capacity(); }
    bool empty() const { return m_reader == m_writer; }

    /// The readable bytes; valid until the next non-const call.
    const char* peek() const { return m_storage.data() + m_reader; }
    std::string_view view() const { return {peek(), readableBytes()}; }

    /// Consumes bytes from the front.
    void retrieve(std::size_t count);
    void retrieveAll();
    std::string retrieveAsString(std::size_t count);
    std::string retrieveAllAsString();

    void append(const void* data, std::size_t count);
    void append(std::string_view data) { append(data.data(), data.size()); }
    /// Writes in front of the readable bytes (e.g. a length header).
    void prepend(const void* data, std::size_t count);

    /// Makes room for `count` more bytes: moves the content to the front if that is
    /// enough, otherwise grows.
    void ensureWritable(std::size_t count);
    char* beginWrite() { return m_storage.data() + m_writer; }
    /// Commits bytes written at beginWrite().
    void hasWritten(std::size_t count);
    /// Drops bytes from the back.
    void unwrite(std::size_t count);

    /// Reallocates to exactly the content plus `reserve` writable bytes.
    void shrink(std::size_t reserve);
    /// Frees all memory if there is no content (otherwise shrinks to the content).
    void release();

    /// Hands the memory of an empty buffer over (the buffer is left with none),
    /// so that its owner can keep it for another buffer: see adoptStorage().
    std::vector<char> takeStorage();
    /// Gives an empty buffer without memory `storage` (from takeStorage()),
    /// used as it is: no allocation and no zero-filling on the next append.
    void adoptStorage(std::vector<char> storage);

    void swap(Buffer& other) noexcept;

private:
    void resetIndices();
    void moveContentToFront();

    using Index = std::uint32_t;
    static Index index(std::size_t n) { return static_cast<Index>(n); }

    std::vector<char> m_storage;
    Index m_reader = 0;
    Index m_writer = 0;
};

}  // namespace parley::net
