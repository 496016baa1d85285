#include "client-cli/CliFormat.h"

#include "shared/text/Printable.h"

#include <ctime>

namespace parley::client {

namespace {

/// "<what>: <text> (<Name>)", or "<what> (<Name>)" when the server gave no text.
std::string withReason(const std::string& what, const std::string& text, const std::string& name) {
    std::string line = what;
    if (!text.empty()) {
        line += ": " + text::escapeControls(text, false);
    }
    return line + " (" + name + ")";
}

}  // namespace

std::string formatClock(std::uint64_t unixMs) {
    const auto seconds = static_cast<std::time_t>(unixMs / 1000);
    // std::localtime shares a static buffer: parley-cli formats on its loop thread only.
    const std::tm* local = std::localtime(&seconds);
    char buffer[16] = {};
    if (local == nullptr || std::strftime(buffer, sizeof buffer, "%H:%M:%S", local) == 0) {
        return "--:--:--";
    }
    return buffer;
}

std::string formatChatLine(const std::string& clock, const std::string& from, const std::string& text) {
    return "[" + clock + "] " + from + ": " + text::escapeControls(text, false);
}

std::string formatRoomLine(const std::string& clock, const std::string& from, const std::string& text) {
    return "[" + clock + "] #room " + from + ": " + text::escapeControls(text, false);
}

std::string formatPresenceLine(const std::string& name, proto::PresenceState state) {
    return "* " + name + (state == proto::PresenceState::Online ? " is online" : " is offline");
}

std::string formatContactLine(const proto::Contact& contact, std::size_t width) {
    std::string line = contact.username;
    if (line.size() < width) {
        line.append(width - line.size(), ' ');
    }
    const bool online = contact.state == proto::PresenceState::Online;
    line += online ? "  online" : "  offline";
    if (!contact.displayName.empty() && contact.displayName != contact.username) {
        line += online ? "   (" : "  (";
        line += text::escapeControls(contact.displayName, false) + ")";
    }
    return line;
}

std::string formatMessageState(const std::string& peerName, session::MessageState state) {
    switch (state) {
    case session::MessageState::Pending: return {};
    case session::MessageState::Stored: return "(stored for " + peerName + ")";
    case session::MessageState::Delivered: return "(delivered to " + peerName + ")";
    case session::MessageState::Broadcast: return "(sent to the room)";
    case session::MessageState::Abandoned: return "(not sent to " + peerName + ": another account logged in)";
    case session::MessageState::Refused: return "(refused by the server: not sent to " + peerName + ")";
    }
    return {};
}

std::string formatReadLine(const std::string& readerName) { return "(read by " + readerName + ")"; }

std::string formatReceivedLine(const std::string& from, const std::string& text, bool room) {
    return (room ? "#room " : "") + from + "\t" + text::escapeControls(text, true);
}

std::string formatWhoLine(const std::string& name, proto::PresenceState state) {
    return name + (state == proto::PresenceState::Online ? "\tonline" : "\toffline");
}

std::string formatSendResult(session::MessageState state) {
    return state == session::MessageState::Delivered ? "delivered" : "stored";
}

std::string describeLoginFailure(const proto::LoginResult& result) {
    std::string line = withReason("login refused", result.text, proto::toString(result.status));
    if (result.status == proto::AuthStatus::Throttled) {
        line += "; retry after " + std::to_string(result.retryAfterSeconds) + " s";
    }
    return line;
}

std::string describeRegisterFailure(const proto::RegisterResult& result) {
    return withReason("registration refused", result.text, proto::toString(result.status));
}

std::string describeServerError(const proto::Error& error) {
    std::string name = proto::toString(error.code);
    if (error.refType != 0) {
        name += std::string(", about ") + proto::toString(static_cast<proto::MessageType>(error.refType));
    }
    return withReason("server error", error.text, name);
}

std::string describeKick(proto::KickReason reason, const std::string& text) {
    return withReason("kicked by the server", text, proto::toString(reason));
}

}  // namespace parley::client
