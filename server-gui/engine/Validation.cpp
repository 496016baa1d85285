#include "server-gui/engine/Validation.h"

#include "shared/proto/Codec.h"
#include "shared/proto/Wire.h"

#include <algorithm>
#include <cstring>

namespace parley::server {
namespace {

bool isAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Chat text is mostly ASCII: whole 8-byte words of it are skipped with one
// test each before the byte-wise UTF-8 check takes over. Stops on a word
// boundary, so a multi-byte sequence is never split.
std::size_t asciiPrefix(const char* data, std::size_t size) {
    constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, data + i, sizeof word);
        if ((word & kHighBits) != 0) break;
    }
    return i;
}

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

proto::ProtocolError viewChatText(const std::uint8_t* payload, std::size_t size, std::string_view& text) {
    // CHAT: u64 timestampMs, then str text (u16 length + UTF-8 bytes); see proto::Chat.
    constexpr std::size_t kFixed = 8 + 2;
    if (size < kFixed) return proto::ProtocolError::Truncated;
    const std::size_t length = proto::loadU16(payload + 8);
    if (size - kFixed < length) return proto::ProtocolError::Truncated;
    const auto* chars = reinterpret_cast<const char*>(payload + kFixed);
    const std::size_t ascii = asciiPrefix(chars, length);
    if (!proto::isValidUtf8(chars + ascii, length - ascii)) return proto::ProtocolError::InvalidUtf8;
    if (size - kFixed > length) return proto::ProtocolError::TrailingBytes;
    text = std::string_view(chars, length);
    return proto::ProtocolError::None;
}

proto::AuthStatus checkRegistration(const proto::Register& request) {
    if (!isValidUsername(request.username)) return proto::AuthStatus::InvalidUsername;
    if (!isValidPassword(request.password)) return proto::AuthStatus::InvalidPassword;
    if (!isValidDisplayName(request.displayName)) return proto::AuthStatus::InvalidDisplayName;
    return proto::AuthStatus::Ok;
}

}  // namespace parley::server
