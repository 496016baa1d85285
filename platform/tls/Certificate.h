#pragma once
// Certificates as Parley shows and makes them: the SHA-256 fingerprint people compare
// (of the DER certificate, upper-case hex with colons, as `openssl x509 -fingerprint
// -sha256` prints it), and a small certificate maker for the server's self-signed
// default and for tests (a CA, certificates it signs, expired ones, other host names).
//
// Threading: any thread. Errors: TlsError.

#include <cstdint>
#include <string>
#include <vector>

struct x509_st;

namespace parley::net {

/// A certificate and its private key, both PEM.
struct PemPair {
    std::string certificate;
    std::string key;
};

struct CertificateSpec {
    std::string commonName = "parley-server";
    std::vector<std::string> dnsNames;     ///< subjectAltName DNS entries
    std::vector<std::string> ipAddresses;  ///< subjectAltName IP entries ("127.0.0.1", "::1")
    /// Validity, relative to now (negative: in the past).
    std::int64_t notBeforeSeconds = -3600;
    std::int64_t notAfterSeconds = std::int64_t{3650} * 24 * 3600;
    bool certificateAuthority = false;
    /// Signed by this one (a CA made with certificateAuthority); self-signed without.
    const PemPair* issuer = nullptr;
};

/// A new EC P-256 key and a certificate for it (SHA-256 signature).
PemPair makeCertificate(const CertificateSpec& spec);

/// "AB:CD:...:EF" (32 bytes) of a certificate.
std::string sha256Fingerprint(const x509_st* certificate);
/// The same for the first certificate in a PEM text.
std::string sha256FingerprintOfPem(const std::string& pem);

}  // namespace parley::net
