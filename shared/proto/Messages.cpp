#include "shared/proto/Messages.h"

namespace parley::proto {

// The switches below have no `default`, so -Wswitch flags a new enumerator
// that was not given a name; a name is also what makes a value "known".
namespace {

const char* nameOf(MessageType type) {
    switch (type) {
    case MessageType::Register: return "REGISTER";
    case MessageType::RegisterResult: return "REGISTER_RESULT";
    case MessageType::Login: return "LOGIN";
    case MessageType::LoginResult: return "LOGIN_RESULT";
    case MessageType::Logout: return "LOGOUT";
    case MessageType::Kicked: return "KICKED";
    case MessageType::ContactsQuery: return "CONTACTS_QUERY";
    case MessageType::Contacts: return "CONTACTS";
    case MessageType::Presence: return "PRESENCE";
    case MessageType::ContactStates: return "CONTACT_STATES";
    case MessageType::PresenceStates: return "PRESENCE_STATES";
    case MessageType::Chat: return "CHAT";
    case MessageType::Room: return "ROOM";
    case MessageType::Ack: return "ACK";
    case MessageType::Typing: return "TYPING";
    case MessageType::FileOffer: return "FILE_OFFER";
    case MessageType::FileAccept: return "FILE_ACCEPT";
    case MessageType::FileReject: return "FILE_REJECT";
    case MessageType::FileChunk: return "FILE_CHUNK";
    case MessageType::FileDone: return "FILE_DONE";
    case MessageType::FileCancel: return "FILE_CANCEL";
    case MessageType::FileCredit: return "FILE_CREDIT";
    case MessageType::FileResult: return "FILE_RESULT";
    case MessageType::FileBlockHash: return "FILE_BLOCK_HASH";
    case MessageType::Ping: return "PING";
    case MessageType::Pong: return "PONG";
    case MessageType::Error: return "ERROR";
    }
    return nullptr;
}

const char* nameOf(ErrorCode code) {
    switch (code) {
    case ErrorCode::BadMagic: return "BadMagic";
    case ErrorCode::UnsupportedVersion: return "UnsupportedVersion";
    case ErrorCode::PayloadTooLarge: return "PayloadTooLarge";
    case ErrorCode::MalformedPayload: return "MalformedPayload";
    case ErrorCode::UnsupportedType: return "UnsupportedType";
    case ErrorCode::NotAuthenticated: return "NotAuthenticated";
    case ErrorCode::RateLimited: return "RateLimited";
    case ErrorCode::Flooding: return "Flooding";
    case ErrorCode::UnknownDestination: return "UnknownDestination";
    case ErrorCode::LoginTimeout: return "LoginTimeout";
    case ErrorCode::TooManyConnections: return "TooManyConnections";
    case ErrorCode::ServerUnavailable: return "ServerUnavailable";
    case ErrorCode::IdleTimeout: return "IdleTimeout";
    case ErrorCode::InvalidMessage: return "InvalidMessage";
    }
    return nullptr;
}

const char* nameOf(AuthStatus status) {
    switch (status) {
    case AuthStatus::Ok: return "Ok";
    case AuthStatus::UsernameTaken: return "UsernameTaken";
    case AuthStatus::InvalidUsername: return "InvalidUsername";
    case AuthStatus::InvalidPassword: return "InvalidPassword";
    case AuthStatus::BadCredentials: return "BadCredentials";
    case AuthStatus::Throttled: return "Throttled";
    case AuthStatus::RegistrationLimited: return "RegistrationLimited";
    case AuthStatus::ServerError: return "ServerError";
    case AuthStatus::AlreadyAuthenticated: return "AlreadyAuthenticated";
    case AuthStatus::InvalidDisplayName: return "InvalidDisplayName";
    case AuthStatus::AccountDisabled: return "AccountDisabled";
    case AuthStatus::TokenInvalid: return "TokenInvalid";
    case AuthStatus::TokenExpired: return "TokenExpired";
    }
    return nullptr;
}

const char* nameOf(KickReason reason) {
    switch (reason) {
    case KickReason::LoggedInElsewhere: return "LoggedInElsewhere";
    case KickReason::Operator: return "Operator";
    case KickReason::ServerShutdown: return "ServerShutdown";
    case KickReason::Flooding: return "Flooding";
    }
    return nullptr;
}

const char* nameOf(PresenceState state) {
    switch (state) {
    case PresenceState::Offline: return "Offline";
    case PresenceState::Online: return "Online";
    }
    return nullptr;
}

const char* nameOf(LoginMode mode) {
    switch (mode) {
    case LoginMode::Password: return "Password";
    case LoginMode::PasswordAndToken: return "PasswordAndToken";
    case LoginMode::Token: return "Token";
    }
    return nullptr;
}

const char* nameOf(AckKind kind) {
    switch (kind) {
    case AckKind::Stored: return "Stored";
    case AckKind::Delivered: return "Delivered";
    case AckKind::Received: return "Received";
    case AckKind::Broadcast: return "Broadcast";
    case AckKind::Read: return "Read";
    }
    return nullptr;
}

const char* nameOf(FileRejectReason reason) {
    switch (reason) {
    case FileRejectReason::Declined: return "Declined";
    case FileRejectReason::TooLarge: return "TooLarge";
    case FileRejectReason::TooManyTransfers: return "TooManyTransfers";
    case FileRejectReason::NoSpace: return "NoSpace";
    case FileRejectReason::PeerOffline: return "PeerOffline";
    case FileRejectReason::InvalidName: return "InvalidName";
    case FileRejectReason::Unavailable: return "Unavailable";
    }
    return nullptr;
}

const char* nameOf(FileCancelReason reason) {
    switch (reason) {
    case FileCancelReason::ByUser: return "ByUser";
    case FileCancelReason::PeerDisconnected: return "PeerDisconnected";
    case FileCancelReason::IoError: return "IoError";
    case FileCancelReason::Timeout: return "Timeout";
    case FileCancelReason::ProtocolViolation: return "ProtocolViolation";
    case FileCancelReason::Operator: return "Operator";
    }
    return nullptr;
}

const char* nameOf(FileResultStatus status) {
    switch (status) {
    case FileResultStatus::Verified: return "Verified";
    case FileResultStatus::HashMismatch: return "HashMismatch";
    case FileResultStatus::WriteFailed: return "WriteFailed";
    }
    return nullptr;
}

template <class T>
const char* nameOrUnknown(T value) {
    const char* name = nameOf(value);
    return name != nullptr ? name : "UNKNOWN";
}

}  // namespace

MessageType typeOf(const Body& body) {
    return std::visit([](const auto& m) { return std::decay_t<decltype(m)>::kType; }, body);
}

bool isKnownType(std::uint8_t type) { return nameOf(static_cast<MessageType>(type)) != nullptr; }

const char* toString(MessageType type) { return nameOrUnknown(type); }
const char* toString(ErrorCode code) { return nameOrUnknown(code); }

bool closesConnection(ErrorCode code) {
    switch (code) {
    case ErrorCode::BadMagic:
    case ErrorCode::UnsupportedVersion:
    case ErrorCode::PayloadTooLarge:
    case ErrorCode::MalformedPayload:
    case ErrorCode::Flooding:
    case ErrorCode::LoginTimeout:
    case ErrorCode::TooManyConnections:
    case ErrorCode::IdleTimeout: return true;
    case ErrorCode::UnsupportedType:
    case ErrorCode::NotAuthenticated:
    case ErrorCode::RateLimited:
    case ErrorCode::UnknownDestination:
    case ErrorCode::ServerUnavailable:
    case ErrorCode::InvalidMessage: return false;
    }
    return false;  // a code of a newer peer: not known to close
}
const char* toString(AuthStatus status) { return nameOrUnknown(status); }
const char* toString(KickReason reason) { return nameOrUnknown(reason); }
const char* toString(FileRejectReason reason) { return nameOrUnknown(reason); }
const char* toString(FileCancelReason reason) { return nameOrUnknown(reason); }
const char* toString(FileResultStatus status) { return nameOrUnknown(status); }
const char* toString(PresenceState state) { return nameOrUnknown(state); }
const char* toString(AckKind kind) { return nameOrUnknown(kind); }
const char* toString(LoginMode mode) { return nameOrUnknown(mode); }

bool isKnownValue(AuthStatus value) { return nameOf(value) != nullptr; }
bool isKnownValue(KickReason value) { return nameOf(value) != nullptr; }
bool isKnownValue(PresenceState value) { return nameOf(value) != nullptr; }
bool isKnownValue(AckKind value) { return nameOf(value) != nullptr; }
bool isKnownValue(LoginMode value) { return nameOf(value) != nullptr; }
bool isKnownValue(FileRejectReason value) { return nameOf(value) != nullptr; }
bool isKnownValue(FileCancelReason value) { return nameOf(value) != nullptr; }
bool isKnownValue(FileResultStatus value) { return nameOf(value) != nullptr; }
bool isKnownValue(ErrorCode value) { return nameOf(value) != nullptr; }

}  // namespace parley::proto
