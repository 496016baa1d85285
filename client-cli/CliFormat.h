#pragma once
// The lines parley-cli prints: one function per kind of line, so that the formats
// scripts rely on are written (and tested) in one place. Pure functions, no I/O.

#include "shared/proto/Messages.h"
#include "shared/session/SessionTypes.h"

#include <cstdint>
#include <string>

namespace parley::client {

// Text from the network is printed through text::escapeControls()
// (shared/text/Printable.h): a tab, newline or carriage return becomes \t, \n, \r,
// other controls \xNN or \uNNNN (C1, bidi overrides), invalid UTF-8 \xNN; received
// lines for scripts escape backslashes too, so that they can be unescaped exactly.

/// "12:03:04": the local time of a Unix timestamp in milliseconds.
std::string formatClock(std::uint64_t unixMs);

// ---- interactive mode ----------------------------------------------------------------

/// "[12:03:04] alice: hello"
std::string formatChatLine(const std::string& clock, const std::string& from, const std::string& text);
/// "[12:03:04] #room alice: hello"
std::string formatRoomLine(const std::string& clock, const std::string& from, const std::string& text);
/// "* bob is online" / "* bob is offline"
std::string formatPresenceLine(const std::string& name, proto::PresenceState state);
/// "bob  online" padded to `width`, with " (Display Name)" when it differs.
std::string formatContactLine(const proto::Contact& contact, std::size_t width);
/// "(stored for bob)", "(delivered to bob)", "(sent to the room)", "(not sent to bob)".
/// Empty for Pending (never reported).
std::string formatMessageState(const std::string& peerName, session::MessageState state);
/// "(read by bob)": bob has shown this user's messages to him (ACK Read).
std::string formatReadLine(const std::string& readerName);

// ---- one-shot commands ------------------------------------------------------------------

/// recv: "alice\thi", or "#room alice\thi" (text escaped with backslashes).
std::string formatReceivedLine(const std::string& from, const std::string& text, bool room);
/// who: "alice\tonline"
std::string formatWhoLine(const std::string& name, proto::PresenceState state);
/// send: "stored" / "delivered"
std::string formatSendResult(session::MessageState state);

// ---- failures (stderr) ------------------------------------------------------------------

/// "login refused: <server text> (BadCredentials)", with "; retry after N s" when throttled.
std::string describeLoginFailure(const proto::LoginResult& result);
/// "registration refused: <server text> (UsernameTaken)"
std::string describeRegisterFailure(const proto::RegisterResult& result);
/// "server error: <text> (UnknownDestination, about CHAT)"
std::string describeServerError(const proto::Error& error);
/// "kicked by the server: <text> (LoggedInElsewhere)"
std::string describeKick(proto::KickReason reason, const std::string& text);

}  // namespace parley::client
