// The Store conformance suite. The same source runs against every backend: the ctest
// names say which (db_store_sqlite, db_store_mariadb).

#include "tests/db/StoreTestSupport.h"

#include "db/LoginToken.h"

#include <boost/test/unit_test.hpp>

#include <QByteArray>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <random>
#include <thread>

using namespace parley::db;
using namespace parley::db::test;

namespace {

constexpr std::uint64_t kTop = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t kHalf = std::uint64_t{1} << 63;  // first id that is negative in SQL

OfflineMessage message(UserId recipient, UserId sender, std::uint64_t id, Bytes payload = {1, 2, 3},
                       std::uint16_t type = 7) {
    OfflineMessage m;
    m.recipient = recipient;
    m.sender = sender;
    m.messageId = id;
    m.messageType = type;
    m.payload = std::move(payload);
    return m;
}

std::vector<std::uint64_t> idsOf(const std::vector<OfflineMessage>& messages) {
    std::vector<std::uint64_t> ids;
    for (const OfflineMessage& m : messages) ids.push_back(m.messageId);
    return ids;
}

Transfer transfer(UserId sender, std::uint64_t id, UserId receiver) {
    Transfer t;
    t.sender = sender;
    t.transferId = id;
    t.receiver = receiver;
    t.fileName = "Bericht über Käse.pdf";
    t.size = (std::uint64_t{5} << 32) + 17;  // beyond 4 GiB
    t.sha256.assign(32, 0xAB);
    t.sha256[5] = 0;
    t.state = TransferState::Offered;
    return t;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool contains(const std::string& text, const std::string& part) {
    return lower(text).find(lower(part)) != std::string::npos;
}

constexpr int kCrashMessages = 25;

int runShell(const std::string& command) {
    std::fflush(stdout);
    return std::system(command.c_str());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(store)

// --- schema -----------------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(schema_is_created_and_reopening_is_idempotent, StoreFixture) {
    BOOST_TEST(PARLEY_REQUIRE_OK(store->schemaVersion()).value == kSchemaVersion);
    const Dialect expected = kBackend == TestBackend::Sqlite ? Dialect::Sqlite : Dialect::MySql;
    BOOST_TEST(PARLEY_REQUIRE_OK(store->dialect()).value == expected);
    PARLEY_REQUIRE_OK(store->createUser(newUser("keeper")));
    store.reset();

    for (int i = 0; i < 2; ++i) {
        auto reopened = open();
        BOOST_TEST(PARLEY_REQUIRE_OK(reopened->schemaVersion()).value == kSchemaVersion);
        BOOST_TEST(PARLEY_REQUIRE_OK(reopened->listUsers()).value.size() == 1u);
    }
    // One row per applied step: re-opening applied nothing again.
    BOOST_TEST(queryRaw(db.connectionString(), "SELECT COUNT(*) FROM schema_version") ==
               std::to_string(kSchemaVersion));
}

// A database of schema version 1 (before user_status and read_receipts) is upgraded on open, its data kept.
BOOST_FIXTURE_TEST_CASE(a_version_1_database_gets_read_receipts_and_keeps_its_data, StoreFixture) {
    const UserId id = PARLEY_REQUIRE_OK(store->createUser(newUser("veteran"))).value;
    PARLEY_REQUIRE_OK(store->enqueueOffline(message(id, 2, 77)));
    store.reset();
    execRaw(db.connectionString(), {"DROP TABLE user_homes", "DROP TABLE login_tokens", "DROP TABLE read_receipts",
                                    "DROP TABLE user_status", "DELETE FROM schema_version WHERE version > 1"});
    BOOST_TEST(queryRaw(db.connectionString(), "SELECT MAX(version) FROM schema_version") == "1");

    store = open();
    BOOST_TEST(PARLEY_REQUIRE_OK(store->schemaVersion()).value == kSchemaVersion);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->findUserById(id)).value.username == "veteran");
    BOOST_TEST(PARLEY_REQUIRE_OK(store->countPending(id)).value == 1u);
    PARLEY_REQUIRE_OK(store->saveReadReceipt({id, 2, 77}));
    BOOST_TEST(PARLEY_REQUIRE_OK(store->readReceiptsFor(id)).value.size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(a_newer_schema_is_refused, StoreFixture) {
    store.reset();
    execRaw(db.connectionString(), {"INSERT INTO schema_version (version, applied_at) VALUES (99, 0)"});
    auto opened = openStore(db.connectionString());
    BOOST_TEST(opened.status == Status::Error);
    BOOST_TEST(contains(opened.error, "newer"), opened.error);
}

BOOST_AUTO_TEST_CASE(a_bad_connection_string_is_an_error) {
    auto opened = openStore("postgres://nowhere");
    BOOST_TEST(opened.status == Status::Error);
    BOOST_TEST(!opened.value);
}

// --- users ------------------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(users_are_created_and_found, StoreFixture) {
    NewUser alice = newUser("Alice", 1);
    alice.displayName = "Alice Ünïcødé 名前 \xF0\x9F\x98\x80";  // 4-byte UTF-8 (emoji)
    const UserId aliceId = PARLEY_REQUIRE_OK(store->createUser(alice)).value;
    const UserId bobId = PARLEY_REQUIRE_OK(store->createUser(newUser("bob", 2))).value;
    BOOST_TEST(aliceId != kNoUser);
    BOOST_TEST(bobId != kNoUser);
    BOOST_TEST(aliceId != bobId);

    for (const char* spelling : {"Alice", "alice", "ALICE", "aLiCe"}) {
        const User found = PARLEY_REQUIRE_OK(store->findUserByName(spelling)).value;
        BOOST_TEST(found.id == aliceId);
        BOOST_TEST(found.username == "Alice");  // the original spelling is kept
    }
    const User byId = PARLEY_REQUIRE_OK(store->findUserById(aliceId)).value;
    BOOST_TEST(byId.username == "Alice");
    BOOST_TEST(byId.displayName == alice.displayName);
    BOOST_TEST(byId.password.salt == alice.password.salt);
    BOOST_TEST(byId.password.hash == alice.password.hash);
    BOOST_TEST(byId.password.iterations == alice.password.iterations);
    BOOST_TEST(byId.createdAtMs > 0);

    BOOST_TEST(store->findUserByName("carol").status == Status::NotFound);
    BOOST_TEST(store->findUserById(bobId + 1000).status == Status::NotFound);

    const auto users = PARLEY_REQUIRE_OK(store->listUsers()).value;
    BOOST_REQUIRE(users.size() == 2u);
    BOOST_TEST(users[0].id == aliceId);
    BOOST_TEST(users[0].username == "Alice");
    BOOST_TEST(users[0].displayName == alice.displayName);
    BOOST_TEST(users[1].id == bobId);
    BOOST_TEST(users[1].displayName == "Display bob");
}

BOOST_FIXTURE_TEST_CASE(a_taken_name_in_any_case_is_a_conflict, StoreFixture) {
    PARLEY_REQUIRE_OK(store->createUser(newUser("Alice")));
    auto again = store->createUser(newUser("aLICE"));
    BOOST_TEST(again.status == Status::Conflict);
    BOOST_TEST(contains(again.error, "taken"), again.error);

    // Case-insensitive beyond ASCII too.
    PARLEY_REQUIRE_OK(store->createUser(newUser("Ärger")));
    BOOST_TEST(store->createUser(newUser("äRGER")).status == Status::Conflict);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->findUserByName("ÄRGER")).value.username == "Ärger");
    // And beyond one encoding: "A" + U+0308 (decomposed) is the same name as "Ä".
    BOOST_TEST(store->createUser(newUser("A\xCC\x88rger")).status == Status::Conflict);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->findUserByName("a\xCC\x88RGER")).value.username == "Ärger");

    // The failed insert left no open transaction behind.
    PARLEY_REQUIRE_OK(store->createUser(newUser("bob")));
    BOOST_TEST(PARLEY_REQUIRE_OK(store->listUsers()).value.size() == 3u);
}

