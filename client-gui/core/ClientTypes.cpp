#include "client-gui/core/ClientTypes.h"

#include <QCoreApplication>

namespace parley::gui {

QString toDisplayString(ConnectionState state) {
    switch (state) {
    case ConnectionState::Offline: return QCoreApplication::translate("parley::gui", "offline");
    case ConnectionState::Connecting: return QCoreApplication::translate("parley::gui", "connecting");
    case ConnectionState::LoggingIn: return QCoreApplication::translate("parley::gui", "logging in");
    case ConnectionState::Connected: return QCoreApplication::translate("parley::gui", "connected");
    case ConnectionState::Reconnecting: return QCoreApplication::translate("parley::gui", "reconnecting");
    }
    return QString();
}

}  // namespace parley::gui
