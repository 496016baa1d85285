#pragma once
// The client's icons: from the desktop theme when it has them, else the bundled
// fallbacks in client-gui/resources/parley_client.qrc.

#include <QIcon>

namespace parley::gui {

/// Registers the bundled resources (the qrc lives in a static library, so main() and
/// the tests call this once before the first window).
void initClientResources();

/// Secure: the connection is TLS (a lock); Insecure: plaintext, or a certificate problem.
enum class IconName { App, Send, Find, Room, LogOut, Secure, Insecure };

/// The theme icon for `name`, or its bundled fallback.
QIcon icon(IconName name);

}  // namespace parley::gui
