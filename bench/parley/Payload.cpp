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

bool getHex(const char* in, int digits, std::uint64_t& value) {
    value = 0;
    for (int i = 0; i < digits; ++i) {
        const char c = in[i];
        std::uint64_t nibble = 0;
        if (c >= '0' && c <= '9') nibble = static_cast<std::uint64_t>(c - '0');
        else if (c >= 'a' && c <= 'f') nibble = static_cast<std::uint64_t>(c - 'a' + 10);
        else return false;
        value = (value << 4) | nibble;
    }
    return true;
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
