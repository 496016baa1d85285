// The login flow's decisions and its CONTACTS paging, without sockets or a
// store: each store outcome's answer and throttle step, and the pages of a
// list (who is left out, where a page ends, presence read per page).
#include "server-gui/engine/ContactsPager.h"
#include "server-gui/engine/LoginVerdict.h"

#include <boost/test/unit_test.hpp>

#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace parley::server;
using parley::proto::AuthStatus;
using parley::proto::PresenceState;
using parley::proto::UserId;
namespace db = parley::db;

BOOST_AUTO_TEST_SUITE(login_verdicts)

BOOST_AUTO_TEST_CASE(a_right_password_succeeds_and_is_forgiven) {
    const LoginVerdict v = judgePasswordLogin(db::Status::Ok, true, false);
    BOOST_TEST((v.status == AuthStatus::Ok));
    BOOST_TEST((v.throttle == ThrottleStep::Succeeded));
    BOOST_TEST(!v.failedGuess);
}

BOOST_AUTO_TEST_CASE(an_unknown_name_answers_exactly_as_a_wrong_password) {
    const LoginVerdict wrong = judgePasswordLogin(db::Status::Ok, false, false);
    const LoginVerdict unknown = judgePasswordLogin(db::Status::NotFound, false, false);
    for (const LoginVerdict& v : {wrong, unknown}) {
        BOOST_TEST((v.status == AuthStatus::BadCredentials));
        BOOST_TEST((v.throttle == ThrottleStep::None));  // counted when the attempt began
        BOOST_TEST(v.failedGuess);
        BOOST_TEST(!v.storeError);
    }
    BOOST_TEST(std::string(wrong.text) == unknown.text);
    // Disabled is only said after the right password: a guesser learns nothing.
    BOOST_TEST((judgePasswordLogin(db::Status::Ok, false, true).status == AuthStatus::BadCredentials));
}

