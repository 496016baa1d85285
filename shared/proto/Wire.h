#pragma once
// Byte-level reading and writing of the wire's primitive fields.
//
//   u8 / u16 / u32 / u64   unsigned, big-endian (network byte order)
//   str                    u16 byte length + that many bytes of valid UTF-8
//   sha256                 32 raw bytes
//   bytes                  raw bytes (the caller knows how many)
//
// Integers are assembled byte by byte with shifts (muduo Endian.h, mosquitto
// packet__read_uint16), so host endianness and alignment never matter, and no
// struct is ever copied onto or off the wire.

#include "shared/proto/Messages.h"
#include "shared/proto/ProtocolError.h"
#include "shared/proto/Utf8.h"

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parley::proto {

// ---- fixed-position stores and loads (the caller guarantees the room) ------

inline void storeU16(std::uint8_t* p, std::uint16_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}

inline void storeU32(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}

inline void storeU64(std::uint8_t* p, std::uint64_t v) {
    storeU32(p, static_cast<std::uint32_t>(v >> 32));
    storeU32(p + 4, static_cast<std::uint32_t>(v));
}

inline std::uint16_t loadU16(const std::uint8_t* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }

inline std::uint32_t loadU32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

inline std::uint64_t loadU64(const std::uint8_t* p) { return (std::uint64_t{loadU32(p)} << 32) | loadU32(p + 4); }

/// Appends fields to a caller's buffer. Never allocates beyond the buffer's
/// own growth. Not thread-safe; one writer per buffer at a time.
class ByteWriter {
public:
    explicit ByteWriter(std::vector<std::uint8_t>& out) : m_out(out) {}

    void u8(std::uint8_t v) { m_out.push_back(v); }

    void u16(std::uint16_t v) { append<2>(v, storeU16); }
    void u32(std::uint32_t v) { append<4>(v, storeU32); }
    void u64(std::uint64_t v) { append<8>(v, storeU64); }

    void boolean(bool v) { u8(v ? 1 : 0); }

    /// A str field. Longer than kMaxStringBytes is a caller bug: asserted, and
    /// cut at a UTF-8 boundary in release builds.
    void str(std::string_view s) {
        assert(s.size() <= kMaxStringBytes && "str field longer than 65535 bytes");
        const std::size_t n = utf8PrefixLength(s, kMaxStringBytes);
        u16(static_cast<std::uint16_t>(n));
        const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
        m_out.insert(m_out.end(), p, p + n);
    }

    void sha256(const Sha256& h) { m_out.insert(m_out.end(), h.begin(), h.end()); }

    void bytes(const std::uint8_t* data, std::size_t size) {
        if (size != 0) {
            m_out.insert(m_out.end(), data, data + size);
        }
    }

    /// Bytes in the underlying buffer (including what was there before).
    std::size_t size() const { return m_out.size(); }
    /// The underlying buffer, e.g. to patch a count written earlier.
    std::vector<std::uint8_t>& buffer() { return m_out; }

private:
    template <std::size_t N, class T>
    void append(T v, void (*store)(std::uint8_t*, T)) {
        std::uint8_t b[N];
        store(b, v);
        m_out.insert(m_out.end(), b, b + N);
    }

    std::vector<std::uint8_t>& m_out;
};

/// Reads fields from a byte range it does not own. Every read checks the
/// remaining size first; the first failure is recorded (error()) and every
/// later read fails too, so a sequence of reads can be checked once at the end.
class ByteReader {
public:
    ByteReader(const std::uint8_t* data, std::size_t size) : m_pos(data), m_end(data + size) {}

    bool u8(std::uint8_t& v) {
        if (!need(1)) {
            return false;
        }
        v = *m_pos++;
        return true;
    }

    bool u16(std::uint16_t& v) { return read<2>(v, loadU16); }
    bool u32(std::uint32_t& v) { return read<4>(v, loadU32); }
    bool u64(std::uint64_t& v) { return read<8>(v, loadU64); }

    /// A bool: a u8 that must be 0 or 1 (else InvalidValue).
    bool boolean(bool& v) {
        std::uint8_t b = 0;
        if (!u8(b)) {
            return false;
        }
        if (b > 1) {
            return fail(ProtocolError::InvalidValue);
        }
        v = b == 1;
        return true;
    }

    /// A str field: Truncated if the bytes are not all there, InvalidUtf8 if
    /// they are not well-formed UTF-8. Reuses `s`'s capacity.
    bool str(std::string& s) {
        std::uint16_t n = 0;
        if (!u16(n) || !need(n)) {
            return false;
        }
        const auto* chars = reinterpret_cast<const char*>(m_pos);
        if (!isValidUtf8(chars, n)) {
            return fail(ProtocolError::InvalidUtf8);
        }
        s.assign(chars, n);
        m_pos += n;
        return true;
    }

    bool sha256(Sha256& h) {
        if (!need(h.size())) {
            return false;
        }
        for (auto& b : h) {
            b = *m_pos++;
        }
        return true;
    }

    /// Exactly `size` raw bytes.
    bool bytes(std::uint8_t* out, std::size_t size) {
        if (!need(size)) {
            return false;
        }
        for (std::size_t i = 0; i < size; ++i) {
            out[i] = m_pos[i];
        }
        m_pos += size;
        return true;
    }

    /// Everything that is left (possibly nothing).
    bool rest(std::vector<std::uint8_t>& out) {
        if (!ok()) {
            return false;
        }
        out.assign(m_pos, m_end);
        m_pos = m_end;
        return true;
    }

    /// Records `error` unless an earlier one is recorded; returns false.
    bool fail(ProtocolError error) {
        if (m_error == ProtocolError::None) {
            m_error = error;
        }
        return false;
    }

    bool ok() const { return m_error == ProtocolError::None; }
    ProtocolError error() const { return m_error; }
    std::size_t remaining() const { return static_cast<std::size_t>(m_end - m_pos); }

private:
    template <std::size_t N, class T>
    bool read(T& v, T (*load)(const std::uint8_t*)) {
        if (!need(N)) {
            return false;
        }
        v = load(m_pos);
        m_pos += N;
        return true;
    }

    bool need(std::size_t n) {
        if (!ok()) {
            return false;
        }
        if (remaining() < n) {
            return fail(ProtocolError::Truncated);
        }
        return true;
    }

    const std::uint8_t* m_pos;
    const std::uint8_t* m_end;
    ProtocolError m_error = ProtocolError::None;
};

}  // namespace parley::proto
