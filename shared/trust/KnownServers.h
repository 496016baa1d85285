#pragma once
// The certificates a client pinned, one per server address, like ssh's known_hosts: the
// first contact with a server whose certificate no CA vouches for shows its fingerprint,
// the user accepts it, and from then on only that certificate is accepted there.
//
// The file (parley-cli: <state dir>/known_servers; the desktop client: the same format in
// its profile) is UTF-8 text, one entry per line, '#' starts a comment line:
//
//   # ADDRESS                    SHA-256 fingerprint of the DER certificate
//   127.0.0.1:7878 51:75:A4:08:42:42:CF:3B:CB:A9:2B:3E:84:BF:02:DC:65:C8:B8:B9:CD:89:13:A9:F6:A9:0B:91:33:BF:D6:42
//   [::1]:7878 0F:...
//
// ADDRESS is HOST:PORT as the client was told to connect ([IPv6]:PORT), the fingerprint
// 32 upper-case hex bytes joined by ':' (as `openssl x509 -noout -fingerprint -sha256`
// prints it). A later line for the same address wins. The file is the user's only (0600).
//
// Plain C++ (std::filesystem); one object per thread.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace parley::trust {

/// A fingerprint as people type it ("abcd...", "AB:CD:...", with or without ':' or
/// spaces) in the canonical form above; nullopt unless it is 32 bytes of hex.
std::optional<std::string> normalizeFingerprint(std::string_view text);

/// What a client does with the certificate a server presented (TLS decides `verified`:
/// a chain to a trusted CA that names the host).
enum class TrustDecision {
    Verified,  ///< a CA vouches for it: accept
    Pinned,    ///< the pinned certificate of this address: accept
    Unknown,   ///< no pin: ask the user (or --trust-fingerprint), then pin
    Changed,   ///< another certificate than the pinned one: refuse, loudly
};

TrustDecision decideTrust(bool verified, const std::optional<std::string>& pinned, const std::string& fingerprint);

class KnownServers {
public:
    explicit KnownServers(std::filesystem::path file);

    /// Reads the file; a missing file is an empty list. Returns an empty string or why
    /// it cannot be read (a line that is not ADDRESS FINGERPRINT, with its number).
    std::string load();

    /// The pinned fingerprint of `address`, if any.
    std::optional<std::string> find(const std::string& address) const;

    /// Pins `fingerprint` for `address` (replacing a pin) and saves the file (folders
    /// and file created for the user only). Returns an empty string or why it failed.
    std::string pin(const std::string& address, const std::string& fingerprint);

    const std::filesystem::path& file() const { return m_file; }

private:
    std::filesystem::path m_file;
    std::map<std::string, std::string> m_pins;
};

}  // namespace parley::trust
