#include "client-cli/ServerTrust.h"

#include "platform/tls/TlsLayer.h"

#include <filesystem>

namespace parley::client {

ServerTrust::ServerTrust(const CliOptions& options)
    : m_options(options),
      m_address(options.serverText()),
      m_known(std::filesystem::u8path(options.knownServersFile())) {}

std::string ServerTrust::load() { return m_known.load(); }

bool ServerTrust::accept(const net::TlsPeer& peer) {
    m_refusal.clear();
    m_unknown.clear();
    const auto pinned = m_known.find(m_address);
    switch (trust::decideTrust(peer.verified, pinned, peer.fingerprint)) {
    case trust::TrustDecision::Verified:
    case trust::TrustDecision::Pinned: return true;
    case trust::TrustDecision::Changed:
        m_refusal = "WARNING: THE CERTIFICATE OF " + m_address +
                    " HAS CHANGED.\n"
                    "  pinned:    SHA-256 " +
                    *pinned +
                    "\n"
                    "  presented: SHA-256 " +
                    peer.fingerprint +
                    "\n"
                    "Someone may be intercepting the connection, or the operator replaced the certificate.\n"
                    "Nothing was sent. Ask the operator for the new fingerprint; if it matches, remove the\n"
                    "line for " +
                    m_address + " from " + m_known.file().u8string() + " and connect again.";
        return false;
    case trust::TrustDecision::Unknown: break;
    }
    if (!m_options.trustFingerprint.empty()) {
        if (m_options.trustFingerprint != peer.fingerprint) {
            m_refusal = "the certificate of " + m_address + " has the SHA-256 fingerprint " + peer.fingerprint +
                        ", not the one --trust-fingerprint names (" + m_options.trustFingerprint +
                        "); nothing was sent";
            return false;
        }
        if (const std::string failed = m_known.pin(m_address, peer.fingerprint); !failed.empty()) {
            m_refusal = "cannot pin the certificate of " + m_address + ": " + failed;
            return false;
        }
        return true;
    }
    m_unknown = peer.fingerprint;
    m_refusal = "the certificate of " + m_address + " is not from a CA you trust (" + peer.verifyError +
                ") and no certificate is pinned for it. Its SHA-256 fingerprint is\n  " + peer.fingerprint +
                "\nCompare it with the one the server logs (or shows in its window); if they match, run again with\n"
                "  --trust-fingerprint " +
                peer.fingerprint;
    return false;
}

std::string ServerTrust::pin(const std::string& fingerprint) { return m_known.pin(m_address, fingerprint); }

std::string ServerTrust::question(const std::string& fingerprint) const {
    return "The server at " + m_address +
           " presents a certificate that no CA you trust vouches for\n"
           "(first contact, or a self-signed certificate). Its SHA-256 fingerprint:\n  " +
           fingerprint +
           "\nCompare it with the fingerprint in the server's log or window.\n"
           "Trust this server and remember it in " +
           m_known.file().u8string() + "? [y/N] ";
}

}  // namespace parley::client
