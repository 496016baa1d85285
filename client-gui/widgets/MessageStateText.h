#pragma once
// The words a conversation shows for an own message's state, and for the connection.

#include "client-gui/core/ClientTypes.h"

#include <QString>

namespace parley::gui {

/// "sending…", "stored", "delivered", "read", "refused: <reason>"; empty for Incoming.
QString deliveryStateText(DeliveryState state, const QString& refusedReason);

/// toDisplayString(state), with the seconds to the next attempt while reconnecting:
/// "connected", "offline", "reconnecting in 3 s".
QString connectionStateText(ConnectionState state, int secondsToRetry);

}  // namespace parley::gui
