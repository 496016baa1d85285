// libFuzzer target: Parley's TLS 1.3 records (platform/tls/Tls13Records) after the
// handshake, as a peer's bytes meet them.
//
// Per input a fresh pair is made from fixed secrets (a "peer" that seals, and the side
// under test that opens, with a tiny key-rotation period so that KeyUpdates come often).
// The input is a list of steps: the peer seals some bytes (then they arrive whole, cut
// in chunks, or with one bit flipped), or raw bytes arrive as they are. Beyond "no crash,
// no sanitizer report, no leak" it checks that every sealed byte arrives exactly once and
// in order while nothing altered came before, and that a side that failed stays failed
// and gives nothing more.

#include "platform/Buffer.h"
#include "platform/tls/Tls13Records.h"
#include "tests/fuzz/FuzzCheck.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace {

using namespace parley::net;

void check(bool ok, const char* what) { parley::fuzz::check(ok, "FuzzTls13Records", what); }

TrafficSecret secretOf(unsigned char fill, std::size_t size) {
    TrafficSecret secret;
    secret.size = size;
    for (std::size_t i = 0; i < size; ++i) {
        secret.bytes[i] = static_cast<unsigned char>(fill + i);
    }
    return secret;
}

/// Takes `count` bytes from the front of `input` (fewer if it is shorter).
std::string_view take(std::string_view& input, std::size_t count) {
    const std::string_view taken = input.substr(0, count);
    input.remove_prefix(taken.size());
    return taken;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    static constexpr std::uint16_t kSuites[] = {0x1301, 0x1302, 0x1303};
    const std::uint16_t suite = kSuites[data[0] % 3];
    const std::size_t secretBytes = suite == 0x1302 ? 48 : 32;
    const TrafficSecret clientSecret = secretOf(0x11, secretBytes);
    const TrafficSecret serverSecret = secretOf(0x77, secretBytes);
    const auto peer = Tls13Records::create(suite, true, serverSecret, clientSecret, 3);
    const auto side = Tls13Records::create(suite, false, clientSecret, serverSecret, 3);
    check(peer && side, "no records for a supported suite");

    std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::string expected;  // what must have arrived so far
    Buffer application;
    Buffer back;
    bool failed = false;
    // Raw or altered bytes that did not fail at once (e.g. a length made longer: the side
    // waits for the rest) leave the stream's framing unknown: from then on only "no crash,
    // and a failure is final" is checked.
    bool tainted = false;
    while (!input.empty() && !failed) {
        const auto step = static_cast<unsigned char>(input.front());
        input.remove_prefix(1);
        const std::size_t length = input.empty() ? 0 : static_cast<unsigned char>(input.front()) * 64U;
        take(input, 1);
        const std::string_view bytes = take(input, length == 0 ? 1 : length);
        std::string wire;
        if ((step & 3U) == 3U) {
            wire.assign(bytes);  // raw bytes, whatever they are
            tainted = true;
        } else {
            Buffer sealed;
            check(peer->encode(bytes, sealed), "sealing failed");
            wire = sealed.retrieveAllAsString();
            if ((step & 3U) == 2U && !wire.empty()) {
                const std::size_t at = (step >> 2U) * 7919U % wire.size();
                wire[at] = static_cast<char>(wire[at] ^ 0x20);
                tainted = true;
            } else {
                expected.append(bytes);
            }
        }
        const std::size_t chunk = (step & 3U) == 1U ? 1 + (step >> 2U) : wire.size();
        for (std::size_t at = 0; at < wire.size() && !failed; at += chunk) {
            failed =
                side->decode(std::string_view(wire).substr(at, chunk), application, back) != Tls13Records::Status::Open;
        }
        back.retrieveAll();
        if (!failed && !tainted) {
            check(application.retrieveAllAsString() == expected, "sealed bytes did not arrive exactly");
            expected.clear();
        }
    }
    if (failed) {
        check(!side->failure().empty(), "a failure without a reason");
        const std::size_t before = application.readableBytes();
        Buffer sealed;
        peer->encode("after the failure", sealed);
        check(side->decode(sealed.retrieveAllAsString(), application, back) != Tls13Records::Status::Open,
              "a failed side decoded again");
        check(application.readableBytes() == before, "bytes after the failure");
    }
    return 0;
}
