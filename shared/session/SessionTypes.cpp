#include "shared/session/SessionTypes.h"

namespace parley::session {

const char* toString(SessionState state) {
    switch (state) {
    case SessionState::Disconnected: return "Disconnected";
    case SessionState::Connected: return "Connected";
    case SessionState::LoggingIn: return "LoggingIn";
    case SessionState::LoggedIn: return "LoggedIn";
    }
    return "?";
}

const char* toString(MessageState state) {
    switch (state) {
    case MessageState::Pending: return "Pending";
    case MessageState::Stored: return "Stored";
    case MessageState::Delivered: return "Delivered";
    case MessageState::Broadcast: return "Broadcast";
    case MessageState::Abandoned: return "Abandoned";
    case MessageState::Refused: return "Refused";
    }
    return "?";
}

const char* toString(SessionError error) {
    switch (error) {
    case SessionError::None: return "None";
    case SessionError::NotConnected: return "NotConnected";
    case SessionError::NotLoggedIn: return "NotLoggedIn";
    case SessionError::AlreadyLoggedIn: return "AlreadyLoggedIn";
    case SessionError::EmptyText: return "EmptyText";
    case SessionError::TextTooLong: return "TextTooLong";
    case SessionError::InvalidUtf8: return "InvalidUtf8";
    case SessionError::InvalidRecipient: return "InvalidRecipient";
    case SessionError::NotAFileMessage: return "NotAFileMessage";
    }
    return "?";
}

}  // namespace parley::session