BOOST_FIXTURE_TEST_CASE(invalid_users_are_rejected, StoreFixture) {
    BOOST_TEST(store->createUser(newUser("")).status == Status::Error);
    BOOST_TEST(store->createUser(newUser(std::string(256, 'x'))).status == Status::Error);
    NewUser longest = newUser(std::string(255, 'x'));
    longest.displayName = std::string(255, 'y');
    PARLEY_REQUIRE_OK(store->createUser(longest));
    longest.username = "other";
    longest.displayName += "y";
    BOOST_TEST(store->createUser(longest).status == Status::Error);
    NewUser noPassword = newUser("nopass");
    noPassword.password = PasswordRecord{};
    BOOST_TEST(store->createUser(noPassword).status == Status::Error);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->listUsers()).value.size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(a_password_can_be_replaced, StoreFixture) {
    const UserId id = PARLEY_REQUIRE_OK(store->createUser(newUser("alice", 1))).value;
    const PasswordRecord stronger = fakePassword(9);
    PARLEY_REQUIRE_OK(store->setPassword(id, stronger));
    const User user = PARLEY_REQUIRE_OK(store->findUserById(id)).value;
    BOOST_TEST(user.password.hash == stronger.hash);
    BOOST_TEST(user.password.salt == stronger.salt);
    BOOST_TEST(user.password.iterations == stronger.iterations);
    PARLEY_REQUIRE_OK(store->setPassword(id, stronger));  // unchanged values: still Ok
    BOOST_TEST(store->setPassword(id + 1000, stronger).status == Status::NotFound);
}

BOOST_FIXTURE_TEST_CASE(an_account_can_be_disabled_and_its_logins_are_recorded, StoreFixture) {
    const UserId id = PARLEY_REQUIRE_OK(store->createUser(newUser("alice", 1))).value;
    const UserId other = PARLEY_REQUIRE_OK(store->createUser(newUser("bob", 2))).value;
    User fresh = PARLEY_REQUIRE_OK(store->findUserById(id)).value;
    BOOST_TEST(!fresh.disabled);
    BOOST_TEST(fresh.lastLoginAtMs == 0);

    BOOST_TEST(PARLEY_REQUIRE_OK(store->recordLogins({{id, 1'700'000'000'123}})).value == 1u);
    PARLEY_REQUIRE_OK(store->setUserDisabled(id, true));
    PARLEY_REQUIRE_OK(store->setUserDisabled(id, true));  // unchanged: still Ok
    const User disabled = PARLEY_REQUIRE_OK(store->findUserByName("ALICE")).value;
    BOOST_TEST(disabled.disabled);
    BOOST_TEST(disabled.lastLoginAtMs == 1'700'000'000'123);

    const auto users = PARLEY_REQUIRE_OK(store->listUsers()).value;
    BOOST_REQUIRE(users.size() == 2u);
    BOOST_TEST(users[0].disabled);
    BOOST_TEST(users[0].lastLoginAtMs == 1'700'000'000'123);
    BOOST_TEST(users[0].createdAtMs == disabled.createdAtMs);
    BOOST_TEST(users[0].createdAtMs > 0);
    BOOST_TEST(users[1].id == other);
    BOOST_TEST(!users[1].disabled);
    BOOST_TEST(users[1].lastLoginAtMs == 0);

    PARLEY_REQUIRE_OK(store->setUserDisabled(id, false));
    BOOST_TEST(!PARLEY_REQUIRE_OK(store->findUserById(id)).value.disabled);
    BOOST_TEST(store->setUserDisabled(id + 1000, true).status == Status::NotFound);
    // A batch: one transaction; a user deleted since is skipped, the others are written.
    const auto batch = PARLEY_REQUIRE_OK(store->recordLogins({{other, 5}, {id + 1000, 1}, {id, 1'700'000'000'999}}));
    BOOST_TEST(batch.value == 2u);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->findUserById(other)).value.lastLoginAtMs == 5);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->findUserById(id)).value.lastLoginAtMs == 1'700'000'000'999);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->recordLogins({})).value == 0u);
}

