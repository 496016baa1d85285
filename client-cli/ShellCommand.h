#pragma once
// One line typed in interactive mode, parsed. Pure parsing, no I/O.

#include <cstdint>
#include <string>

namespace parley::client {

struct ShellCommand {
    enum class Kind : std::uint8_t {
        Empty,      ///< a blank line: nothing to do
        Who,        ///< /who
        Msg,        ///< /msg NAME TEXT
        Room,       ///< /room TEXT
        Text,       ///< a line without a slash: TEXT for the last peer
        File,       ///< /file NAME PATH
        Accept,     ///< /accept ID [DIR]
        Reject,     ///< /reject ID
        Cancel,     ///< /cancel ID
        Transfers,  ///< /transfers
        Help,       ///< /help
        Quit,       ///< /quit (also /exit)
        Invalid,    ///< a known command used wrongly, or an unknown one: see error
    };

    Kind kind = Kind::Empty;
    std::string name;          ///< Msg, File: the recipient
    std::string text;          ///< Msg, Room, Text; File: the path; Accept: the directory (may be empty)
    std::uint32_t number = 0;  ///< Accept, Reject, Cancel: the transfer ID
    std::string error;         ///< Invalid: what to tell the user

    /// Parses one line (a trailing '\r' from a Windows terminal or file is dropped).
    /// "//text" sends "/text" as plain text.
    static ShellCommand parse(std::string line);
};

/// The /help text.
std::string shellHelpText();

}  // namespace parley::client
