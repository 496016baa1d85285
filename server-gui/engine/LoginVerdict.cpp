#include "server-gui/engine/LoginVerdict.h"

namespace parley::server {

using proto::AuthStatus;

namespace {
const char* const kUnavailableText = "the server's database is unavailable; try again later";
const char* const kDisabledText = "this account is disabled by the operator";
const char* const kTokenInvalidText = "this login token is not valid any more; log in with your password";
}  // namespace

LoginVerdict judgePasswordLogin(db::Status status, bool passwordOk, bool disabled) {
    if (status == db::Status::Ok && passwordOk) {
        // Disabled only after the password checked out: a guesser learns nothing
        // from it, and a right password is no failed guess.
        if (disabled) return {AuthStatus::AccountDisabled, ThrottleStep::Cancelled, kDisabledText};
        return {AuthStatus::Ok, ThrottleStep::Succeeded};
    }
    // An unknown name answers exactly as a wrong password: no user enumeration.
    if (status == db::Status::Ok || status == db::Status::NotFound)
        return {AuthStatus::BadCredentials, ThrottleStep::None, "wrong username or password", true};
    return {AuthStatus::ServerError, ThrottleStep::Cancelled, kUnavailableText, false, true};
}

LoginVerdict judgeTokenLogin(db::Status status, db::TokenCheck check, bool disabled) {
    if (status == db::Status::Ok && check == db::TokenCheck::Valid) {
        if (disabled) return {AuthStatus::AccountDisabled, ThrottleStep::None, kDisabledText};
        return {AuthStatus::Ok, ThrottleStep::TokenAccepted};
    }
    // A real token, only too old: not a guess, not counted.
    if (status == db::Status::Ok && check == db::TokenCheck::Expired)
        return {AuthStatus::TokenExpired, ThrottleStep::None,
                "this login token has expired; log in with your password"};
    if (status == db::Status::Ok || status == db::Status::NotFound)
        return {AuthStatus::TokenInvalid, ThrottleStep::TokenRefused, kTokenInvalidText, true};
    return {AuthStatus::ServerError, ThrottleStep::None, kUnavailableText, false, true};
}

proto::RegisterResult judgeRegistration(db::Status status, proto::UserId id, const std::string& username) {
    switch (status) {
    case db::Status::Ok: return {AuthStatus::Ok, id, "welcome, " + username};
    case db::Status::Conflict: return {AuthStatus::UsernameTaken, 0, "the username " + username + " is taken"};
    case db::Status::Unavailable: return {AuthStatus::ServerError, 0, kUnavailableText};
    default: return {AuthStatus::ServerError, 0, "the account could not be created"};
    }
}

const char* registrationRuleText(AuthStatus rule) {
    switch (rule) {
    case AuthStatus::InvalidUsername:
        return "usernames are 3-32 characters of A-Z a-z 0-9 _ . - starting with a letter or digit";
    case AuthStatus::InvalidPassword: return "passwords are 8-1024 bytes";
    default: return "display names are at most 64 bytes without control characters";
    }
}

}  // namespace parley::server