BOOST_FIXTURE_TEST_CASE(a_version_1_database_is_upgraded_keeping_its_users, StoreFixture) {
    const UserId id = PARLEY_REQUIRE_OK(store->createUser(newUser("keeper", 1))).value;
    store.reset();
    // Back to what a version-1 server left.
    execRaw(db.connectionString(), {"DROP TABLE user_homes", "DROP TABLE login_tokens", "DROP TABLE read_receipts",
                                    "DROP TABLE user_status", "DELETE FROM schema_version WHERE version > 1"});
    const auto reopened = open();
    BOOST_TEST(PARLEY_REQUIRE_OK(reopened->schemaVersion()).value == kSchemaVersion);
    const User kept = PARLEY_REQUIRE_OK(reopened->findUserById(id)).value;
    BOOST_TEST(kept.username == "keeper");
    BOOST_TEST(!kept.disabled);
    PARLEY_REQUIRE_OK(reopened->setUserDisabled(id, true));
}

// --- offline queue ----------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(message_ids_keep_all_64_bits, StoreFixture) {
    const std::vector<std::uint64_t> ids{0, 1, kHalf - 1, kHalf, kHalf + 1, kTop - 1, kTop};
    for (std::uint64_t id : ids) PARLEY_REQUIRE_OK(store->enqueueOffline(message(1, 2, id)));
    BOOST_TEST(idsOf(PARLEY_REQUIRE_OK(store->pendingFor(1, 100)).value) == ids);
    // The unique key compares the full value too.
    BOOST_TEST(PARLEY_REQUIRE_OK(store->enqueueOffline(message(1, 2, kTop))).value == EnqueueOutcome::AlreadyStored);

    PARLEY_REQUIRE_OK(store->saveTransfer(transfer(3, kTop, 4)));
    PARLEY_REQUIRE_OK(store->saveTransfer(transfer(3, kHalf, 4)));
    BOOST_TEST(PARLEY_REQUIRE_OK(store->findTransfer(3, kTop)).value.transferId == kTop);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->findTransfer(3, kHalf)).value.transferId == kHalf);
    PARLEY_REQUIRE_OK(store->updateTransferOffset(3, kTop, kTop - 5));
    BOOST_TEST(PARLEY_REQUIRE_OK(store->findTransfer(3, kTop)).value.verifiedOffset == kTop - 5);
}

BOOST_FIXTURE_TEST_CASE(the_queue_is_in_message_id_order_and_stores_once, StoreFixture) {
    // Two senders interleaved, inserted out of id order: pending comes back by
    // unsigned message id, then sender (per-sender send order, see Store.h).
    const std::vector<std::pair<UserId, std::uint64_t>> sent{{10, 50}, {11, 3}, {10, 7}, {11, 1}, {10, kTop}, {11, 2}};
    for (const auto& [sender, id] : sent) {
        const auto r = PARLEY_REQUIRE_OK(store->enqueueOffline(message(1, sender, id, {0x41})));
        BOOST_TEST(r.value == EnqueueOutcome::Stored);
    }
    // Re-sent messages (another payload even) are stored once; the first copy stays.
    BOOST_TEST(PARLEY_REQUIRE_OK(store->enqueueOffline(message(1, 10, 7, {0x42}))).value ==
               EnqueueOutcome::AlreadyStored);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->enqueueOffline(message(1, 11, 1, {0x42}))).value ==
               EnqueueOutcome::AlreadyStored);
    // The same (sender, id) to another recipient is another message.
    BOOST_TEST(PARLEY_REQUIRE_OK(store->enqueueOffline(message(2, 10, 7))).value == EnqueueOutcome::Stored);

    const std::vector<std::pair<UserId, std::uint64_t>> expected{{11, 1}, {11, 2},  {11, 3},
                                                                 {10, 7}, {10, 50}, {10, kTop}};
    const auto pending = PARLEY_REQUIRE_OK(store->pendingFor(1, 100)).value;
    BOOST_REQUIRE(pending.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        BOOST_TEST(pending[i].sender == expected[i].first);
        BOOST_TEST(pending[i].messageId == expected[i].second);
        BOOST_TEST(pending[i].recipient == 1u);
        BOOST_TEST(pending[i].messageType == 7u);
        BOOST_TEST(pending[i].payload == Bytes{0x41});
        BOOST_TEST(pending[i].createdAtMs > 0);
    }
    BOOST_TEST(idsOf(PARLEY_REQUIRE_OK(store->pendingFor(1, 2)).value) == (std::vector<std::uint64_t>{1, 2}));
    BOOST_TEST(PARLEY_REQUIRE_OK(store->pendingFor(1, 0)).value.empty());
    BOOST_TEST(PARLEY_REQUIRE_OK(store->pendingFor(3, 10)).value.empty());
    BOOST_TEST(PARLEY_REQUIRE_OK(store->countPending(1)).value == sent.size());
    BOOST_TEST(PARLEY_REQUIRE_OK(store->countPending(2)).value == 1u);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->countPending(3)).value == 0u);
}

