#include "shared/trust/KnownServers.h"

#include "shared/files/PrivateFiles.h"

#include <cctype>
#include <fstream>
#include <sstream>
#include <system_error>

namespace parley::trust {

namespace fs = std::filesystem;

std::optional<std::string> normalizeFingerprint(std::string_view text) {
    std::string digits;
    for (const char c : text) {
        if (c == ':' || c == ' ') continue;
        if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
        digits += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (digits.size() != 64) return std::nullopt;
    std::string canonical;
    for (std::size_t i = 0; i < digits.size(); i += 2) {
        if (i != 0) canonical += ':';
        canonical += digits[i];
        canonical += digits[i + 1];
    }
    return canonical;
}

TrustDecision decideTrust(bool verified, const std::optional<std::string>& pinned, const std::string& fingerprint) {
    if (verified) return TrustDecision::Verified;
    if (!pinned) return TrustDecision::Unknown;
    return *pinned == fingerprint ? TrustDecision::Pinned : TrustDecision::Changed;
}

KnownServers::KnownServers(fs::path file) : m_file(std::move(file)) {}

std::string KnownServers::load() {
    m_pins.clear();
    std::error_code error;
    if (!fs::exists(m_file, error)) return {};
    std::ifstream in(m_file);
    if (!in) return "cannot read " + m_file.u8string();
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::istringstream fields(line);
        std::string address;
        std::string fingerprint;
        std::string extra;
        if (!(fields >> address) || address.front() == '#') continue;  // blank or comment
        const auto canonical = fields >> fingerprint ? normalizeFingerprint(fingerprint) : std::nullopt;
        if (!canonical || fields >> extra)
            return m_file.u8string() + " line " + std::to_string(number) + ": not ADDRESS SHA256-FINGERPRINT";
        m_pins[address] = *canonical;
    }
    return {};
}

std::optional<std::string> KnownServers::find(const std::string& address) const {
    const auto it = m_pins.find(address);
    if (it == m_pins.end()) return std::nullopt;
    return it->second;
}

std::string KnownServers::pin(const std::string& address, const std::string& fingerprint) {
    const auto canonical = normalizeFingerprint(fingerprint);
    if (!canonical) return "not a SHA-256 fingerprint: " + fingerprint;
    m_pins[address] = *canonical;
    if (m_file.has_parent_path()) {
        if (const std::error_code error = files::createPrivateDirectories(m_file.parent_path()))
            return "cannot create " + m_file.parent_path().u8string() + ": " + error.message();
    }
    // A new file beside the old one, then one rename: a crash leaves the old list or the
    // new one, never half of it.
    fs::path temporary = m_file;
    temporary += ".new";
    {
        std::ofstream create(temporary, std::ios::trunc);
        if (!create) return "cannot write " + temporary.u8string();
    }
    files::restrictToOwner(temporary);
    std::ofstream out(temporary, std::ios::trunc);
    out << "# Parley known servers: ADDRESS SHA256-FINGERPRINT (the certificates this profile trusts)\n";
    for (const auto& [where, pinned] : m_pins) out << where << ' ' << pinned << '\n';
    out.close();
    if (!out) return "cannot write " + temporary.u8string();
    std::error_code error;
    fs::rename(temporary, m_file, error);
    if (error) return "cannot replace " + m_file.u8string() + ": " + error.message();
    return {};
}

}  // namespace parley::trust
