#pragma once
// Value types shared by the client core's models and controller (namespace parley::gui).

#include <QMetaType>
#include <QString>
#include <QtGlobal>

namespace parley::gui {

/// The pseudo peer id of the shared room: its conversation, its contact row.
/// It is the server's id on the wire (ROOM messages carry destination 0).
constexpr quint32 kRoomPeerId = 0;

/// Where the controller's connection stands (SessionController::connectionState()).
enum class ConnectionState {
    Offline,       ///< no connection and none planned (before login, after logout/kick)
    Connecting,    ///< TCP connect in progress
    LoggingIn,     ///< connected, LOGIN sent
    Connected,     ///< logged in and the contact list arrived (ready)
    Reconnecting,  ///< lost; the next attempt in SessionController::secondsToRetry() s
};

/// Why a login did not succeed (SessionController::loginFailed).
enum class LoginError {
    BadCredentials,     ///< unknown user or wrong password
    Throttled,          ///< too many attempts; try again later
    ServerError,        ///< the server could not check (database down)
    Unreachable,        ///< no connection to the server
    InvalidInput,       ///< refused before sending (too long, not UTF-8, ...)
    Untrusted,          ///< the server's certificate was not trusted (declined or changed)
    SavedLoginRefused,  ///< the saved login ("Remember me") expired or was revoked: the password is needed
};

/// The form field a registration error belongs to (SessionController::registerFailed).
enum class RegisterField {
    Name,      ///< name taken or invalid
    Password,  ///< too weak
    Server,    ///< unreachable, or the server refused for another reason
};

/// Delivery state of an own message as a conversation shows it.
enum class DeliveryState {
    Sending = 0,    ///< in the outbox (also while offline)
    Stored = 1,     ///< the server keeps it for the offline peer
    Delivered = 2,  ///< the peer's client has it
    Read = 3,       ///< the peer has seen it (ACK Read); never goes back to Delivered
    Refused = 4,    ///< the server refused it: see RefusedReason
    Incoming = 5,   ///< not an own message
};

QString toDisplayString(ConnectionState state);

}  // namespace parley::gui

Q_DECLARE_METATYPE(parley::gui::ConnectionState)
Q_DECLARE_METATYPE(parley::gui::LoginError)
Q_DECLARE_METATYPE(parley::gui::RegisterField)
Q_DECLARE_METATYPE(parley::gui::DeliveryState)
