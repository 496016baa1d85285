#include "client-cli/OneShotCommands.h"

#include "client-cli/CliFormat.h"
#include "client-cli/FileCommands.h"

#include <utility>

namespace parley::client {

namespace {

/// What every one-shot command does with an ERROR from the server: give up.
class OneShotCommand : public CliClient {
public:
    using CliClient::CliClient;

protected:
    void onServerError(const proto::Error& error) override { finish({ExitCode::Refused, describeServerError(error)}); }
};

/// register [--display NAME]: REGISTER on a fresh connection, no login.
class RegisterCommand final : public OneShotCommand {
public:
    using OneShotCommand::OneShotCommand;

private:
    void onStart() override {
        setDeadline(options().timeout, "connecting to " + options().serverText() + " and registering");
    }

    void onConnected() override {
        const session::SessionError error =
            session().registerAccount(options().user, options().password, options().displayName);
        if (error != session::SessionError::None) {
            fail({ExitCode::Usage, std::string("cannot register with these values: ") + session::toString(error)});
        }
    }

    void onRegisterResult(const proto::RegisterResult& result) override {
        if (result.status != proto::AuthStatus::Ok) {
            finish({ExitCode::Refused, describeRegisterFailure(result)});
            return;
        }
        printLine("registered " + options().user + " (id " + std::to_string(result.userId) + ")");
        finish({ExitCode::Ok, {}});
    }
};

/// The commands that log in first (CliClient reports a refused login).
class LoggedInCommand : public OneShotCommand {
public:
    using OneShotCommand::OneShotCommand;

protected:
    void onStart() override { logIn(); }
};

/// send NAME TEXT: one CHAT; succeeds once the server says Stored or Delivered.
class SendCommand final : public LoggedInCommand {
public:
    using LoggedInCommand::LoggedInCommand;

private:
    void onReadyToChat(bool first) override {
        if (!first) {
            return;  // after a reconnect the outbox re-sends the message by itself
        }
        const proto::Contact* peer = session().contacts().findByUsername(options().recipient);
        if (options().recipient == options().user || (peer != nullptr && peer->userId == session().userId())) {
            // The server refuses it, and a refused message would stay in the outbox.
            finish({ExitCode::Refused, "cannot send a message to yourself"});
            return;
        }
        if (peer == nullptr) {
            finish({ExitCode::Refused, "unknown recipient '" + options().recipient + "' (not in the contact list)"});
            return;
        }
        const session::SendResult result = session().sendChat(peer->userId, options().text, wallClockMs());
        if (!result) {
            finish({ExitCode::Usage, std::string("cannot send this text: ") + session::toString(result.error)});
            return;
        }
        m_messageId = result.id;
        setDeadline(options().timeout, "waiting for the server to take the message to " + options().recipient);
    }

    void onMessageStateChanged(session::UserId /*peer*/, session::MessageId messageId,
                               session::MessageState state) override {
        if (messageId != m_messageId) {
            return;
        }
        if (state == session::MessageState::Stored || state == session::MessageState::Delivered) {
            printLine(formatSendResult(state));
            finish({ExitCode::Ok, {}});
        } else if (state == session::MessageState::Abandoned) {
            finish({ExitCode::Refused, "the message was abandoned"});
        } else if (state == session::MessageState::Refused) {
            finish({ExitCode::Refused, "the server refused the message"});
        }
    }

    session::MessageId m_messageId = 0;
};

/// recv [--wait S]: prints what arrives for S seconds; the session acknowledges it.
class RecvCommand final : public LoggedInCommand {
public:
    using LoggedInCommand::LoggedInCommand;

private:
    void onReadyToChat(bool first) override {
        if (first) {
            loop().runAfter(options().wait, [this] { finish({ExitCode::Ok, {}}); });
        }
    }

    void onMessage(const ReceivedMessage& message) override {
        printLine(formatReceivedLine(message.fromName, message.text, message.room));
    }
};

/// who: every user with its presence.
class WhoCommand final : public LoggedInCommand {
public:
    using LoggedInCommand::LoggedInCommand;

private:
    void onReadyToChat(bool /*first*/) override {
        for (const auto& entry : session().contacts()) {
            if (entry.first != session().userId()) {  // the server lists the others only
                printLine(formatWhoLine(entry.second.username, entry.second.state));
            }
        }
        finish({ExitCode::Ok, {}});
    }
};

/// logout: logs in (with the saved token), then LOGOUT revokes it; the file goes too.
class LogoutCommand final : public OneShotCommand {
public:
    using OneShotCommand::OneShotCommand;

private:
    void onStart() override { logIn(); }

    void onReadyToChat(bool /*first*/) override {
        const bool hadToken = session().usesToken();
        session::LoginTokenFile::inStateDirectory(options().stateDirectory, options().serverText(), options().user)
            .forget();
        printLine(hadToken ? "logged out: the saved login is revoked" : "logged out (there was no saved login)");
        finish({ExitCode::Ok, {}});
    }
};

}  // namespace

std::unique_ptr<CliClient> makeOneShotCommand(const CliOptions& options) {
    switch (options.command) {
    case Command::Register: return std::make_unique<RegisterCommand>(options);
    case Command::Send: return std::make_unique<SendCommand>(options);
    case Command::Recv: return std::make_unique<RecvCommand>(options);
    case Command::Who: return std::make_unique<WhoCommand>(options);
    case Command::Logout: {
        // Logging out must not save a new token on the way.
        CliOptions once = options;
        once.remember =
            session::LoginTokenFile::inStateDirectory(options.stateDirectory, options.serverText(), options.user)
                .load()
                .has_value();
        return std::make_unique<LogoutCommand>(once);
    }
    case Command::SendFile:
    case Command::RecvFile: return makeFileCommand(options);
    case Command::Interactive:
    case Command::Help:
    case Command::Version: break;
    }
    return nullptr;
}

}  // namespace parley::client
