#include "client-cli/InteractiveShell.h"

#include "client-cli/CliFormat.h"
#include "shared/files/FileName.h"

#include <algorithm>
#include <utility>

namespace parley::client {

namespace {

/// "0.5 s", "2 s"
std::string seconds(std::chrono::milliseconds delay) {
    const auto ms = delay.count();
    std::string text = std::to_string(ms / 1000);
    if (ms % 1000 != 0) {
        text += "." + std::to_string((ms % 1000) / 100);
    }
    return text + " s";
}

}  // namespace

InteractiveShell::InteractiveShell(CliOptions options) : CliClient(std::move(options)) {}

InteractiveShell::~InteractiveShell() { m_reader.stop(); }

// ---- hooks ---------------------------------------------------------------------------

void InteractiveShell::onStart() {
    enableFileTransfers();
    m_files = std::make_unique<ShellTransfers>(
        transfers(), session().contacts(), options().directory, [this](session::UserId id) { return nameOf(id); },
        [](const std::string& line) { printLine(line); }, [](const std::string& line) { printError(line); });
    transfers().setStateDirectory(files::pathFromUtf8(options().stateDirectory));
    logIn();
}

void InteractiveShell::onReadyToChat(bool first) {
    if (!first) {
        printLine("* reconnected");
        return;
    }
    printLine("Logged in as " + options().user + " on " + options().serverText() + " (" + othersOnline() +
              " online). /help lists the commands.");
    m_reader.start(
        [this](std::optional<std::string> line) { post([this, line = std::move(line)] { handleLine(line); }); });
}

void InteractiveShell::onMessage(const ReceivedMessage& message) {
    const std::string clock = formatClock(message.timestampMs);
    printLine(message.room ? formatRoomLine(clock, message.fromName, message.text)
                           : formatChatLine(clock, message.fromName, message.text));
    if (!message.room) {
        // Printed is shown: a read receipt, posted so that it follows the ACK
        // Received the session sends when this returns.
        post([this, from = message.from, id = message.messageId] { session().sendRead(from, id); });
    }
}

void InteractiveShell::onReconnecting(const std::string& reason, std::chrono::milliseconds retryIn) {
    printLine("* " + reason + "; reconnecting in " + seconds(retryIn));
}

// ---- events --------------------------------------------------------------------------

void InteractiveShell::onPresenceChanged(const proto::Contact& contact) {
    if (contact.userId != session().userId()) {
        printLine(formatPresenceLine(contact.username, contact.state));
    }
}

void InteractiveShell::onMessageStateChanged(session::UserId peer, session::MessageId /*messageId*/,
                                             session::MessageState state) {
    const std::string line = formatMessageState(nameOf(peer), state);
    if (!line.empty()) {
        printLine(line);
    }
    if (m_quitting) {
        quitWhenOutboxEmpty();
    }
}

void InteractiveShell::onRead(session::UserId reader, session::MessageId /*upTo*/) {
    printLine(formatReadLine(nameOf(reader)));
}

void InteractiveShell::onServerError(const proto::Error& error) { printError("! " + describeServerError(error)); }

// ---- commands --------------------------------------------------------------------------

void InteractiveShell::handleLine(const std::optional<std::string>& line) {
    if (finishing() || m_quitting) {
        return;
    }
    if (!line) {
        quit();  // end of input
        return;
    }
    execute(ShellCommand::parse(*line));
}

void InteractiveShell::execute(const ShellCommand& command) {
    switch (command.kind) {
    case ShellCommand::Kind::Empty: return;
    case ShellCommand::Kind::Who: showContacts(); return;
    case ShellCommand::Kind::Msg: sendTo(command.name, command.text); return;
    case ShellCommand::Kind::Room: sendToRoom(command.text); return;
    case ShellCommand::Kind::Text:
        if (m_lastPeer.empty()) {
            printError("! no conversation yet: /msg NAME TEXT starts one (/help lists the commands)");
        } else {
            sendTo(m_lastPeer, command.text);
        }
        return;
    case ShellCommand::Kind::File:
    case ShellCommand::Kind::Accept:
    case ShellCommand::Kind::Reject:
    case ShellCommand::Kind::Cancel:
    case ShellCommand::Kind::Transfers: m_files->execute(command, session().userId()); return;
    case ShellCommand::Kind::Help: printLine(shellHelpText()); return;
    case ShellCommand::Kind::Quit: quit(); return;
    case ShellCommand::Kind::Invalid: printError("! " + command.error); return;
    }
}

std::vector<const proto::Contact*> InteractiveShell::others() const {
    // The server lists every user but the receiver; skipping ourselves keeps it so.
    std::vector<const proto::Contact*> result;
    for (const auto& entry : session().contacts()) {
        if (entry.first != session().userId()) {
            result.push_back(&entry.second);
        }
    }
    return result;
}

std::string InteractiveShell::othersOnline() const {
    const std::vector<const proto::Contact*> users = others();
    const auto online = std::count_if(users.begin(), users.end(),
                                      [](const proto::Contact* c) { return c->state == proto::PresenceState::Online; });
    return std::to_string(online) + " of " + std::to_string(users.size()) +
           (users.size() == 1 ? " other user" : " other users");
}

void InteractiveShell::showContacts() {
    const std::vector<const proto::Contact*> users = others();
    std::size_t width = 0;
    for (const proto::Contact* contact : users) {
        width = std::max(width, contact->username.size());
    }
    printLine(users.empty() ? "No other users yet." : "Users (" + othersOnline() + " online):");
    for (const proto::Contact* contact : users) {
        printLine("  " + formatContactLine(*contact, width));
    }
}

void InteractiveShell::sendTo(const std::string& name, const std::string& text) {
    const proto::Contact* contact = session().contacts().findByUsername(name);
    if (name == options().user || (contact != nullptr && contact->userId == session().userId())) {
        printError("! that is you: the server does not take messages to yourself");
        return;
    }
    if (contact == nullptr) {
        printError("! no user '" + name + "' (/who lists them)");
        return;
    }
    if (sent(session().sendChat(contact->userId, text, wallClockMs()))) {
        m_lastPeer = name;
    }
}

void InteractiveShell::sendToRoom(const std::string& text) { sent(session().sendRoom(text, wallClockMs())); }

bool InteractiveShell::sent(const session::SendResult& result) {
    if (!result) {
        printError(std::string("! not sent: ") + session::toString(result.error));
    }
    return static_cast<bool>(result);
}

void InteractiveShell::quit() {
    m_quitting = true;
    const std::size_t pending = session().outboxSize();
    if (pending > 0) {
        const std::string what =
            "waiting for the server to take " + std::to_string(pending) + (pending == 1 ? " message" : " messages");
        printLine("(" + what + ")");
        setDeadline(options().timeout, what);
    }
    quitWhenOutboxEmpty();
}

void InteractiveShell::quitWhenOutboxEmpty() {
    if (session().outboxSize() == 0) {
        finish({ExitCode::Ok, {}});
    }
}

}  // namespace parley::client