BOOST_AUTO_TEST_CASE(a_disabled_account_with_the_right_password_is_refused_uncounted) {
    const LoginVerdict v = judgePasswordLogin(db::Status::Ok, true, true);
    BOOST_TEST((v.status == AuthStatus::AccountDisabled));
    BOOST_TEST((v.throttle == ThrottleStep::Cancelled));
    BOOST_TEST(!v.failedGuess);
    BOOST_TEST(std::string(v.text).find("disabled by the operator") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_store_that_is_down_is_a_server_error_not_a_failed_guess) {
    for (const db::Status status : {db::Status::Unavailable, db::Status::Error}) {
        const LoginVerdict v = judgePasswordLogin(status, false, false);
        BOOST_TEST((v.status == AuthStatus::ServerError));
        BOOST_TEST((v.throttle == ThrottleStep::Cancelled));
        BOOST_TEST(!v.failedGuess);
        BOOST_TEST(v.storeError);
        const LoginVerdict t = judgeTokenLogin(status, db::TokenCheck::Invalid, false);
        BOOST_TEST((t.status == AuthStatus::ServerError));
        BOOST_TEST((t.throttle == ThrottleStep::None));
        BOOST_TEST(t.storeError);
    }
}

BOOST_AUTO_TEST_CASE(tokens_are_counted_only_when_refused) {
    const LoginVerdict valid = judgeTokenLogin(db::Status::Ok, db::TokenCheck::Valid, false);
    BOOST_TEST((valid.status == AuthStatus::Ok));
    BOOST_TEST((valid.throttle == ThrottleStep::TokenAccepted));

    const LoginVerdict expired = judgeTokenLogin(db::Status::Ok, db::TokenCheck::Expired, false);
    BOOST_TEST((expired.status == AuthStatus::TokenExpired));
    BOOST_TEST((expired.throttle == ThrottleStep::None));  // a real token, only too old
    BOOST_TEST(!expired.failedGuess);

    for (const db::Status status : {db::Status::Ok, db::Status::NotFound}) {
        const LoginVerdict invalid = judgeTokenLogin(status, db::TokenCheck::Invalid, false);
        BOOST_TEST((invalid.status == AuthStatus::TokenInvalid));
        BOOST_TEST((invalid.throttle == ThrottleStep::TokenRefused));
        BOOST_TEST(invalid.failedGuess);
    }
    const LoginVerdict disabled = judgeTokenLogin(db::Status::Ok, db::TokenCheck::Valid, true);
    BOOST_TEST((disabled.status == AuthStatus::AccountDisabled));
    BOOST_TEST((disabled.throttle == ThrottleStep::None));
}

BOOST_AUTO_TEST_CASE(registration_outcomes) {
    const auto ok = judgeRegistration(db::Status::Ok, 42, "alice");
    BOOST_TEST((ok.status == AuthStatus::Ok));
    BOOST_TEST(ok.userId == 42u);
    const auto taken = judgeRegistration(db::Status::Conflict, 0, "alice");
    BOOST_TEST((taken.status == AuthStatus::UsernameTaken));
    BOOST_TEST(taken.text == "the username alice is taken");
    BOOST_TEST(taken.userId == 0u);
    BOOST_TEST((judgeRegistration(db::Status::Unavailable, 0, "alice").status == AuthStatus::ServerError));
    BOOST_TEST((judgeRegistration(db::Status::Error, 7, "alice").userId == 0u));  // no id without an account
    BOOST_TEST(std::string(registrationRuleText(AuthStatus::InvalidPassword)) == "passwords are 8-1024 bytes");
    BOOST_TEST(std::string(registrationRuleText(AuthStatus::InvalidUsername)).find("3-32 characters") !=
               std::string::npos);
    BOOST_TEST(std::string(registrationRuleText(AuthStatus::InvalidDisplayName)).find("64 bytes") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(contacts_pager)

namespace {
UserDirectory::Snapshot usersUpTo(UserId last) {
    auto users = std::make_shared<std::vector<UserEntry>>();
    for (UserId id = 1; id <= last; ++id) users->push_back({id, "user" + std::to_string(id), ""});
    return users;
}
}  // namespace

BOOST_AUTO_TEST_CASE(every_user_but_the_receiver_in_pages_the_last_marked) {
    ContactsPager pager;
    BOOST_TEST(!pager.active());
    constexpr UserId kUsers = 2 * ContactsPager::kPageEntries + 10;
    pager.start(usersUpTo(kUsers), 5);
    std::vector<parley::proto::Contacts> pages;
    const auto offline = [](UserId) { return false; };
    while (pager.active()) {
        pages.emplace_back();
        BOOST_TEST_REQUIRE(pager.nextPage(pages.back(), offline));
        BOOST_TEST_REQUIRE(pages.size() <= 4u);
    }
    BOOST_REQUIRE(pages.size() == 3u);
    BOOST_TEST(pages[0].contacts.size() == ContactsPager::kPageEntries);
    BOOST_TEST(!pages[0].last);
    BOOST_TEST(!pages[1].last);
    BOOST_TEST(pages[2].last);
    std::set<UserId> listed;
    for (const auto& page : pages)
        for (const auto& c : page.contacts) listed.insert(c.userId);
    BOOST_TEST(listed.size() == kUsers - 1);
    BOOST_TEST(listed.count(5) == 0u);
    parley::proto::Contacts untouched;
    BOOST_TEST(!pager.nextPage(untouched, offline));  // the list is out
    BOOST_TEST(untouched.contacts.empty());
}

BOOST_AUTO_TEST_CASE(presence_is_read_when_each_page_is_built) {
    ContactsPager pager;
    pager.start(usersUpTo(ContactsPager::kPageEntries + 1), 0);
    std::set<UserId> online;
    const auto isOnline = [&online](UserId id) { return online.count(id) != 0; };
    parley::proto::Contacts first;
    pager.nextPage(first, isOnline);
    online.insert(ContactsPager::kPageEntries + 1);  // came online between two pages
    parley::proto::Contacts second;
    pager.nextPage(second, isOnline);
    BOOST_REQUIRE(second.contacts.size() == 1u);
    BOOST_TEST((second.contacts[0].state == PresenceState::Online));
    BOOST_TEST(second.last);
}

BOOST_AUTO_TEST_CASE(a_new_query_restarts_the_list_and_an_empty_directory_is_one_last_page) {
    ContactsPager pager;
    pager.start(usersUpTo(600), 1);
    parley::proto::Contacts page;
    pager.nextPage(page, [](UserId) { return false; });
    pager.start(usersUpTo(3), 1);  // a new CONTACTS_QUERY
    parley::proto::Contacts again;
    pager.nextPage(again, [](UserId) { return false; });
    BOOST_TEST(again.contacts.size() == 2u);
    BOOST_TEST(again.last);

    pager.start(usersUpTo(1), 1);  // the receiver is the only user
    parley::proto::Contacts alone;
    BOOST_TEST(pager.nextPage(alone, [](UserId) { return false; }));
    BOOST_TEST(alone.contacts.empty());
    BOOST_TEST(alone.last);
    BOOST_TEST(!pager.active());
    BOOST_TEST(sizeof(ContactsPager) == sizeof(void*));  // idle sessions hold a null pointer
}

BOOST_AUTO_TEST_CASE(the_last_page_carries_the_version_when_asked) {
    ContactsPager pager;
    pager.start(usersUpTo(3), 1, 42);
    parley::proto::Contacts page;
    BOOST_TEST_REQUIRE(pager.nextPage(page, [](UserId) { return false; }));
    BOOST_TEST(page.last);
    BOOST_TEST((page.version == std::uint64_t{42}));
    pager.start(usersUpTo(3), 1);
    parley::proto::Contacts plain;
    BOOST_TEST_REQUIRE(pager.nextPage(plain, [](UserId) { return false; }));
    BOOST_TEST(!plain.version.has_value());
}

BOOST_AUTO_TEST_CASE(states_pages_name_only_who_is_online_never_the_receiver) {
    ContactsPager pager;
    constexpr UserId kUsers = 2 * ContactsPager::kStatesPageEntries + 10;
    pager.startStates(usersUpTo(kUsers), 2);
    BOOST_TEST(pager.statesOnly());
    parley::proto::Contacts wrongKind;
    BOOST_TEST(!pager.nextPage(wrongKind, [](UserId) { return true; }));  // not a CONTACTS answer
    std::set<UserId> named;
    std::size_t pages = 0;
    const auto even = [](UserId id) { return id % 2 == 0; };  // the receiver (2) is "online" too
    while (pager.active()) {
        parley::proto::ContactStates page;
        BOOST_TEST_REQUIRE(pager.nextStatesPage(page, even));
        BOOST_TEST(page.states.size() <= ContactsPager::kStatesPageEntries);
        for (const auto& s : page.states) {
            BOOST_TEST((s.state == PresenceState::Online));
            named.insert(s.userId);
        }
        BOOST_TEST(page.last == !pager.active());
        BOOST_TEST_REQUIRE(++pages <= 3u);
    }
    BOOST_TEST(named.size() == kUsers / 2 - 1);  // the even ids but 2
    BOOST_TEST(named.count(2) == 0u);
    BOOST_TEST(named.count(3) == 0u);
}

BOOST_AUTO_TEST_CASE(the_directory_version_follows_names_not_order_of_insertion) {
    UserDirectory a;
    UserDirectory b;
    a.put({1, "alice", ""});
    a.put({2, "bob", "Bob"});
    b.put({2, "bob", "Bob"});
    b.put({1, "alice", ""});
    BOOST_TEST(a.listing().version == b.listing().version);  // e.g. after a restart
    BOOST_TEST(a.listing().version != 0u);
    const std::uint64_t before = a.listing().version;
    a.put({2, "bob", "Bob"});  // unchanged: same version
    BOOST_TEST(a.listing().version == before);
    a.put({2, "bob", "Robert"});  // renamed
    BOOST_TEST(a.listing().version != before);
    b.put({3, "carol", ""});  // added
    BOOST_TEST(b.listing().version != before);
    // Field boundaries count: "ab"+"c" is not "a"+"bc".
    UserDirectory c;
    UserDirectory d;
    c.put({1, "ab", "c"});
    d.put({1, "a", "bc"});
    BOOST_TEST(c.listing().version != d.listing().version);
}

BOOST_AUTO_TEST_SUITE_END()
