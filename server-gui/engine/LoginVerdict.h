#pragma once
// What REGISTER and LOGIN answer once the store has spoken, and what the login
// throttle learns from it: the decisions of the login flow, apart from its
// sequencing (store jobs, reading paused while they run: SessionAuth.cpp,
// SessionTokens.cpp). Pure functions: no sockets, no store; tested one
// outcome at a time (LoginVerdictTest).

#include "db/Result.h"
#include "db/StoreTypes.h"
#include "shared/proto/Messages.h"

#include <string>

namespace parley::server {

/// What a decided login tells the LoginThrottle.
enum class ThrottleStep : std::uint8_t {
    Succeeded,      ///< a right password: the account's and the address's failures are forgiven
    Cancelled,      ///< no judgement on the password (store down, disabled account): uncounted
    TokenAccepted,  ///< a valid token: counted nowhere
    TokenRefused,   ///< an invalid token: counted now (a token login is counted only when refused)
    None,           ///< nothing to tell (a wrong password was counted when the attempt began)
};

struct LoginVerdict {
    proto::AuthStatus status = proto::AuthStatus::ServerError;
    ThrottleStep throttle = ThrottleStep::None;
    /// The LOGIN_RESULT text; empty for Ok (the session words its welcome).
    const char* text = "";
    /// A failed guess: counted in ServerStats::loginsFailed and logged as a failed login.
    bool failedGuess = false;
    /// The store failed: logged as an error.
    bool storeError = false;
};

/// A password LOGIN, once the user was looked up (`status`) and the password
/// checked against its hash (or a dummy one, for a name that does not exist).
LoginVerdict judgePasswordLogin(db::Status status, bool passwordOk, bool disabled);

/// A token LOGIN, once the store looked up the user and checked the token.
LoginVerdict judgeTokenLogin(db::Status status, db::TokenCheck check, bool disabled);

/// The REGISTER_RESULT for a createUser() outcome (`username` as asked).
proto::RegisterResult judgeRegistration(db::Status status, proto::UserId id, const std::string& username);

/// Why a REGISTER broke the rules checkRegistration() returned (`rule`, not Ok).
const char* registrationRuleText(proto::AuthStatus rule);

}  // namespace parley::server
