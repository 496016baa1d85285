#include "client-gui/widgets/MessageStateText.h"

#include <QCoreApplication>

namespace parley::gui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("parley::gui::MessageStateText", text); }

}  // namespace

QString deliveryStateText(DeliveryState state, const QString& refusedReason) {
    switch (state) {
    case DeliveryState::Sending: return tr("sending…");
    case DeliveryState::Stored: return tr("stored");
    case DeliveryState::Delivered: return tr("delivered");
    case DeliveryState::Read: return tr("read");
    case DeliveryState::Refused: return refusedReason.isEmpty() ? tr("refused") : tr("refused: %1").arg(refusedReason);
    case DeliveryState::Incoming: break;
    }
    return {};
}

QString connectionStateText(ConnectionState state, int secondsToRetry) {
    if (state != ConnectionState::Reconnecting) return toDisplayString(state);
    return QCoreApplication::translate("parley::gui::MessageStateText", "reconnecting in %n s", nullptr,
                                       secondsToRetry);
}

}  // namespace parley::gui
