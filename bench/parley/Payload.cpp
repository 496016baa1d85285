#include "bench/parley/Payload.h"

#include <cstring>

namespace parley::bench {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void putHex(char* out, std::uint64_t value, int digits) {
    for (int i = digits - 1; i >= 0; --i) {
        out[i] = kHex[value & 0xF];
        value >>= 4;
    }
}

/// Nibble of each byte, 0xFF for anything but [0-9a-f]: one load per digit on
/// the receive path, which parses every message.
struct HexTable {
    std::uint8_t nibble[256];
    constexpr HexTable() : nibble() {
        for (int c = 0; c < 256; ++c) nibble[c] = 0xFF;
        for (int c = 0; c < 10; ++c) nibble['0' + c] = static_cast<std::uint8_t>(c);
        for (int c = 0; c < 6; ++c) nibble['a' + c] = static_cast<std::uint8_t>(10 + c);
    }
};
constexpr HexTable kHexTable;

bool getHex(const char* in, int digits, std::uint64_t& value) {
    std::uint64_t result = 0;
    std::uint8_t bad = 0;
    for (int i = 0; i < digits; ++i) {
        const std::uint8_t nibble = kHexTable.nibble[static_cast<unsigned char>(in[i])];
        bad |= nibble;  // 0xFF has the high bit set, no digit has
        result = (result << 4) | (nibble & 0x0F);
    }
    value = result;
    return (bad & 0x80) == 0;
}

}  // namespace

void writePayload(char* out, const PayloadFields& fields) {
    out[0] = '#';
    putHex(out + 1, fields.phase, 2);
    putHex(out + 3, fields.from, 8);
    putHex(out + 11, fields.seq, 16);
    putHex(out + 27, fields.sentNs, 16);
    std::memset(out + 43, '.', kPayloadSize - 43);
}

void patchPayload(char* out, std::uint64_t seq, std::uint64_t sentNs) {
    putHex(out + 11, seq, 16);
    putHex(out + 27, sentNs, 16);
}

bool readPayload(const char* data, std::size_t size, PayloadFields& fields) {
    if (size != kPayloadSize || data[0] != '#') return false;
    std::uint64_t phase = 0;
    std::uint64_t from = 0;
    if (!getHex(data + 1, 2, phase) || !getHex(data + 3, 8, from) || !getHex(data + 11, 16, fields.seq) ||
        !getHex(data + 27, 16, fields.sentNs))
        return false;
    fields.phase = static_cast<std::uint32_t>(phase);
    fields.from = static_cast<std::uint32_t>(from);
    return true;
}

}  // namespace parley::bench
