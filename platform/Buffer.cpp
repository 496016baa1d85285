#include "platform/Buffer.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <stdexcept>

namespace parley::net {

void Buffer::resetIndices() { m_reader = m_writer = m_storage.empty() ? 0 : index(kCheapPrepend); }

void Buffer::retrieve(std::size_t count) {
    assert(count <= readableBytes());
    if (count < readableBytes()) {
        m_reader += index(count);
    } else {
        resetIndices();
    }
}

void Buffer::retrieveAll() { resetIndices(); }

std::string Buffer::retrieveAsString(std::size_t count) {
    assert(count <= readableBytes());
    std::string result(peek(), count);
    retrieve(count);
    return result;
}

std::string Buffer::retrieveAllAsString() { return retrieveAsString(readableBytes()); }

void Buffer::append(const void* data, std::size_t count) {
    if (count == 0) {
        return;
    }
    ensureWritable(count);
    std::memcpy(beginWrite(), data, count);
    m_writer += index(count);
}

void Buffer::prepend(const void* data, std::size_t count) {
    assert(count <= prependableBytes());
    m_reader -= index(count);
    std::memcpy(m_storage.data() + m_reader, data, count);
}

void Buffer::ensureWritable(std::size_t count) {
    if (writableBytes() >= count) {
        return;
    }
    if (count > kMaxSize - kCheapPrepend - readableBytes()) {
        throw std::length_error("parley::net::Buffer: more than 4 GiB");
    }
    if (m_storage.empty()) {
        m_storage.resize(kCheapPrepend + std::max(count, kInitialSize));
        resetIndices();
        return;
    }
    if (writableBytes() + prependableBytes() >= count + kCheapPrepend) {
        moveContentToFront();  // enough room in total: no need to grow
        return;
    }
    if (m_writer + count > kMaxSize) {
        moveContentToFront();  // so that the indices stay within 32 bits
    }
    // vector grows its capacity geometrically, so repeated appends stay amortized O(1).
    m_storage.resize(m_writer + count);
}

void Buffer::moveContentToFront() {
    const std::size_t readable = readableBytes();
    std::memmove(m_storage.data() + kCheapPrepend, peek(), readable);
    m_reader = index(kCheapPrepend);
    m_writer = index(kCheapPrepend + readable);
}

void Buffer::hasWritten(std::size_t count) {
    assert(count <= writableBytes());
    m_writer += index(count);
}

void Buffer::unwrite(std::size_t count) {
    assert(count <= readableBytes());
    m_writer -= index(count);
}

void Buffer::shrink(std::size_t reserve) {
    if (empty() && reserve == 0) {
        release();
        return;
    }
    Buffer other;
    other.m_storage.reserve(kCheapPrepend + readableBytes() + reserve);
    other.m_storage.resize(kCheapPrepend + readableBytes() + reserve);
    other.resetIndices();
    other.append(peek(), readableBytes());
    swap(other);
}

void Buffer::release() {
    if (!empty()) {
        shrink(0);
        return;
    }
    std::vector<char>().swap(m_storage);
    resetIndices();
}

std::vector<char> Buffer::takeStorage() {
    assert(empty());
    std::vector<char> storage;
    storage.swap(m_storage);
    resetIndices();
    return storage;
}

void Buffer::adoptStorage(std::vector<char> storage) {
    assert(m_storage.empty() && storage.size() >= kCheapPrepend);
    m_storage = std::move(storage);
    resetIndices();
}

void Buffer::swap(Buffer& other) noexcept {
    m_storage.swap(other.m_storage);
    std::swap(m_reader, other.m_reader);
    std::swap(m_writer, other.m_writer);
}

}  // namespace parley::net
