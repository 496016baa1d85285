// parley-cli and login tokens (protocol 9.11) against the real parley-server: the first
// password login saves a token (0600), later runs need no password, `logout` revokes it,
// a refused token falls back to the password given.
#include "tests/client-cli/ServerFixture.h"

#include "shared/session/LoginTokenFile.h"

#include <boost/test/unit_test.hpp>

#include <fstream>

using namespace parley::client::test;

namespace {

std::string readToken(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string token;
    std::getline(in, token);
    return token;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_login_tokens)

BOOST_FIXTURE_TEST_CASE(the_password_is_needed_once_then_logout_revokes, ServerFixture) {
    registerUser("alice");
    const auto file = parley::session::LoginTokenFile::inStateDirectory(stateDir("alice").string(), address(), "alice");
    BOOST_TEST(!std::filesystem::exists(file.path()));

    const ProcessResult first = cli("alice", {"who"});
    BOOST_TEST_REQUIRE(first.exitCode == 0, first.err);
    BOOST_TEST_REQUIRE(std::filesystem::exists(file.path()));
    const std::string token = readToken(file.path());
    BOOST_TEST(token.size() == 64u);
    const auto perms = std::filesystem::status(file.path()).permissions();
    BOOST_TEST(((perms & std::filesystem::perms::all) ==
                (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)));

    // No password at all: the token logs in, and stays (a run's end is no logout).
    const ProcessResult second = cli("alice", {"who"}, "");
    BOOST_TEST(second.exitCode == 0, second.err);
    BOOST_TEST(readToken(file.path()) == token);

    const ProcessResult out = cli("alice", {"logout"}, "");
    BOOST_TEST(out.exitCode == 0, out.err);
    BOOST_TEST(contains(out.out, "revoked"), out.out);
    BOOST_TEST(!std::filesystem::exists(file.path()));

    // The token is dead at the server too: putting it back does not log in without the password.
    BOOST_TEST(!file.save(token).operator bool());
    const ProcessResult revoked = cli("alice", {"who"}, "");
    BOOST_TEST(revoked.exitCode == 3, revoked.err);
    BOOST_TEST(contains(revoked.err, "TokenInvalid"), revoked.err);
    BOOST_TEST(!std::filesystem::exists(file.path()));  // forgotten after the refusal

    const ProcessResult none = cli("alice", {"who"}, "");
    BOOST_TEST(none.exitCode == 1, none.err);
    BOOST_TEST(contains(none.err, "no saved login"), none.err);
}

BOOST_FIXTURE_TEST_CASE(a_refused_token_falls_back_to_the_given_password, ServerFixture) {
    registerUser("alice");
    const auto file = parley::session::LoginTokenFile::inStateDirectory(stateDir("alice").string(), address(), "alice");
    const std::string bogus(64, 'e');
    BOOST_TEST(!file.save(bogus).operator bool());
    const ProcessResult run = cli("alice", {"who"});
    BOOST_TEST(run.exitCode == 0, run.err);
    const std::string fresh = readToken(file.path());
    BOOST_TEST(fresh.size() == 64u);
    BOOST_TEST(fresh != bogus);
}

BOOST_FIXTURE_TEST_CASE(no_remember_saves_nothing, ServerFixture) {
    registerUser("alice");
    const ProcessResult run = cli("alice", {"--no-remember", "who"});
    BOOST_TEST(run.exitCode == 0, run.err);
    BOOST_TEST(!std::filesystem::exists(stateDir("alice") / "login-tokens"));
}

BOOST_AUTO_TEST_SUITE_END()
