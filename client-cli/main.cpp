// parley-cli: the Parley terminal client. See --help, or client-cli/README.md.

#include "client-cli/CliClient.h"
#include "client-cli/CliOptions.h"
#include "client-cli/InteractiveShell.h"
#include "client-cli/OneShotCommands.h"

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace parley::client;

int main(int argc, char** argv)
{
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

    std::unique_ptr<CliClient> client = options.command == Command::Interactive
                                             ? std::make_unique<InteractiveShell>(options)
                                             : makeOneShotCommand(options);
    const Outcome outcome = client->run();
    if (outcome.code != ExitCode::Ok) {
        std::cerr << "parley-cli: " << outcome.error << '\n';
        if (options.command == Command::Interactive && outcome.code == ExitCode::Auth) {
            std::cerr << "No account yet? Create one first:\n  parley-cli --server "
                      << options.serverText() << " --user " << options.user
                      << " --password PASSWORD register\n";
        }
    }
    return static_cast<int>(outcome.code);
}
