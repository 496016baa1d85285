#include "client-cli/ShellTransfers.h"

#include "client-cli/TransferFormat.h"
#include "shared/files/FileName.h"

#include <utility>

namespace parley::client {

using Clock = std::chrono::steady_clock;

ShellTransfers::ShellTransfers(transfer::TransferManager& manager, const session::ContactList& contacts,
                               std::string defaultDirectory, NameOf nameOf, Print print, Print printError)
    : m_manager(manager),
      m_contacts(contacts),
      m_defaultDirectory(std::move(defaultDirectory)),
      m_nameOf(std::move(nameOf)),
      m_print(std::move(print)),
      m_printError(std::move(printError)) {}

void ShellTransfers::execute(const ShellCommand& command, session::UserId self) {
    switch (command.kind) {
    case ShellCommand::Kind::File: sendFile(command.name, command.text, self); break;
    case ShellCommand::Kind::Accept: {
        const std::string dir = command.text.empty() ? m_defaultDirectory : command.text;
        report(m_manager.accept(command.number, files::pathFromUtf8(dir)), command.number);
        break;
    }
    case ShellCommand::Kind::Reject: report(m_manager.reject(command.number, "declined"), command.number); break;
    case ShellCommand::Kind::Cancel: report(m_manager.cancel(command.number), command.number); break;
    case ShellCommand::Kind::Transfers: list(); break;
    default: break;
    }
}

void ShellTransfers::sendFile(const std::string& name, const std::string& path, session::UserId self) {
    const proto::Contact* contact = m_contacts.findByUsername(name);
    if (contact == nullptr) {
        m_printError("! no user '" + name + "' (/who lists them)");
        return;
    }
    if (contact->userId == self) {
        m_printError("! that is you");
        return;
    }
    transfer::TransferError error = transfer::TransferError::None;
    const transfer::TransferNumber number = m_manager.sendFile(contact->userId, files::pathFromUtf8(path), {}, &error);
    if (number == 0) {
        m_printError(std::string("! cannot send: ") + transfer::toString(error));
        return;
    }
    m_print("[file " + std::to_string(number) + "] hashing " + path + " for " + name);
}

void ShellTransfers::report(transfer::TransferError error, std::uint32_t number) {
    if (error != transfer::TransferError::None) {
        m_printError("! file " + std::to_string(number) + ": " + transfer::toString(error));
    }
}

void ShellTransfers::list() {
    const auto all = m_manager.transfers();
    if (all.empty()) {
        m_print("No transfers.");
        return;
    }
    for (const transfer::TransferInfo& info : all) {
        m_print(formatProgressLine(info, m_nameOf(info.peer), -1) + " (" + transfer::toString(info.state) + ")");
    }
}

void ShellTransfers::onIncomingOffer(const transfer::TransferInfo& info) {
    m_print(formatOfferLine(info, m_nameOf(info.peer)));
}

void ShellTransfers::onProgress(const transfer::TransferInfo& info) {
    const Clock::time_point now = Clock::now();
    auto found = m_rates.find(info.number);
    if (found == m_rates.end()) {
        m_rates[info.number] = Rate{now, info.done};
        return;
    }
    Rate& rate = found->second;
    const double seconds = std::chrono::duration<double>(now - rate.shownAt).count();
    if (seconds < 1.0) {
        return;
    }
    const double perSecond =
        info.done >= rate.shownDone ? static_cast<double>(info.done - rate.shownDone) / seconds : 0;
    m_print(formatProgressLine(info, m_nameOf(info.peer), perSecond));
    rate = Rate{now, info.done};
}

void ShellTransfers::onStateChanged(const transfer::TransferInfo& info) {
    using transfer::TransferState;
    if (info.state == TransferState::Offered || info.state == TransferState::Interrupted ||
        (info.state == TransferState::Active && info.resumed)) {
        m_print(formatProgressLine(info, m_nameOf(info.peer), -1) + " (" + transfer::toString(info.state) + ")");
    }
}

void ShellTransfers::onFinished(const transfer::TransferInfo& info, const transfer::TransferOutcome& outcome) {
    m_rates.erase(info.number);
    m_print(formatFinishedLine(info, m_nameOf(info.peer), outcome));
}

}  // namespace parley::client
