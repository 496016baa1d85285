#include "shared/session/LoginTokenFile.h"

#include "shared/files/FileName.h"
#include "shared/files/PrivateFiles.h"

#include <algorithm>
#include <cctype>
#include <fstream>

namespace parley::session {

namespace {

/// "[::1]:7878" -> "__1__7878": a folder name on every file system.
std::string safeName(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '-' ? static_cast<char>(std::tolower(c)) : '_';
    });
    return text;
}

bool looksLikeToken(const std::string& text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(),
                                            [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

LoginTokenFile LoginTokenFile::inStateDirectory(const std::string& stateDirectory, const std::string& server,
                                                const std::string& user) {
    return LoginTokenFile(files::pathFromUtf8(stateDirectory) / "login-tokens" / safeName(server) / safeName(user));
}

std::optional<std::string> LoginTokenFile::load() const {
    std::ifstream in(m_path);
    std::string token;
    if (!in || !std::getline(in, token) || !looksLikeToken(token)) {
        return std::nullopt;
    }
    return token;
}

std::error_code LoginTokenFile::save(const std::string& token) const {
    if (std::error_code error = files::createPrivateDirectories(m_path.parent_path())) {
        return error;
    }
    std::filesystem::path aside = m_path;
    aside += ".new";
    {
        // Created empty and restricted before the token goes in.
        std::ofstream out(aside, std::ios::trunc);
        if (!out) {
            return std::make_error_code(std::errc::permission_denied);
        }
        files::restrictToOwner(aside);
        out << token << '\n';
        if (!out.flush()) {
            return std::make_error_code(std::errc::io_error);
        }
    }
    std::error_code error;
    std::filesystem::rename(aside, m_path, error);
    return error;
}

void LoginTokenFile::forget() const {
    std::error_code ignored;
    std::filesystem::remove(m_path, ignored);
}

}  // namespace parley::session
