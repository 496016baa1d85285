// parley-server: the server window, or --headless for services.
#include "server-gui/HeadlessServer.h"
#include "server-gui/ServerOptions.h"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char* argv[]) {
    using namespace parley::server;
    ServerOptions options;
    const std::vector<std::string> args(argv + 1, argv + argc);
    const std::string error = parseServerOptions(args, options);
    if (!error.empty()) {
        std::cerr << "parley-server: " << error << "\n";
        return 1;
    }
    if (options.help) {
        std::cout << serverUsage();
        return 0;
    }
    if (!options.headless) {
        std::cerr << "parley-server: this build has no server window yet; run with --headless\n";
        return 1;
    }
    return runHeadless(options);
}
