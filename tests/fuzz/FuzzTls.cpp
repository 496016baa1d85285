// libFuzzer target: the server side of TLS (platform/tls/TlsLayer) on arbitrary bytes
// from a client: the record layer and the handshake, as a TLS port meets them.
//
// Per input a fresh server layer is fed the bytes in chunks of 1..256 bytes (the first
// input byte picks the chunking), then asked to send and to close, as the connection
// would. Beyond "no crash, no sanitizer report, no leak" it checks that a layer that
// failed stays failed, and that no application byte comes out unless the handshake
// finished (which random bytes cannot do: the client Finished needs the keys).
//
// The context (a self-signed P-256 certificate in a temporary folder) is made once.

#include "platform/Buffer.h"
#include "platform/tls/Certificate.h"
#include "platform/tls/TlsContext.h"
#include "platform/tls/TlsLayer.h"
#include "tests/fuzz/FuzzCheck.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

namespace {

using namespace parley::net;

void check(bool ok, const char* what) { parley::fuzz::check(ok, "FuzzTls", what); }

std::shared_ptr<const TlsContext> makeContext() {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("parley-fuzz-tls-" + std::to_string(std::rand()));
    std::filesystem::create_directories(dir);
    CertificateSpec spec;
    spec.ipAddresses = {"127.0.0.1"};
    const PemPair pair = makeCertificate(spec);
    std::ofstream((dir / "cert.pem").string(), std::ios::binary) << pair.certificate;
    std::ofstream((dir / "key.pem").string(), std::ios::binary) << pair.key;
    TlsServerSettings settings;
    settings.certificateFile = (dir / "cert.pem").string();
    settings.keyFile = (dir / "key.pem").string();
    auto context = TlsContext::server(settings);
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);  // loaded: the files are no longer needed
    return context;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::shared_ptr<const TlsContext> context = makeContext();
    if (size == 0) return 0;
    const std::size_t chunk = 1 + data[0];
    const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

    bool failed = false;
    const auto layer = TlsLayer::server(context, {});
    Buffer application;
    Buffer wire;
    for (std::size_t at = 0; at < input.size() && !failed; at += chunk) {
        failed = layer->decode(input.substr(at, chunk), application, wire) != 0;
        wire.retrieveAll();
    }
    check(layer->established() || application.empty(), "application bytes before the handshake");
    if (failed) {
        check(layer->decode("\x16\x03\x01", application, wire) != 0, "a failed layer decoded again");
        check(layer->encode("after", wire) != 0, "a failed layer encoded");
    } else {
        layer->encode("hello", wire);
        layer->close(wire);
    }
    return 0;
}
