#pragma once
// A login token ("remember me", protocol 9.11) kept between runs: one line, the file 0600
// and its folders 0700 (shared/files/PrivateFiles). The password is never written anywhere.
// parley-cli keeps it in STATE-DIR/login-tokens/SERVER/USER (inStateDirectory), the desktop
// client in the account's folder of its profile.
// Plain C++ (std::filesystem); any thread, but one process per file at a time.

#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

namespace parley::session {

class LoginTokenFile {
public:
    explicit LoginTokenFile(std::filesystem::path file) : m_path(std::move(file)) {}
    /// parley-cli's place for it: STATE-DIR/login-tokens/SERVER/USER. `server` as
    /// CliOptions::serverText(); `user` in any case (names match case-insensitively).
    static LoginTokenFile inStateDirectory(const std::string& stateDirectory, const std::string& server,
                                           const std::string& user);

    /// The saved token; nullopt if there is none (or it is not a token's shape).
    std::optional<std::string> load() const;
    /// Saves `token`, replacing the old one (written aside, then renamed).
    std::error_code save(const std::string& token) const;
    /// Deletes the saved token (refused by the server, or logged out).
    void forget() const;

    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

}  // namespace parley::session
