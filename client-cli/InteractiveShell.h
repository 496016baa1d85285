#pragma once
// parley-cli without a command: log in, show what arrives as it arrives, and read
// commands (/who, /msg, /room, /file, /accept, ..., /help, /quit) from standard input.

#include "client-cli/CliClient.h"
#include "client-cli/LineReader.h"
#include "client-cli/ShellCommand.h"
#include "client-cli/ShellTransfers.h"

#include <memory>

#include <optional>
#include <string>
#include <vector>

namespace parley::client {

/// Standard input is read only once the first login is complete and the contact list
/// is in, so that piped commands (`printf '/who\n/msg bob hi\n/quit\n' | parley-cli`)
/// see the same state a person would. End of input is /quit.
///
/// Threading: as CliClient. Lines come from the LineReader thread through post().
class InteractiveShell final : public CliClient {
public:
    explicit InteractiveShell(CliOptions options);
    ~InteractiveShell() override;

private:
    // CliClient hooks
    void onStart() override;
    void onReadyToChat(bool first) override;
    void onMessage(const ReceivedMessage& message) override;
    void onReconnecting(const std::string& reason, std::chrono::milliseconds retryIn) override;

    // SessionListener events shown as they come
    void onPresenceChanged(const proto::Contact& contact) override;
    void onMessageStateChanged(session::UserId peer, session::MessageId messageId,
                               session::MessageState state) override;
    void onServerError(const proto::Error& error) override;
    void onRead(session::UserId reader, session::MessageId upTo) override;

    // TransferListener events, shown by ShellTransfers
    void onIncomingOffer(const transfer::TransferInfo& info) override { m_files->onIncomingOffer(info); }
    void onTransferProgress(const transfer::TransferInfo& info) override { m_files->onProgress(info); }
    void onTransferStateChanged(const transfer::TransferInfo& info) override { m_files->onStateChanged(info); }
    void onTransferFinished(const transfer::TransferInfo& info, const transfer::TransferOutcome& outcome) override {
        m_files->onFinished(info, outcome);
    }

    void handleLine(const std::optional<std::string>& line);
    void execute(const ShellCommand& command);
    void showContacts();
    /// The contact list without this user, and "1 of 3 other users" of it.
    std::vector<const proto::Contact*> others() const;
    std::string othersOnline() const;
    void sendTo(const std::string& name, const std::string& text);
    void sendToRoom(const std::string& text);
    /// Says why when the session refused to queue the message.
    static bool sent(const session::SendResult& result);
    void quit();
    void quitWhenOutboxEmpty();

    std::unique_ptr<ShellTransfers> m_files;
    LineReader m_reader;
    std::string m_lastPeer;  ///< where a line without a slash goes
    bool m_quitting = false;
};

}  // namespace parley::client
