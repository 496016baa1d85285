#include "client-gui/widgets/Icons.h"

// Q_INIT_RESOURCE must be used outside any namespace.
static void initParleyClientQrc() { Q_INIT_RESOURCE(parley_client); }

namespace parley::gui {

void initClientResources() { initParleyClientQrc(); }

QIcon icon(IconName name) {
    switch (name) {
    case IconName::App: {
        QIcon app(QStringLiteral(":/icons/parley.png"));
        app.addFile(QStringLiteral(":/icons/parley-256.png"));
        return app;
    }
    case IconName::Send:
        return QIcon::fromTheme(QStringLiteral("mail-send"), QIcon(QStringLiteral(":/icons/send.png")));
    case IconName::Find:
        return QIcon::fromTheme(QStringLiteral("edit-find"), QIcon(QStringLiteral(":/icons/find.png")));
    case IconName::Room:
        return QIcon::fromTheme(QStringLiteral("system-users"), QIcon(QStringLiteral(":/icons/room.png")));
    case IconName::LogOut:
        return QIcon::fromTheme(QStringLiteral("system-log-out"), QIcon(QStringLiteral(":/icons/logout.png")));
    case IconName::Secure:
        return QIcon::fromTheme(QStringLiteral("security-high"), QIcon(QStringLiteral(":/icons/lock.png")));
    case IconName::Insecure:
        return QIcon::fromTheme(QStringLiteral("dialog-warning"), QIcon(QStringLiteral(":/icons/warning.png")));
    }
    return {};
}

}  // namespace parley::gui
