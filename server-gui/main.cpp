// parley-server: the server window, or --headless for services.
#include "server-gui/HeadlessServer.h"
#include "server-gui/ServerOptions.h"
#include "server-gui/ServerWindow.h"

#include <QApplication>

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
    if (options.headless) return runHeadless(options);  // no QApplication: no display needed

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Parley Server"));
    ServerWindow window(options.config);
    window.show();
    return QApplication::exec();
}