BOOST_FIXTURE_TEST_CASE(acks_remove_cumulatively_per_sender, StoreFixture) {
    const std::vector<std::uint64_t> ids{5, kHalf - 1, kHalf, kHalf + 5, kTop};
    for (std::uint64_t id : ids) {
        PARLEY_REQUIRE_OK(store->enqueueOffline(message(1, 10, id)));
        PARLEY_REQUIRE_OK(store->enqueueOffline(message(1, 11, id)));
        PARLEY_REQUIRE_OK(store->enqueueOffline(message(2, 10, id)));
    }
    BOOST_TEST(PARLEY_REQUIRE_OK(store->removeDelivered(1, 10, 4)).value == 0u);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->removeDelivered(1, 10, 5)).value == 1u);
    // Across the signed boundary: everything up to 2^63 inclusive.
    BOOST_TEST(PARLEY_REQUIRE_OK(store->removeDelivered(1, 10, kHalf)).value == 2u);

    auto rest = PARLEY_REQUIRE_OK(store->pendingFor(1, 100)).value;
    std::vector<std::uint64_t> fromTen;
    std::vector<std::uint64_t> fromEleven;
    for (const OfflineMessage& m : rest) (m.sender == 10 ? fromTen : fromEleven).push_back(m.messageId);
    BOOST_TEST(fromTen == (std::vector<std::uint64_t>{kHalf + 5, kTop}));
    BOOST_TEST(fromEleven == ids);                                              // the other sender is untouched
    BOOST_TEST(PARLEY_REQUIRE_OK(store->countPending(2)).value == ids.size());  // and the other recipient

    BOOST_TEST(PARLEY_REQUIRE_OK(store->removeDelivered(1, 10, kTop)).value == 2u);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->removeDelivered(1, 11, kHalf - 1)).value == 2u);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->removeDelivered(1, 11, kTop)).value == 3u);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->countPending(1)).value == 0u);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->removeDelivered(1, 11, kTop)).value == 0u);
}

LoginToken tokenFor(UserId user, const NewLoginToken& token, std::int64_t expiresAtMs) {
    return LoginToken{token.hash, user, 1000, expiresAtMs, 1000};
}

NewLoginToken freshToken() {
    auto made = makeLoginToken();
    BOOST_REQUIRE_MESSAGE(made.ok(), made.error);
    return made.value;
}

