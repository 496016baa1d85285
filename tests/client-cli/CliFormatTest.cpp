// The lines parley-cli prints, and the parsing of interactive commands (no server needed).

#include "client-cli/CliFormat.h"
#include "client-cli/ShellCommand.h"
#include "client-cli/TransferFormat.h"
#include "shared/text/Printable.h"

#include <boost/test/unit_test.hpp>

#include <string>

using namespace parley;
using namespace parley::client;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_format)

BOOST_AUTO_TEST_CASE(script_lines) {
    BOOST_TEST(formatReceivedLine("alice", "hi", false) == "alice\thi");
    BOOST_TEST(formatReceivedLine("alice", "hi all", true) == "#room alice\thi all");
    BOOST_TEST(formatWhoLine("bob", proto::PresenceState::Online) == "bob\tonline");
    BOOST_TEST(formatWhoLine("bob", proto::PresenceState::Offline) == "bob\toffline");
    BOOST_TEST(formatSendResult(session::MessageState::Stored) == "stored");
    BOOST_TEST(formatSendResult(session::MessageState::Delivered) == "delivered");
}

BOOST_AUTO_TEST_CASE(received_text_stays_on_one_line_and_can_be_unescaped) {
    BOOST_TEST(formatReceivedLine("alice", "a\tb\nc\\d\re", false) == "alice\ta\\tb\\nc\\\\d\\re");
    BOOST_TEST(text::escapeControls("bell\a esc\x1b del\x7f", true) == "bell\\x07 esc\\x1b del\\x7f");
    // UTF-8 passes unchanged.
    BOOST_TEST(text::escapeControls("gr\xc3\xbc\xc3\x9f", true) == "gr\xc3\xbc\xc3\x9f");
    // For people, a backslash stays a backslash, but control characters are still defused.
    BOOST_TEST(text::escapeControls("C:\\dir\x1b[2J", false) == "C:\\dir\\x1b[2J");
}

// Issue 14, finding 9: an offered name is printed with its controls escaped.
BOOST_AUTO_TEST_CASE(an_offered_name_is_printed_escaped) {
    transfer::TransferInfo info;
    info.number = 3;
    info.direction = transfer::Direction::Incoming;
    info.name = std::string("x\x1b[2J\a\r\0\xe2\x80\xae.txt", 15);
    info.size = 10;
    const std::string line = formatOfferLine(info, "alice");
    BOOST_TEST(line == "[file 3] alice offers x\\x1b[2J\\x07\\r\\x00\\u202e.txt (10 B): /accept 3 [DIR] or /reject 3");
    BOOST_TEST(!contains(formatProgressLine(info, "alice", -1), "\x1b"));
}

BOOST_AUTO_TEST_CASE(interactive_lines) {
    BOOST_TEST(formatChatLine("12:03:04", "alice", "hello") == "[12:03:04] alice: hello");
    BOOST_TEST(formatRoomLine("12:03:04", "alice", "hi all") == "[12:03:04] #room alice: hi all");
    BOOST_TEST(formatPresenceLine("bob", proto::PresenceState::Online) == "* bob is online");
    BOOST_TEST(formatPresenceLine("bob", proto::PresenceState::Offline) == "* bob is offline");
    BOOST_TEST(formatMessageState("bob", session::MessageState::Stored) == "(stored for bob)");
    BOOST_TEST(formatMessageState("bob", session::MessageState::Delivered) == "(delivered to bob)");
    BOOST_TEST(formatMessageState("", session::MessageState::Broadcast) == "(sent to the room)");
    BOOST_TEST(formatMessageState("bob", session::MessageState::Pending).empty());
    BOOST_TEST(formatReadLine("bob") == "(read by bob)");
    BOOST_TEST(contains(formatMessageState("bob", session::MessageState::Abandoned), "not sent to bob"));

    proto::Contact alice{1, proto::PresenceState::Online, "alice", "Alice A."};
    proto::Contact bob{2, proto::PresenceState::Offline, "bob", "bob"};
    BOOST_TEST(formatContactLine(alice, 5) == "alice  online   (Alice A.)");
    BOOST_TEST(formatContactLine(bob, 5) == "bob    offline");
    bob.state = proto::PresenceState::Online;
    BOOST_TEST(formatContactLine(bob, 3) == "bob  online");
}

