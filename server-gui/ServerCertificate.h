#pragma once
// Which certificate parley-server presents: the operator's (--tls-cert FILE --tls-key
// FILE, e.g. from an ACME client), or else a self-signed one it creates in its data
// folder at first start (tls-certificate.pem, tls-key.pem, both 0600) and keeps across
// restarts, so that clients which pinned it go on trusting it. --plaintext: none.

#include <string>

namespace parley::server {

struct ServerOptions;

/// The self-signed pair's file names in the data folder.
inline constexpr const char* kSelfSignedCertificateFile = "tls-certificate.pem";
inline constexpr const char* kSelfSignedKeyFile = "tls-key.pem";

/// Fills options.config.tls from the options: off with --plaintext; the given files; or
/// the data folder's self-signed pair, created if missing. Returns an empty string or
/// why not (one of --tls-cert / --tls-key without the other; the pair cannot be made).
/// Whether the files are usable is checked when the server starts.
std::string resolveCertificate(ServerOptions& options);

}  // namespace parley::server
