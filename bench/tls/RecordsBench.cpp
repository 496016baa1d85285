// parley-tls-records-bench: what one TLS 1.3 record costs to seal and to open with
// platform/tls/Tls13Records (AES-128-GCM, the suite clients pick first), by record size, on
// one core, in process: no sockets, no handshake (fixed traffic secrets). For the per-message
// share of TLS in the relay (docs/benchmarks.md, "Parley's own TLS 1.3 records").
//
//   parley-tls-records-bench [RECORDS]   (default 1,000,000 per size)
//
// Prints one line per size: "bytes=N seal_ns=... open_ns=... per_byte_seal_ns=...".

#include "platform/Buffer.h"
#include "platform/tls/Tls13Records.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using parley::net::Buffer;
using parley::net::Tls13Records;
using parley::net::TrafficSecret;
using Clock = std::chrono::steady_clock;

constexpr std::uint16_t kAes128GcmSha256 = 0x1301;
/// Records sealed before the wire is opened and emptied: the buffers stay in cache.
constexpr int kBatch = 256;

TrafficSecret secret(unsigned char seed) {
    TrafficSecret s;
    s.size = 32;  // SHA-256's
    for (std::size_t i = 0; i < s.size; ++i) {
        s.bytes[i] = static_cast<unsigned char>(seed + i);
    }
    return s;
}

double nsSince(Clock::time_point start) {
    return std::chrono::duration<double, std::nano>(Clock::now() - start).count();
}

bool measure(std::size_t bytes, int records) {
    const auto sealer = Tls13Records::create(kAes128GcmSha256, false, secret(1), secret(2));
    const auto opener = Tls13Records::create(kAes128GcmSha256, true, secret(2), secret(1));
    if (!sealer || !opener) {
        std::fprintf(stderr, "parley-tls-records-bench: OpenSSL refused AES-128-GCM\n");
        return false;
    }
    const std::string message(bytes, 'm');
    Buffer wire;
    Buffer application;
    Buffer back;
    double sealNs = 0;
    double openNs = 0;
    const int batches = (records + kBatch - 1) / kBatch;
    for (int batch = 0; batch < batches; ++batch) {
        const Clock::time_point sealStart = Clock::now();
        for (int i = 0; i < kBatch; ++i) {
            if (!sealer->encode(message, wire)) {
                return false;
            }
        }
        sealNs += nsSince(sealStart);
        const Clock::time_point openStart = Clock::now();
        if (opener->decode(std::string_view(wire.peek(), wire.readableBytes()), application, back) !=
                Tls13Records::Status::Open ||
            application.readableBytes() != bytes * kBatch) {
            std::fprintf(stderr, "parley-tls-records-bench: a record did not open: %s\n", opener->failure().c_str());
            return false;
        }
        openNs += nsSince(openStart);
        wire.retrieveAll();
        application.retrieveAll();
    }
    const double count = static_cast<double>(batches) * kBatch;
    std::printf("bytes=%zu seal_ns=%.0f open_ns=%.0f per_byte_seal_ns=%.3f\n", bytes, sealNs / count, openNs / count,
                sealNs / count / static_cast<double>(bytes));
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    const int records = argc > 1 ? std::atoi(argv[1]) : 1'000'000;
    if (records <= 0) {
        std::fprintf(stderr, "usage: parley-tls-records-bench [RECORDS]\n");
        return 2;
    }
    // A chat message alone, a few coalesced, a full record.
    for (const std::size_t bytes : {64U, 400U, 4096U, 16384U}) {
        if (!measure(bytes, bytes >= 4096 ? records / 8 : records)) {
            return 1;
        }
    }
    return 0;
}