BOOST_AUTO_TEST_CASE(clock_is_hours_minutes_seconds) {
    const std::string clock = formatClock(1'700'000'000'123);
    BOOST_TEST(clock.size() == 8U);
    BOOST_TEST(clock[2] == ':');
    BOOST_TEST(clock[5] == ':');
    BOOST_TEST(clock.substr(6) == "20");  // 1700000000 s is hh:mm:20 in every time zone with whole minutes
}

BOOST_AUTO_TEST_CASE(failures_name_the_status) {
    proto::LoginResult bad;
    bad.status = proto::AuthStatus::BadCredentials;
    bad.text = "unknown user or wrong password";
    BOOST_TEST(describeLoginFailure(bad) == "login refused: unknown user or wrong password (BadCredentials)");

    proto::LoginResult throttled;
    throttled.status = proto::AuthStatus::Throttled;
    throttled.retryAfterSeconds = 30;
    BOOST_TEST(describeLoginFailure(throttled) == "login refused (Throttled); retry after 30 s");

    proto::RegisterResult taken;
    taken.status = proto::AuthStatus::UsernameTaken;
    taken.text = "that name is taken";
    BOOST_TEST(describeRegisterFailure(taken) == "registration refused: that name is taken (UsernameTaken)");

    proto::Error error{proto::ErrorCode::UnknownDestination, static_cast<std::uint8_t>(proto::MessageType::Chat),
                       "no such user"};
    BOOST_TEST(describeServerError(error) == "server error: no such user (UnknownDestination, about CHAT)");

    BOOST_TEST(describeKick(proto::KickReason::LoggedInElsewhere, "") == "kicked by the server (LoggedInElsewhere)");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(shell_command)

using Kind = ShellCommand::Kind;

BOOST_AUTO_TEST_CASE(commands) {
    BOOST_TEST(static_cast<int>(ShellCommand::parse("/who").kind) == static_cast<int>(Kind::Who));
    BOOST_TEST(static_cast<int>(ShellCommand::parse("/help").kind) == static_cast<int>(Kind::Help));
    BOOST_TEST(static_cast<int>(ShellCommand::parse("/quit").kind) == static_cast<int>(Kind::Quit));
    BOOST_TEST(static_cast<int>(ShellCommand::parse("/exit\r").kind) == static_cast<int>(Kind::Quit));
    BOOST_TEST(static_cast<int>(ShellCommand::parse("   ").kind) == static_cast<int>(Kind::Empty));
    BOOST_TEST(static_cast<int>(ShellCommand::parse("").kind) == static_cast<int>(Kind::Empty));

    const ShellCommand msg = ShellCommand::parse("/msg bob  hello  world");
    BOOST_TEST(static_cast<int>(msg.kind) == static_cast<int>(Kind::Msg));
    BOOST_TEST(msg.name == "bob");
    BOOST_TEST(msg.text == "hello  world");

    const ShellCommand room = ShellCommand::parse("/room hi all");
    BOOST_TEST(static_cast<int>(room.kind) == static_cast<int>(Kind::Room));
    BOOST_TEST(room.text == "hi all");
}

BOOST_AUTO_TEST_CASE(plain_text) {
    const ShellCommand text = ShellCommand::parse("how are you?\r");
    BOOST_TEST(static_cast<int>(text.kind) == static_cast<int>(Kind::Text));
    BOOST_TEST(text.text == "how are you?");

    const ShellCommand slash = ShellCommand::parse("//who is there");
    BOOST_TEST(static_cast<int>(slash.kind) == static_cast<int>(Kind::Text));
    BOOST_TEST(slash.text == "/who is there");
}

BOOST_AUTO_TEST_CASE(mistakes) {
    for (const char* line : {"/msg", "/msg bob", "/msg bob   ", "/room", "/who me", "/dance"}) {
        const ShellCommand command = ShellCommand::parse(line);
        BOOST_TEST(static_cast<int>(command.kind) == static_cast<int>(Kind::Invalid), line);
        BOOST_TEST(!command.error.empty(), line);
    }
    BOOST_TEST(contains(ShellCommand::parse("/dance").error, "/help"));
    BOOST_TEST(contains(shellHelpText(), "/msg NAME TEXT"));
}

BOOST_AUTO_TEST_SUITE_END()
