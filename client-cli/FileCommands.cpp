#include "client-cli/FileCommands.h"

#include "client-cli/TransferFormat.h"
#include "shared/files/FileName.h"
#include "shared/text/Printable.h"

#include <string>
#include <utility>

namespace parley::client {

namespace {

/// The exit code and stderr text of a transfer that did not end verified.
Outcome failureOf(const transfer::TransferOutcome& outcome) {
    const ExitCode code =
        outcome.kind == transfer::OutcomeKind::Rejected ? ExitCode::FileRefused : ExitCode::FileFailed;
    return {code, transfer::describe(outcome)};
}

/// What sendfile and recvfile print when their transfer is cut.
std::string interruptedLine(const transfer::TransferInfo& info) {
    return "interrupted at " + std::to_string(info.done) + " bytes; waiting to resume";
}

/// sendfile NAME PATH
class SendFileCommand final : public CliClient {
public:
    using CliClient::CliClient;

private:
    void onStart() override {
        enableFileTransfers();
        logIn();
    }

    void onReadyToChat(bool first) override {
        if (!first) {
            return;  // the transfer re-offers by itself after a reconnect
        }
        const proto::Contact* peer = session().contacts().findByUsername(options().recipient);
        if (peer == nullptr || peer->userId == session().userId()) {
            finish({ExitCode::Refused, peer == nullptr ? "unknown recipient '" + options().recipient + "'"
                                                       : std::string("cannot send a file to yourself")});
            return;
        }
        m_number = transfers().sendFile(peer->userId, files::pathFromUtf8(options().path));
        printLine("[file " + std::to_string(m_number) + "] hashing " + options().path);
    }

    void onTransferStateChanged(const transfer::TransferInfo& info) override {
        if (info.number == m_number && info.state == transfer::TransferState::Offered) {
            printLine("offered " + info.name + " (" + std::to_string(info.size) + " bytes) to " + nameOf(info.peer));
        } else if (info.number == m_number && info.state == transfer::TransferState::Interrupted) {
            printLine(interruptedLine(info));
        }
    }

    void onTransferAccepted(const transfer::TransferInfo& info, std::uint64_t offset) override {
        if (info.number == m_number) {
            printLine("accepted at offset " + std::to_string(offset));
        }
    }

    void onTransferFinished(const transfer::TransferInfo& info, const transfer::TransferOutcome& outcome) override {
        if (info.number != m_number) {
            return;
        }
        if (outcome.kind == transfer::OutcomeKind::Verified) {
            printLine("verified: sent " + std::to_string(info.size) + " bytes");
            finish({ExitCode::Ok, {}});
        } else {
            finish(failureOf(outcome));
        }
    }

    transfer::TransferNumber m_number = 0;
};

/// recvfile [--dir DIR] [--wait S]
class RecvFileCommand final : public CliClient {
public:
    using CliClient::CliClient;

private:
    void onStart() override {
        enableFileTransfers();
        transfers().setStateDirectory(files::pathFromUtf8(options().stateDirectory));
        logIn();
    }

    void onReadyToChat(bool first) override {
        if (first && m_number == 0) {
            setDeadline(options().wait, "waiting for a file offer");
        }
    }

    void onIncomingOffer(const transfer::TransferInfo& info) override {
        if (m_number != 0) {
            transfers().reject(info.number, "busy with another file");
            return;
        }
        take(info, "receiving " + text::printable(info.name) + " (" + std::to_string(info.size) + " bytes) from " +
                       nameOf(info.peer));
        transfers().accept(info.number, files::pathFromUtf8(options().directory));
    }

    void onTransferStateChanged(const transfer::TransferInfo& info) override {
        // A re-offer of a .part found in --dir resumes without an offer event.
        if (m_number == 0 && info.direction == transfer::Direction::Incoming && info.resumed) {
            take(info, "resuming " + text::printable(info.name) + " from " + nameOf(info.peer));
            return;
        }
        // A cut in this run (either side's connection, the server): say so, and when it goes on.
        if (info.number != m_number) {
            return;
        }
        if (info.state == transfer::TransferState::Interrupted && !m_interrupted) {
            m_interrupted = true;
            printLine(interruptedLine(info));
        } else if (info.state == transfer::TransferState::Active && m_interrupted) {
            m_interrupted = false;
            printLine("resuming " + text::printable(info.name) + " at " + std::to_string(info.done) + " bytes");
        }
    }

    void onTransferFinished(const transfer::TransferInfo& info, const transfer::TransferOutcome& outcome) override {
        if (info.number != m_number) {
            return;
        }
        if (outcome.kind == transfer::OutcomeKind::Verified) {
            printLine(text::escapeControls(outcome.path, false));
            finish({ExitCode::Ok, {}});
        } else if (outcome.cancelReason == proto::FileCancelReason::PeerDisconnected &&
                   outcome.kind == transfer::OutcomeKind::Cancelled && outcome.local) {
            m_number = 0;  // our connection went before we answered: the re-offer comes again
        } else {
            finish(failureOf(outcome));
        }
    }

    void take(const transfer::TransferInfo& info, const std::string& line) {
        m_number = info.number;
        cancelDeadline();
        printLine(line);
    }

    transfer::TransferNumber m_number = 0;
    bool m_interrupted = false;
};

}  // namespace

std::unique_ptr<CliClient> makeFileCommand(const CliOptions& options) {
    if (options.command == Command::SendFile) {
        return std::make_unique<SendFileCommand>(options);
    }
    if (options.command == Command::RecvFile) {
        return std::make_unique<RecvFileCommand>(options);
    }
    return nullptr;
}

}  // namespace parley::client
