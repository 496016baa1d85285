#pragma once
// The file-transfer part of interactive mode: /file, /accept, /reject, /cancel, /transfers,
// and the lines shown for offers, progress (at most once a second per transfer) and ends.
//
// Threading: the loop thread only, like InteractiveShell which owns it.

#include "client-cli/ShellCommand.h"
#include "shared/session/ContactList.h"
#include "shared/transfer/TransferManager.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace parley::client {

class ShellTransfers {
public:
    using Print = std::function<void(const std::string&)>;
    using NameOf = std::function<std::string(session::UserId)>;

    ShellTransfers(transfer::TransferManager& manager, const session::ContactList& contacts,
                   std::string defaultDirectory, NameOf nameOf, Print print, Print printError);

    /// File, Accept, Reject, Cancel, Transfers; `self` is our user id.
    void execute(const ShellCommand& command, session::UserId self);

    void onIncomingOffer(const transfer::TransferInfo& info);
    void onProgress(const transfer::TransferInfo& info);
    void onStateChanged(const transfer::TransferInfo& info);
    void onFinished(const transfer::TransferInfo& info, const transfer::TransferOutcome& outcome);

private:
    struct Rate {
        std::chrono::steady_clock::time_point shownAt;
        std::uint64_t shownDone = 0;
    };

    void sendFile(const std::string& name, const std::string& path, session::UserId self);
    void report(transfer::TransferError error, std::uint32_t number);
    void list();

    transfer::TransferManager& m_manager;
    const session::ContactList& m_contacts;
    std::string m_defaultDirectory;
    NameOf m_nameOf;
    Print m_print;
    Print m_printError;
    std::map<transfer::TransferNumber, Rate> m_rates;
};

}  // namespace parley::client
