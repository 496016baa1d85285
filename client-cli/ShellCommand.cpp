#include "client-cli/ShellCommand.h"

#include <charconv>
#include <utility>

namespace parley::client {

namespace {

bool isBlank(char c) { return c == ' ' || c == '\t'; }

/// Splits off the first word; `rest` is what follows it, without the blanks between.
std::string firstWord(const std::string& text, std::string& rest) {
    std::size_t end = 0;
    while (end < text.size() && !isBlank(text[end])) {
        ++end;
    }
    std::size_t restBegin = end;
    while (restBegin < text.size() && isBlank(text[restBegin])) {
        ++restBegin;
    }
    rest = text.substr(restBegin);
    return text.substr(0, end);
}

ShellCommand invalid(std::string error) {
    ShellCommand command;
    command.kind = ShellCommand::Kind::Invalid;
    command.error = std::move(error);
    return command;
}

}  // namespace

ShellCommand ShellCommand::parse(std::string line) {
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    ShellCommand command;
    if (line.find_first_not_of(" \t") == std::string::npos) {
        return command;
    }
    if (line.front() != '/' || line.rfind("//", 0) == 0) {
        command.kind = Kind::Text;
        command.text = line.front() == '/' ? line.substr(1) : line;
        return command;
    }
    std::string rest;
    const std::string word = firstWord(line, rest);
    if (word == "/who" || word == "/help" || word == "/quit" || word == "/exit" || word == "/transfers") {
        if (!rest.empty()) {
            return invalid(word + " takes no arguments");
        }
        command.kind = word == "/who"         ? Kind::Who
                       : word == "/help"      ? Kind::Help
                       : word == "/transfers" ? Kind::Transfers
                                              : Kind::Quit;
        return command;
    }
    if (word == "/file") {
        command.name = firstWord(rest, command.text);
        if (command.name.empty() || command.text.empty()) {
            return invalid("usage: /file NAME PATH");
        }
        command.kind = Kind::File;
        return command;
    }
    if (word == "/accept" || word == "/reject" || word == "/cancel") {
        std::string after;
        const std::string id = firstWord(rest, after);
        const char* end = id.data() + id.size();
        const auto [ptr, ec] = std::from_chars(id.data(), end, command.number);
        const bool takesDir = word == "/accept";
        if (id.empty() || ec != std::errc() || ptr != end || command.number == 0 || (!takesDir && !after.empty())) {
            return invalid(takesDir ? "usage: /accept ID [DIR]" : "usage: " + word + " ID");
        }
        command.text = after;
        command.kind = word == "/accept" ? Kind::Accept : word == "/reject" ? Kind::Reject : Kind::Cancel;
        return command;
    }
    if (word == "/msg") {
        command.name = firstWord(rest, command.text);
        if (command.name.empty() || command.text.empty()) {
            return invalid("usage: /msg NAME TEXT");
        }
        command.kind = Kind::Msg;
        return command;
    }
    if (word == "/room") {
        if (rest.empty()) {
            return invalid("usage: /room TEXT");
        }
        command.kind = Kind::Room;
        command.text = rest;
        return command;
    }
    return invalid("unknown command " + word + " (/help lists the commands)");
}

std::string shellHelpText() {
    return "Commands:\n"
           "  /who              users and who is online\n"
           "  /msg NAME TEXT    message NAME; later lines without a slash go to NAME too\n"
           "  /room TEXT        message everyone online\n"
           "  /file NAME PATH   send a file to NAME\n"
           "  /accept ID [DIR]  accept offered file ID (into DIR, default --dir)\n"
           "  /reject ID        decline offered file ID\n"
           "  /cancel ID        stop transfer ID\n"
           "  /transfers        the transfers in progress\n"
           "  /help             this list\n"
           "  /quit             wait until the server has your messages, then exit\n"
           "A line starting with // is sent as text starting with /.";
}

}  // namespace parley::client