BOOST_FIXTURE_TEST_CASE(login_tokens_verify_expire_and_revoke, StoreFixture) {
    const UserId ann = PARLEY_REQUIRE_OK(store->createUser(newUser("ann"))).value;
    const UserId bob = PARLEY_REQUIRE_OK(store->createUser(newUser("bob"))).value;
    const NewLoginToken phone = freshToken();
    const NewLoginToken laptop = freshToken();
    const NewLoginToken old = freshToken();
    PARLEY_REQUIRE_OK(store->saveLoginToken(tokenFor(ann, phone, 10'000)));
    PARLEY_REQUIRE_OK(store->saveLoginToken(tokenFor(ann, laptop, 10'000)));
    PARLEY_REQUIRE_OK(store->saveLoginToken(tokenFor(ann, old, 5'000)));
    BOOST_TEST(PARLEY_REQUIRE_OK(store->countLoginTokens(ann)).value == 3u);

    BOOST_TEST((PARLEY_REQUIRE_OK(store->useLoginToken(ann, phone.hash, 4'000)).value == TokenCheck::Valid));
    // Another user's token, a never-issued one and a token that is not a hash are invalid.
    BOOST_TEST((PARLEY_REQUIRE_OK(store->useLoginToken(bob, phone.hash, 4'000)).value == TokenCheck::Invalid));
    BOOST_TEST((PARLEY_REQUIRE_OK(store->useLoginToken(ann, freshToken().hash, 4'000)).value == TokenCheck::Invalid));
    BOOST_TEST((PARLEY_REQUIRE_OK(store->useLoginToken(ann, Bytes{1, 2}, 4'000)).value == TokenCheck::Invalid));
    // Expired at exactly expiresAtMs, and deleted then.
    BOOST_TEST((PARLEY_REQUIRE_OK(store->useLoginToken(ann, old.hash, 5'000)).value == TokenCheck::Expired));
    BOOST_TEST((PARLEY_REQUIRE_OK(store->useLoginToken(ann, old.hash, 1'000)).value == TokenCheck::Invalid));
    BOOST_TEST(PARLEY_REQUIRE_OK(store->countLoginTokens(ann)).value == 2u);

    // Logout revokes one; the other device stays logged in.
    BOOST_TEST(PARLEY_REQUIRE_OK(store->revokeLoginToken(ann, phone.hash)).value == 1u);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->revokeLoginToken(ann, phone.hash)).value == 0u);
    BOOST_TEST((PARLEY_REQUIRE_OK(store->useLoginToken(ann, phone.hash, 4'000)).value == TokenCheck::Invalid));
    BOOST_TEST((PARLEY_REQUIRE_OK(store->useLoginToken(ann, laptop.hash, 4'000)).value == TokenCheck::Valid));

    // A password reset revokes all of one user's tokens, no one else's.
    const NewLoginToken bobs = freshToken();
    PARLEY_REQUIRE_OK(store->saveLoginToken(tokenFor(bob, bobs, 10'000)));
    BOOST_TEST(PARLEY_REQUIRE_OK(store->revokeLoginTokens(ann)).value == 1u);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->countLoginTokens(ann)).value == 0u);
    BOOST_TEST((PARLEY_REQUIRE_OK(store->useLoginToken(bob, bobs.hash, 4'000)).value == TokenCheck::Valid));

    // Purging removes only the expired ones.
    PARLEY_REQUIRE_OK(store->saveLoginToken(tokenFor(ann, freshToken(), 3'000)));
    BOOST_TEST(PARLEY_REQUIRE_OK(store->purgeExpiredLoginTokens(3'000)).value == 1u);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->countLoginTokens(bob)).value == 1u);
    BOOST_TEST(store->saveLoginToken(LoginToken{Bytes{1, 2, 3}, bob, 0, 1, 0}).status == Status::Error);
}

BOOST_FIXTURE_TEST_CASE(home_claims_order_logins_and_releases_keep_newer_claims, StoreFixture) {
    const UserId ann = PARLEY_REQUIRE_OK(store->createUser(newUser("ann"))).value;
    const UserId bob = PARLEY_REQUIRE_OK(store->createUser(newUser("bob"))).value;
    BOOST_TEST(store->findHome(ann).status == Status::NotFound);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->claimHome(ann, "node-a")).value == 1u);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->claimHome(ann, "node-b")).value == 2u);  // a login elsewhere
    BOOST_TEST(PARLEY_REQUIRE_OK(store->claimHome(bob, "node-a")).value == 1u);
    const UserHome home = PARLEY_REQUIRE_OK(store->findHome(ann)).value;
    BOOST_TEST(home.node == "node-b");
    BOOST_TEST(home.generation == 2u);

    // The session that was taken over ends late: its release changes nothing.
    BOOST_TEST(PARLEY_REQUIRE_OK(store->releaseHome(ann, "node-a", 1)).value == false);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->findHome(ann)).value.node == "node-b");
    BOOST_TEST(PARLEY_REQUIRE_OK(store->releaseHome(ann, "node-b", 2)).value == true);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->findHome(ann)).value.node.empty());
    // The generation survives the logout: the next login goes beyond it.
    BOOST_TEST(PARLEY_REQUIRE_OK(store->claimHome(ann, "node-c")).value == 3u);

    // A node that starts again (or died) holds nobody; other nodes' users stay.
    BOOST_TEST(PARLEY_REQUIRE_OK(store->clearNode("node-a")).value == 1u);  // bob
    BOOST_TEST(PARLEY_REQUIRE_OK(store->findHome(bob)).value.node.empty());
    BOOST_TEST(PARLEY_REQUIRE_OK(store->findHome(ann)).value.node == "node-c");
    BOOST_TEST(store->claimHome(ann, "").status == Status::Error);
    BOOST_TEST(store->claimHome(ann, std::string(65, 'a')).status == Status::Error);
}

BOOST_FIXTURE_TEST_CASE(claims_at_once_from_two_connections_get_distinct_generations, StoreFixture) {
    const UserId ann = PARLEY_REQUIRE_OK(store->createUser(newUser("ann"))).value;
    std::unique_ptr<Store> other = open();
    constexpr int kClaims = 40;
    std::vector<std::uint64_t> mine;
    std::vector<std::uint64_t> theirs;
    std::string failure;
    std::thread racer([&] {
        for (int i = 0; i < kClaims; ++i) {
            auto claimed = other->claimHome(ann, "node-b");
            if (!claimed.ok()) {
                failure = claimed.error;
                return;
            }
            theirs.push_back(claimed.value);
        }
    });
    for (int i = 0; i < kClaims; ++i) mine.push_back(PARLEY_REQUIRE_OK(store->claimHome(ann, "node-a")).value);
    racer.join();
    BOOST_REQUIRE_MESSAGE(failure.empty(), failure);
    std::vector<std::uint64_t> all = mine;
    all.insert(all.end(), theirs.begin(), theirs.end());
    std::sort(all.begin(), all.end());
    // Every claim got its own generation, 1..80 with none twice or skipped.
    for (std::size_t i = 0; i < all.size(); ++i) BOOST_TEST(all[i] == i + 1);
    const UserHome home = PARLEY_REQUIRE_OK(store->findHome(ann)).value;
    BOOST_TEST(home.generation == 2u * kClaims);
    BOOST_TEST(home.node == (std::find(mine.begin(), mine.end(), home.generation) != mine.end() ? "node-a" : "node-b"));
}

std::vector<std::pair<UserId, std::uint64_t>> receiptsOf(Store& store, UserId sender) {
    std::vector<std::pair<UserId, std::uint64_t>> out;
    const auto rows = store.readReceiptsFor(sender);
    BOOST_REQUIRE_MESSAGE(rows.ok(), rows.error);
    for (const ReadReceipt& r : rows.value) {
        BOOST_TEST(r.sender == sender);
        out.emplace_back(r.reader, r.upTo);
    }
    return out;
}

BOOST_FIXTURE_TEST_CASE(read_receipts_keep_the_highest_per_sender_and_reader, StoreFixture) {
    using Rows = std::vector<std::pair<UserId, std::uint64_t>>;
    BOOST_TEST(receiptsOf(*store, 1).empty());
    PARLEY_REQUIRE_OK(store->saveReadReceipt({1, 20, 5}));
    PARLEY_REQUIRE_OK(store->saveReadReceipt({1, 10, kHalf - 1}));
    PARLEY_REQUIRE_OK(store->saveReadReceipt({2, 10, 7}));
    // Lower or equal changes nothing; higher replaces, across the signed boundary too.
    PARLEY_REQUIRE_OK(store->saveReadReceipt({1, 20, 4}));
    PARLEY_REQUIRE_OK(store->saveReadReceipt({1, 20, 5}));
    PARLEY_REQUIRE_OK(store->saveReadReceipt({1, 10, kHalf + 1}));
    PARLEY_REQUIRE_OK(store->saveReadReceipt({1, 10, kHalf}));
    BOOST_TEST(receiptsOf(*store, 1) == (Rows{{10, kHalf + 1}, {20, 5}}));
    BOOST_TEST(receiptsOf(*store, 2) == (Rows{{10, 7}}));

    // Removed only while it holds the value that was delivered.
    BOOST_TEST(PARLEY_REQUIRE_OK(store->removeReadReceipt({1, 10, kHalf})).value == 0u);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->removeReadReceipt({1, 10, kHalf + 1})).value == 1u);
    PARLEY_REQUIRE_OK(store->saveReadReceipt({1, 20, kTop}));
    BOOST_TEST(PARLEY_REQUIRE_OK(store->removeReadReceipt({1, 20, 5})).value == 0u);
    BOOST_TEST(receiptsOf(*store, 1) == (Rows{{20, kTop}}));
    BOOST_TEST(receiptsOf(*store, 2) == (Rows{{10, 7}}));  // the other sender is untouched

    // After a delete the pair starts again from nothing.
    BOOST_TEST(PARLEY_REQUIRE_OK(store->removeReadReceipt({1, 20, kTop})).value == 1u);
    PARLEY_REQUIRE_OK(store->saveReadReceipt({1, 20, 3}));
    BOOST_TEST(receiptsOf(*store, 1) == (Rows{{20, 3}}));
}

BOOST_FIXTURE_TEST_CASE(payloads_are_binary_safe, StoreFixture) {
    Bytes everyByte(256);
    for (std::size_t i = 0; i < everyByte.size(); ++i) everyByte[i] = static_cast<std::uint8_t>(i);
    Bytes large(1 << 20);
    std::mt19937 random(42);
    for (auto& b : large) b = static_cast<std::uint8_t>(random());
    const std::vector<Bytes> payloads{
        {},                              // empty
        {0},                             // a single zero byte
        {0, 0, 0x41, 0, 0},              // zeros around text
        {0xFF, 0xFE, 0xC3, 0x28, 0x80},  // not UTF-8
        everyByte,
        large,
    };
    for (std::size_t i = 0; i < payloads.size(); ++i)
        PARLEY_REQUIRE_OK(store->enqueueOffline(message(1, 2, i, payloads[i])));
    const auto pending = PARLEY_REQUIRE_OK(store->pendingFor(1, 100)).value;
    BOOST_REQUIRE(pending.size() == payloads.size());
    for (std::size_t i = 0; i < payloads.size(); ++i) BOOST_TEST((pending[i].payload == payloads[i]), "payload " << i);
}

// --- transfers ----------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(transfers_support_create_read_update_delete, StoreFixture) {
    const Transfer t = transfer(1, 77, 2);
    PARLEY_REQUIRE_OK(store->saveTransfer(t));
    BOOST_TEST(store->saveTransfer(t).status == Status::Conflict);
    PARLEY_REQUIRE_OK(store->saveTransfer(transfer(2, 77, 1)));  // same id, other sender
    PARLEY_REQUIRE_OK(store->saveTransfer(transfer(5, 1, 6)));   // unrelated

    Transfer found = PARLEY_REQUIRE_OK(store->findTransfer(1, 77)).value;
    BOOST_TEST(found.sender == 1u);
    BOOST_TEST(found.receiver == 2u);
    BOOST_TEST(found.fileName == t.fileName);
    BOOST_TEST(found.size == t.size);
    BOOST_TEST(found.sha256 == t.sha256);
    BOOST_TEST(found.state == TransferState::Offered);
    BOOST_TEST(found.verifiedOffset == 0u);
    BOOST_TEST(found.updatedAtMs > 0);

    const std::uint64_t offset = (std::uint64_t{4} << 32) + 1;  // beyond 4 GiB
    PARLEY_REQUIRE_OK(store->updateTransferOffset(1, 77, offset));
    // The same offset again: MySQL reports 0 changed rows, still Ok.
    PARLEY_REQUIRE_OK(store->updateTransferOffset(1, 77, offset));
    PARLEY_REQUIRE_OK(store->setTransferState(1, 77, TransferState::Interrupted));
    PARLEY_REQUIRE_OK(store->setTransferState(1, 77, TransferState::Interrupted));
    found = PARLEY_REQUIRE_OK(store->findTransfer(1, 77)).value;
    BOOST_TEST(found.verifiedOffset == offset);
    BOOST_TEST(found.state == TransferState::Interrupted);

    const auto forOne = PARLEY_REQUIRE_OK(store->transfersFor(1)).value;
    BOOST_REQUIRE(forOne.size() == 2u);  // as sender and as receiver
    for (const Transfer& x : forOne) BOOST_TEST((x.sender == 1u || x.receiver == 1u));
    BOOST_TEST(PARLEY_REQUIRE_OK(store->transfersFor(6)).value.size() == 1u);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->transfersFor(9)).value.empty());

    // A server start: the unfinished ones become Interrupted, the others stay.
    PARLEY_REQUIRE_OK(store->setTransferState(5, 1, TransferState::InProgress));
    BOOST_TEST(PARLEY_REQUIRE_OK(store->interruptUnfinishedTransfers()).value == 2u);  // (2,77), (5,1)
    BOOST_TEST(PARLEY_REQUIRE_OK(store->findTransfer(2, 77)).value.state == TransferState::Interrupted);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->findTransfer(5, 1)).value.state == TransferState::Interrupted);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->interruptUnfinishedTransfers()).value == 0u);

    PARLEY_REQUIRE_OK(store->deleteTransfer(1, 77));
    BOOST_TEST(store->findTransfer(1, 77).status == Status::NotFound);
    BOOST_TEST(store->deleteTransfer(1, 77).status == Status::NotFound);
    BOOST_TEST(store->updateTransferOffset(1, 77, 5).status == Status::NotFound);
    BOOST_TEST(store->setTransferState(1, 77, TransferState::Completed).status == Status::NotFound);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->findTransfer(2, 77)).value.receiver == 1u);
}

// --- durability ---------------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(data_survives_close_and_reopen, StoreFixture) {
    const UserId id = PARLEY_REQUIRE_OK(store->createUser(newUser("durable"))).value;
    PARLEY_REQUIRE_OK(store->enqueueOffline(message(id, 2, kTop, {0, 1, 2})));
    PARLEY_REQUIRE_OK(store->saveTransfer(transfer(id, 9, 2)));
    PARLEY_REQUIRE_OK(store->saveReadReceipt({id, 2, kTop}));
    store.reset();

    auto reopened = open();
    BOOST_TEST(PARLEY_REQUIRE_OK(reopened->findUserByName("DURABLE")).value.id == id);
    const auto pending = PARLEY_REQUIRE_OK(reopened->pendingFor(id, 10)).value;
    BOOST_REQUIRE(pending.size() == 1u);
    BOOST_TEST(pending[0].messageId == kTop);
    BOOST_TEST(pending[0].payload == (Bytes{0, 1, 2}));
    PARLEY_REQUIRE_OK(reopened->findTransfer(id, 9));
    BOOST_TEST(receiptsOf(*reopened, id) == (std::vector<std::pair<UserId, std::uint64_t>>{{2, kTop}}));
}

// Another process enqueues, and is SIGKILLed right after the last enqueue returned Ok:
// what it was told is stored must be there.
BOOST_FIXTURE_TEST_CASE(acknowledged_messages_survive_sigkill, StoreFixture) {
    store.reset();
    qputenv("PARLEY_CRASH_CONNECTION", QByteArray::fromStdString(db.connectionString()));
    const std::string self = boost::unit_test::framework::master_test_suite().argv[0];
    const int rc = runShell("\"" + self +
                            "\" --run_test=crash_helper/enqueue_then_die "
                            "--log_level=nothing --report_level=no");
    qunsetenv("PARLEY_CRASH_CONNECTION");
    BOOST_TEST(rc != 0);  // it did not exit normally

    auto reopened = open();
    const auto pending = PARLEY_REQUIRE_OK(reopened->pendingFor(1, 100)).value;
    BOOST_REQUIRE(pending.size() == static_cast<std::size_t>(kCrashMessages));
    for (int i = 0; i < kCrashMessages; ++i)
        BOOST_TEST(pending[static_cast<std::size_t>(i)].messageId == static_cast<std::uint64_t>(i + 1));
}

// --- files -----------------------------------------------------------------------

// Issue 14, finding 10: the SQLite file was created 0644 in a 0755 folder.
BOOST_AUTO_TEST_CASE(a_new_sqlite_database_is_for_its_owner_only) {
    if (kBackend != TestBackend::Sqlite) {
        BOOST_TEST_MESSAGE("files: only SQLite keeps the database in files of ours");
        return;
    }
    QTemporaryDir folder;
    BOOST_REQUIRE(folder.isValid());
    const QString data = folder.path() + QStringLiteral("/data");
    const QString file = data + QStringLiteral("/parley.db");
    auto store = PARLEY_REQUIRE_OK(openStore("sqlite:" + file.toStdString())).value;
    PARLEY_REQUIRE_OK(store->createUser(newUser("alice")));  // the WAL has content now
    const auto mode = [](const QString& path) {
        return static_cast<unsigned>(QFile::permissions(path)) & 0x7777u;  // Qt's owner/user/group/other nibbles
    };
    const unsigned ownerFile =
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser;
    BOOST_TEST(mode(data) == (ownerFile | QFileDevice::ExeOwner | QFileDevice::ExeUser));
    for (const QString& path : {file, file + QStringLiteral("-wal"), file + QStringLiteral("-shm")}) {
        BOOST_TEST_CONTEXT(path.toStdString()) {
            BOOST_TEST(QFile::exists(path));
            BOOST_TEST(mode(path) == ownerFile);
        }
    }
}

// --- outages ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(an_unreachable_database_is_unavailable_then_recovers) {
    QTemporaryDir folder;
    BOOST_REQUIRE(folder.isValid());
    const std::string unreachable = unreachableConnectionString(folder.path().toStdString());

    auto opened = openStore(unreachable);
    BOOST_TEST(opened.status == Status::Unavailable);
    BOOST_TEST(!opened.value);
    BOOST_TEST_MESSAGE("unreachable database: " << opened.error);
    BOOST_TEST(contains(opened.error, kBackend == TestBackend::Sqlite ? "cannot create" : "connect"), opened.error);

    OpenOptions lazy;
    lazy.connectNow = false;
    lazy.reconnectFirstMs = 0;  // no backoff: the recovery below is tried at once
    auto store = PARLEY_REQUIRE_OK(openStore(unreachable, lazy)).value;
    BOOST_TEST(store->createUser(newUser("alice")).status == Status::Unavailable);
    BOOST_TEST(store->countPending(1).status == Status::Unavailable);
    if (kBackend == TestBackend::Sqlite) {
        // The obstacle goes away: the same store connects, migrates and works.
        BOOST_REQUIRE(QFile::remove(folder.path() + QStringLiteral("/blocker")));
        PARLEY_REQUIRE_OK(store->createUser(newUser("alice")));
        BOOST_TEST(PARLEY_REQUIRE_OK(store->schemaVersion()).value == kSchemaVersion);
    }
}

// Issue 14, findings 8 and 12: the server retried a down database about 100 times a
// second. Calls during the backoff fail at once without a connect attempt.
BOOST_AUTO_TEST_CASE(a_down_database_is_retried_with_backoff_not_on_every_call) {
    QTemporaryDir folder;
    BOOST_REQUIRE(folder.isValid());
    const std::string unreachable = unreachableConnectionString(folder.path().toStdString());
    OpenOptions lazy;
    lazy.connectNow = false;
    lazy.reconnectFirstMs = 200;
    lazy.reconnectMaxMs = 400;
    auto store = PARLEY_REQUIRE_OK(openStore(unreachable, lazy)).value;
    BOOST_TEST(store->connectAttempts() == 0u);
    for (int i = 0; i < 100; ++i) BOOST_TEST(store->countPending(1).status == Status::Unavailable);
    const std::uint64_t burst = store->connectAttempts();
    BOOST_TEST(burst >= 1u);
    BOOST_TEST(burst <= 2u, burst << " connect attempts for 100 calls in a row");
    // After the backoff it tries again by itself.
    for (int i = 0; i < 500 && store->connectAttempts() == burst; ++i) {
        BOOST_TEST(store->countPending(1).status == Status::Unavailable);
        QThread::msleep(10);
    }
    BOOST_TEST(store->connectAttempts() > burst);
    if (kBackend == TestBackend::Sqlite) {
        // The obstacle goes away: a call after the backoff connects.
        BOOST_REQUIRE(QFile::remove(folder.path() + QStringLiteral("/blocker")));
        Status status = Status::Unavailable;
        for (int i = 0; i < 500 && status == Status::Unavailable; ++i) {
            status = store->countPending(1).status;
            if (status == Status::Unavailable) QThread::msleep(10);
        }
        BOOST_TEST(status == Status::Ok);
    }
}

BOOST_AUTO_TEST_CASE(a_database_that_goes_down_is_unavailable_until_it_is_back) {
    if (kBackend == TestBackend::Sqlite) {
        // Down for a SQLite writer: another connection holds the write lock past the
        // busy timeout.
        TestDatabase db;
        OpenOptions options;
        options.busyTimeoutMs = 100;
        auto store = PARLEY_REQUIRE_OK(openStore(db.connectionString(), options)).value;
        RawConnection other(db.connectionString());
        BOOST_REQUIRE(other.exec("BEGIN EXCLUSIVE"));
        const auto blocked = store->enqueueOffline(message(1, 2, 3));
        BOOST_TEST(blocked.status == Status::Unavailable);
        BOOST_TEST_MESSAGE("locked: " << blocked.error);
        BOOST_REQUIRE(other.exec("ROLLBACK"));
        BOOST_TEST(PARLEY_REQUIRE_OK(store->enqueueOffline(message(1, 2, 3))).value == EnqueueOutcome::Stored);
        return;
    }
    // MariaDB: a server of our own (not the shared fixture), killed with SIGKILL and
    // restarted on the same port.
    const char* script = std::getenv("PARLEY_TEST_MARIADB_SCRIPT");
    BOOST_REQUIRE_MESSAGE(script && *script, "PARLEY_TEST_MARIADB_SCRIPT (scripts/mariadb-instance) is not set");
    QTemporaryDir dir;
    BOOST_REQUIRE(dir.isValid());
    const std::string instance = "\"" + std::string(script) + "\" %1 \"" + dir.path().toStdString() + "\"";
    auto run = [&](const char* command) {
        return runShell(QString::fromStdString(instance).arg(QLatin1String(command)).toStdString());
    };
    struct Stopper {
        std::function<void()> stop;
        ~Stopper() { stop(); }
    } stopper{[&] { run("stop"); }};
    BOOST_REQUIRE(run("start") == 0);
    QFile odbcFile(dir.path() + QStringLiteral("/odbc.txt"));
    BOOST_REQUIRE(odbcFile.open(QIODevice::ReadOnly));
    const std::string connection = "odbc:" + odbcFile.readAll().trimmed().toStdString();

    // No reconnect backoff: the calls right after the restart reconnect.
    OpenOptions atOnce;
    atOnce.reconnectFirstMs = 0;
    auto store = PARLEY_REQUIRE_OK(openStore(connection, atOnce)).value;
    const UserId id = PARLEY_REQUIRE_OK(store->createUser(newUser("before"))).value;
    PARLEY_REQUIRE_OK(store->enqueueOffline(message(id, 2, 1)));
    OpenOptions checking = atOnce;
    checking.idleCheckSeconds = 0;
    auto checked = PARLEY_REQUIRE_OK(openStore(connection, checking)).value;

    BOOST_REQUIRE(run("crash") == 0);
    const auto lost = store->countPending(id);
    BOOST_TEST(lost.status == Status::Unavailable);
    BOOST_TEST_MESSAGE("server killed: " << lost.error);
    const auto stillDown = store->findUserByName("before");
    BOOST_TEST(stillDown.status == Status::Unavailable);
    BOOST_TEST_MESSAGE("server down: " << stillDown.error);

    BOOST_REQUIRE(run("restart") == 0);
    // A store that checks idle connections replaces the dead one before using it.
    BOOST_TEST(PARLEY_REQUIRE_OK(checked->countPending(id)).value == 1u);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->findUserByName("before")).value.id == id);
    BOOST_TEST(PARLEY_REQUIRE_OK(store->countPending(id)).value == 1u);  // committed = kept
    PARLEY_REQUIRE_OK(store->enqueueOffline(message(id, 2, 2)));
}

BOOST_AUTO_TEST_SUITE_END()

// Run only by acknowledged_messages_survive_sigkill, in a child process.
BOOST_AUTO_TEST_SUITE(crash_helper, *boost::unit_test::disabled())

BOOST_AUTO_TEST_CASE(enqueue_then_die) {
    const QByteArray connection = qgetenv("PARLEY_CRASH_CONNECTION");
    BOOST_REQUIRE(!connection.isEmpty());
    auto store = PARLEY_REQUIRE_OK(openStore(connection.toStdString())).value;
    for (int i = 1; i <= kCrashMessages; ++i) {
        const auto r = store->enqueueOffline(message(1, 2, static_cast<std::uint64_t>(i)));
        if (!r.ok()) std::_Exit(3);  // the parent then finds fewer messages and fails
    }
#ifdef SIGKILL
    std::raise(SIGKILL);
#endif
    std::abort();
}

BOOST_AUTO_TEST_SUITE_END()
