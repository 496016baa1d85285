// parley-server: the server window, or --headless for services.
#include "server-gui/ClusterJoin.h"
#include "server-gui/DataFolder.h"
#include "server-gui/HeadlessServer.h"
#include "server-gui/ServerCertificate.h"
#include "server-gui/ServerOptions.h"
#include "server-gui/ServerWindow.h"
#include "server-gui/StopSignals.h"
#include "server-gui/WindowSettings.h"

#include <QApplication>
#include <QDir>
#include <QSystemTrayIcon>
#include <QTimer>

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char* argv[]) {
    using namespace parley::server;
    ServerOptions options;
    const std::vector<std::string> args(argv + 1, argv + argc);
    std::string error = loadServerOptions(args, options);
    // The window starts from what it saved last time (the config file and args still win).
    if (error.empty() && !options.headless && !options.help && !options.version)
        error = loadWindowOptions(args, options);
    else if (error.empty()) error = resolveDataFolder(options);
    if (!error.empty()) {
        std::cerr << "parley-server: " << error << "\n";
        return 1;
    }
    if (options.help) {
        std::cout << serverUsage();
        return 0;
    }
    if (options.version) {
        std::cout << serverVersion() << "\n";
        return 0;
    }
    // One server per SQLite file, for the life of the process (the window's too).
    DatabaseLock lock;
    if (std::string busy = lock.acquire(options.config.database); !busy.empty()) {
        std::cerr << "parley-server: " << busy << "\n";
        return 2;
    }
    // Under the lock: a second server on the same folder does not race to make the pair.
    if (std::string failed = resolveCertificate(options); !failed.empty()) {
        std::cerr << "parley-server: " << failed << "\n";
        return 2;
    }
    if (options.headless) return runHeadless(options);  // no QApplication: no display needed
    RemoteUsersFactory cluster;
    if (std::string failed = makeClusterFactory(options, cluster); !failed.empty()) {
        std::cerr << "parley-server: " << failed << "\n";
        return 2;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Parley Server"));
    QApplication::setApplicationVersion(QStringLiteral(PARLEY_VERSION_STRING));
    const std::string dataFolder = dataFolderFor(options);
    WindowSetup setup;
    setup.settingsFile = windowSettingsFile(dataFolder);
    if (prepareDataFolder(dataFolder).empty())  // else the log stays in memory only
        setup.logFile = QDir(QString::fromStdString(dataFolder)).filePath(QStringLiteral("server-window.log"));
    setup.defaultSqlite =
        QStringLiteral("sqlite:") + QDir(QString::fromStdString(dataFolder)).filePath(QStringLiteral("parley.db"));
    ServerWindow window(options.config, setup);
    window.show();
    // The window may live on in the tray; Quit (tray, SIGTERM, the close question) ends it.
    QApplication::setQuitOnLastWindowClosed(!QSystemTrayIcon::isSystemTrayAvailable());
    // SIGTERM/SIGINT stop the server as cleanly as in headless mode: the handler sets a
    // flag that this timer sees on the GUI thread.
    installStopSignals();
    QTimer signalWatch;
    QObject::connect(&signalWatch, &QTimer::timeout, &window, [&window] {
        if (stopRequested()) window.quit();
    });
    signalWatch.start(100);
    window.controller()->setCluster(std::move(cluster));
    if (options.startNow) window.controller()->start();
    return QApplication::exec();
}
