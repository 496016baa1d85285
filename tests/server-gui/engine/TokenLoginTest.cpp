// Login tokens ("remember me", docs/protocol.md 9.1): issued with a password login that
// asks for one, accepted instead of the password, revoked by LOGOUT and by the operator,
// expired by time; a token never works for another account.
#include "tests/server-gui/engine/EngineHarness.h"
#include "tests/server-gui/engine/ManualClock.h"

#include "db/Result.h"

#include <boost/test/unit_test.hpp>

#include <future>
#include <thread>

using namespace parley;
using namespace parley::test;
using proto::AuthStatus;
using proto::LoginMode;

namespace {

// A password login with "remember me"; the token it got (the test fails without one).
std::string rememberedLogin(EngineHarness& harness, const std::string& name) {
    auto client = harness.connect();
    const auto result = client->login(proto::Login{name, kPassword, LoginMode::PasswordAndToken});
    BOOST_REQUIRE(result);
    BOOST_REQUIRE_MESSAGE((result->body.status == AuthStatus::Ok), result->body.text);
    BOOST_REQUIRE(result->body.token.has_value());
    return result->body.token->token;
}

Frame<proto::LoginResult> tokenLogin(TestClient& client, const std::string& name, const std::string& token) {
    auto result = client.login(proto::Login{name, token, LoginMode::Token});
    BOOST_REQUIRE_MESSAGE(result, "no LOGIN_RESULT");
    return *result;
}

AuthStatus tokenLoginStatus(EngineHarness& harness, const std::string& name, const std::string& token) {
    auto client = harness.connect();
    return tokenLogin(*client, name, token).body.status;
}

// Runs an operator command and waits for its answer.
db::Result operatorDoes(const std::function<void(server::Server::AccountDone)>& command) {
    std::promise<db::Result> done;
    auto answer = done.get_future();
    command([&done](db::Result r) { done.set_value(std::move(r)); });
    BOOST_REQUIRE(answer.wait_for(10s) == std::future_status::ready);
    return answer.get();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(login_tokens)

BOOST_AUTO_TEST_CASE(a_remembered_login_gets_a_token_that_logs_in_again) {
    ManualClock clock;
    EngineHarness harness({}, clock);
    const proto::UserId alice = harness.registerUser("alice");

    // A plain password login gets no token (old clients see the old payload).
    auto plain = harness.connect();
    const auto old = plain->login("alice", kPassword);
    BOOST_REQUIRE(old);
    BOOST_TEST(!old->body.token.has_value());
    plain.reset();

    auto client = harness.connect();
    const auto first = client->login(proto::Login{"alice", kPassword, LoginMode::PasswordAndToken});
    BOOST_REQUIRE(first);
    BOOST_REQUIRE(first->body.token.has_value());
    const proto::IssuedToken token = *first->body.token;
    BOOST_TEST(token.token.size() == 64u);
    // Thirty days by default.
    BOOST_TEST(token.expiresAtMs == clock.wallMs() + 30ULL * 24 * 3'600'000);
    client.reset();

    auto again = harness.connect();
    const auto second = tokenLogin(*again, "ALICE", token.token);  // names match in any case
    BOOST_TEST((second.body.status == AuthStatus::Ok), second.body.text);
    BOOST_TEST(second.body.userId == alice);
    BOOST_TEST(!second.body.token.has_value());  // the same token stays in use
    again->send(proto::Ping{});
    BOOST_TEST(again->waitFor<proto::Pong>(10s).has_value());

    // It survives a server restart (that is what it is for).
    again.reset();
    harness.restart();
    BOOST_TEST((tokenLoginStatus(harness, "alice", token.token) == AuthStatus::Ok));
}

BOOST_AUTO_TEST_CASE(a_token_is_only_good_for_its_own_account) {
    EngineHarness harness;
    harness.registerUser("alice");
    harness.registerUser("bob");
    const std::string token = rememberedLogin(harness, "alice");
    auto client = harness.connect();
    const auto stolen = tokenLogin(*client, "bob", token);
    BOOST_TEST((stolen.body.status == AuthStatus::TokenInvalid));
    BOOST_TEST(stolen.body.userId == 0u);
    BOOST_TEST(!stolen.body.text.empty());
    BOOST_TEST((tokenLogin(*client, "nobody", token).body.status == AuthStatus::TokenInvalid));
    BOOST_TEST((tokenLogin(*client, "alice", std::string(64, '0')).body.status == AuthStatus::TokenInvalid));
    BOOST_TEST((tokenLogin(*client, "alice", "short").body.status == AuthStatus::TokenInvalid));
    // The connection stays usable: the right token works.
    BOOST_TEST((tokenLogin(*client, "alice", token).body.status == AuthStatus::Ok));
}

BOOST_AUTO_TEST_CASE(bad_tokens_count_as_failed_logins) {
    EngineHarness harness([](server::ServerConfig& c) {
        c.limits.login.perAccountAndAddress = 3;
        c.limits.login.firstSeconds = 30;
    });
    harness.registerUser("alice");
    auto client = harness.connect();
    for (int i = 0; i < 3; ++i)
        BOOST_TEST((tokenLogin(*client, "alice", std::string(64, 'a')).body.status == AuthStatus::TokenInvalid));
    const auto throttled = tokenLogin(*client, "alice", std::string(64, 'a'));
    BOOST_TEST((throttled.body.status == AuthStatus::Throttled));
    BOOST_TEST(throttled.body.retryAfterSeconds > 0u);
}

BOOST_AUTO_TEST_CASE(logout_revokes_the_token_of_that_session_only) {
    EngineHarness harness;
    harness.registerUser("alice");
    const std::string phone = rememberedLogin(harness, "alice");
    const std::string laptop = rememberedLogin(harness, "alice");
    BOOST_TEST(phone != laptop);

    auto session = harness.connect();
    BOOST_REQUIRE((tokenLogin(*session, "alice", phone).body.status == AuthStatus::Ok));
    session->send(proto::Logout{});
    BOOST_TEST(session->waitClosed());
    // The revocation is a store job, on one of several workers: it lands soon after.
    AuthStatus after = AuthStatus::Ok;
    for (int i = 0; i < 50 && after == AuthStatus::Ok; ++i) {
        after = tokenLoginStatus(harness, "alice", phone);
        if (after == AuthStatus::Ok) std::this_thread::sleep_for(100ms);
    }
    BOOST_TEST((after == AuthStatus::TokenInvalid));
    BOOST_TEST((tokenLoginStatus(harness, "alice", laptop) == AuthStatus::Ok));
}

BOOST_AUTO_TEST_CASE(the_operator_revokes_every_token_of_an_account) {
    EngineHarness harness;
    const proto::UserId alice = harness.registerUser("alice");
    const proto::UserId bob = harness.registerUser("bob");
    const std::string bobs = rememberedLogin(harness, "bob");

    // Reset password.
    std::string token = rememberedLogin(harness, "alice");
    BOOST_TEST(operatorDoes([&](auto done) { harness.server().resetPassword(alice, "a new password", done); }).ok());
    BOOST_TEST((tokenLoginStatus(harness, "alice", token) == AuthStatus::TokenInvalid));

    // Revoke sessions: the online session is kicked, the token is gone.
    auto client = harness.connect();
    const auto login = client->login(proto::Login{"alice", "a new password", LoginMode::PasswordAndToken});
    BOOST_REQUIRE(login);
    BOOST_REQUIRE(login->body.token.has_value());
    token = login->body.token->token;
    BOOST_TEST(operatorDoes([&](auto done) { harness.server().revokeSessions(alice, done); }).ok());
    const auto kicked = client->waitFor<proto::Kicked>(10s);
    BOOST_REQUIRE(kicked);
    BOOST_TEST((kicked->body.reason == proto::KickReason::Operator));
    BOOST_TEST((tokenLoginStatus(harness, "alice", token) == AuthStatus::TokenInvalid));

    // Disable.
    {
        auto again = harness.connect();
        const auto remembered = again->login(proto::Login{"alice", "a new password", LoginMode::PasswordAndToken});
        BOOST_REQUIRE(remembered);
        BOOST_REQUIRE(remembered->body.token.has_value());
        token = remembered->body.token->token;
    }
    BOOST_TEST(operatorDoes([&](auto done) { harness.server().setAccountDisabled(alice, true, done); }).ok());
    BOOST_TEST(operatorDoes([&](auto done) { harness.server().setAccountDisabled(alice, false, done); }).ok());
    BOOST_TEST((tokenLoginStatus(harness, "alice", token) == AuthStatus::TokenInvalid));

    // Bob's token was never touched.
    BOOST_TEST((tokenLoginStatus(harness, "bob", bobs) == AuthStatus::Ok));
    BOOST_TEST(bob != alice);
}

BOOST_AUTO_TEST_CASE(tokens_expire_after_the_configured_lifetime) {
    ManualClock clock;
    EngineHarness harness([](server::ServerConfig& c) { c.tokenLifetimeDays = 2; }, clock);
    harness.registerUser("alice");
    const std::string token = rememberedLogin(harness, "alice");
    clock.advance(std::chrono::hours(47));
    BOOST_TEST((tokenLoginStatus(harness, "alice", token) == AuthStatus::Ok));
    clock.advance(std::chrono::hours(1));
    auto client = harness.connect();
    const auto expired = tokenLogin(*client, "alice", token);
    BOOST_TEST((expired.body.status == AuthStatus::TokenExpired));
    BOOST_TEST(!expired.body.text.empty());
    // Expired is gone for good, and the password still works.
    BOOST_TEST((tokenLogin(*client, "alice", token).body.status == AuthStatus::TokenInvalid));
    BOOST_TEST((loginStatus(*client, "alice") == AuthStatus::Ok));
}

BOOST_AUTO_TEST_CASE(lifetime_zero_turns_tokens_off) {
    EngineHarness harness([](server::ServerConfig& c) { c.tokenLifetimeDays = 0; });
    harness.registerUser("alice");
    auto client = harness.connect();
    const auto login = client->login(proto::Login{"alice", kPassword, LoginMode::PasswordAndToken});
    BOOST_REQUIRE(login);
    BOOST_TEST((login->body.status == AuthStatus::Ok));
    BOOST_TEST(!login->body.token.has_value());
    auto other = harness.connect();
    BOOST_TEST((tokenLogin(*other, "alice", std::string(64, 'a')).body.status == AuthStatus::TokenInvalid));
}

BOOST_AUTO_TEST_SUITE_END()
