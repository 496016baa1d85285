#pragma once
// parley-cli's trust rule for the server it connects to (shared/trust/KnownServers.h):
// a certificate from a trusted CA that names the server is accepted; else the one pinned
// for this address in <state dir>/known_servers; else, on first contact, the one that
// --trust-fingerprint names (then pinned). Anything else is refused with a sentence for
// the user: an unknown certificate with its fingerprint (main() may ask and pin it), a
// changed one loudly.
//
// Threading: one thread at a time (the loop thread during a run, main() after it).

#include "client-cli/CliOptions.h"
#include "shared/trust/KnownServers.h"

#include <string>

namespace parley::net {
struct TlsPeer;
}

namespace parley::client {

class ServerTrust {
public:
    explicit ServerTrust(const CliOptions& options);

    /// Reads known_servers; an empty string or why it cannot.
    std::string load();

    /// Accept the server presenting `peer`? After a refusal, refusal() says why.
    bool accept(const net::TlsPeer& peer);
    const std::string& refusal() const { return m_refusal; }
    /// Set when the refused certificate is merely unknown: the user may confirm it.
    const std::string& unknownFingerprint() const { return m_unknown; }

    /// Pins `fingerprint` for the server address; an empty string or why it failed.
    std::string pin(const std::string& fingerprint);

    /// What the user is asked on first contact (without the answer).
    std::string question(const std::string& fingerprint) const;

private:
    const CliOptions& m_options;
    const std::string m_address;
    trust::KnownServers m_known;
    std::string m_refusal;
    std::string m_unknown;
};

}  // namespace parley::client
