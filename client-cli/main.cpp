// parley-cli: the Parley terminal client. See --help, or client-cli/README.md.

#include "client-cli/CliClient.h"
#include "client-cli/CliOptions.h"
#include "client-cli/InteractiveShell.h"
#include "client-cli/OneShotCommands.h"
#include "client-cli/ServerTrust.h"
#include "platform/Compat.h"

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace parley::client;

namespace {

Outcome runOnce(const CliOptions& options) {
    std::unique_ptr<CliClient> client = options.command == Command::Interactive
                                            ? std::make_unique<InteractiveShell>(options)
                                            : makeOneShotCommand(options);
    return client->run();
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    std::optional<std::string> envPassword;
    if (const char* value = std::getenv("PARLEY_PASSWORD")) {
        envPassword = value;
    }
    const ParseResult parsed = parseCommandLine(args, envPassword);
    if (!parsed.options) {
        std::cerr << "parley-cli: " << parsed.error << "\n(parley-cli --help shows the usage)\n";
        return static_cast<int>(ExitCode::Usage);
    }
    const CliOptions& options = *parsed.options;
    if (options.command == Command::Help) {
        std::cout << usageText();
        return static_cast<int>(ExitCode::Ok);
    }
    if (options.command == Command::Version) {
        std::cout << versionText() << '\n';
        return static_cast<int>(ExitCode::Ok);
    }

    Outcome outcome = runOnce(options);
    if (outcome.code == ExitCode::Untrusted && !outcome.unknownFingerprint.empty() &&
        parley::net::compat::standardInputIsTerminal()) {
        // First contact at a terminal: ask, as ssh does, then run again with the pin.
        ServerTrust trust(options);
        std::cerr << trust.question(outcome.unknownFingerprint) << std::flush;
        std::string answer;
        std::getline(std::cin, answer);
        if (answer == "y" || answer == "Y" || answer == "yes" || answer == "YES" || answer == "Yes") {
            if (std::string failed = trust.pin(outcome.unknownFingerprint); !failed.empty()) {
                outcome = {ExitCode::Usage, "cannot pin the certificate: " + failed, {}};
            } else {
                outcome = runOnce(options);
            }
        } else {
            outcome = {ExitCode::Untrusted, "not trusted: nothing was sent to " + options.serverText(), {}};
        }
    }
    if (outcome.code != ExitCode::Ok) {
        std::cerr << "parley-cli: " << outcome.error << '\n';
        if (options.command == Command::Interactive && outcome.code == ExitCode::Auth) {
            std::cerr << "No account yet? Create one first:\n  parley-cli --server " << options.serverText()
                      << " --user " << options.user << " --password PASSWORD register\n";
        }
    }
    return static_cast<int>(outcome.code);
}
