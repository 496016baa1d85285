#include "server-gui/engine/Validation.h"

#include <algorithm>

namespace parley::server {
namespace {

bool isAsciiAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

}  // namespace

bool isValidUsername(std::string_view username) {
    if (username.size() < kUsernameMin || username.size() > kUsernameMax) return false;
    if (!isAsciiAlnum(username.front())) return false;
    return std::all_of(username.begin(), username.end(),
                       [](char c) { return isAsciiAlnum(c) || c == '_' || c == '.' || c == '-'; });
}

bool isValidPassword(std::string_view password) {
    return password.size() >= kPasswordMin && password.size() <= kPasswordMax;
}

bool isValidDisplayName(std::string_view displayName) {
    if (displayName.size() > kDisplayNameMax) return false;
    // UTF-8 continuation and lead bytes are >= 0x80, so a byte test finds
    // every C0 control and DEL without decoding.
    return std::none_of(displayName.begin(), displayName.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7F;
    });
}

bool isValidText(std::string_view text) { return !text.empty() && text.size() <= kTextMax; }

proto::AuthStatus checkRegistration(const proto::Register& request) {
    if (!isValidUsername(request.username)) return proto::AuthStatus::InvalidUsername;
    if (!isValidPassword(request.password)) return proto::AuthStatus::InvalidPassword;
    if (!isValidDisplayName(request.displayName)) return proto::AuthStatus::InvalidDisplayName;
    return proto::AuthStatus::Ok;
}

}  // namespace parley::server
