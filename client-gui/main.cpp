// parley-client: the Parley desktop client.
#include "client-gui/core/AccountPaths.h"
#include "client-gui/core/ClientSettings.h"
#include "client-gui/core/SessionController.h"
#include "client-gui/widgets/ClientApp.h"
#include "client-gui/widgets/ClientOptions.h"
#include "client-gui/widgets/Icons.h"

#include <QApplication>
#include <QNetworkProxyFactory>

#include <iostream>

int main(int argc, char* argv[]) {
    using namespace parley::gui;
    // Options first: --help and --version need no display (help2man runs them).
    QStringList args;
    for (int i = 1; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
    ClientOptions options;
    if (const QString error = parseClientOptions(args, options); !error.isEmpty()) {
        std::cerr << "parley-client: " << error.toStdString() << "\n";
        return 1;
    }
    if (options.help) {
        std::cout << clientUsage().toStdString();
        return 0;
    }
    if (options.version) {
        std::cout << clientVersion().toStdString() << "\n";
        return 0;
    }

    // Every widget is drawn by the raster engine. Without this, Qt's xcb platform loads
    // OpenGL at start, which on a machine without a GPU driver (a VM, a remote desktop)
    // is Mesa's llvmpipe: 95 MiB resident at the login window instead of 43 (Xvfb).
    if (!qEnvironmentVariableIsSet("QT_XCB_GL_INTEGRATION")) {
        qputenv("QT_XCB_GL_INTEGRATION", "none");
    }
    QApplication::setAttribute(Qt::AA_EnableHighDpiScaling);
    QApplication::setAttribute(Qt::AA_UseHighDpiPixmaps);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("parley-client"));
    QApplication::setApplicationVersion(QStringLiteral(PARLEY_VERSION_STRING));
    QApplication::setDesktopFileName(QStringLiteral("org.parley.Client"));
    // A system proxy must not catch the connection to the server (a known QTcpSocket trap).
    QNetworkProxyFactory::setUseSystemConfiguration(false);
    initClientResources();
    QApplication::setWindowIcon(icon(IconName::App));

    const AccountPaths paths(options.profileDir);
    ClientSettings settings(paths);
    SessionController controller(paths);
    ClientApp client(controller, settings);
    QObject::connect(&client, &ClientApp::quitRequested, &app, &QApplication::quit);
    client.start(options, qEnvironmentVariable("PARLEY_PASSWORD"));
    return QApplication::exec();
}
