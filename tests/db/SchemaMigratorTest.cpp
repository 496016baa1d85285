// The migration mechanism (internal db/ classes) on a real SQLite file.

#include "db/SchemaMigrator.h"
#include "db/SchemaScripts.h"
#include "db/SqlConnection.h"
#include "db/Store.h"

#include "tests/db/DbPrinters.h"

#include <boost/test/unit_test.hpp>

#include <QTemporaryDir>

using namespace parley::db;

namespace {

const std::string kStepOne =
    "-- a comment\n"
    "-- @version 1\n"
    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);\n"
    "CREATE TABLE t1 (\n"
    "    a INTEGER\n"
    ");\n";
const std::string kStepTwo =
    "-- @version 2\n"
    "CREATE TABLE t2 (b INTEGER);\n"
    "INSERT INTO t2 (b) VALUES (42);\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(schema_migrator)

BOOST_AUTO_TEST_CASE(every_dialect_script_parses_to_the_current_version) {
    for (Dialect d : {Dialect::Sqlite, Dialect::MySql, Dialect::MsSql}) {
        const auto steps = parseSchemaScript(schemaScript(d));
        BOOST_REQUIRE_MESSAGE(steps.ok(), toString(d) << ": " << steps.error);
        BOOST_TEST(steps.value.back().version == kSchemaVersion);
        BOOST_TEST(steps.value.front().statements.size() >= 4u);
    }
}

BOOST_AUTO_TEST_CASE(bad_scripts_are_errors) {
    BOOST_TEST(parseSchemaScript("").status == Status::Error);
    BOOST_TEST(parseSchemaScript("CREATE TABLE x (a INT);\n").status == Status::Error);
    BOOST_TEST(parseSchemaScript("-- @version 1\nCREATE TABLE x (a INT)\n").status == Status::Error);
    BOOST_TEST(parseSchemaScript("-- @version 2\nSELECT 1;\n-- @version 1\nSELECT 1;\n").status == Status::Error);
    BOOST_TEST(parseSchemaScript("-- @version 1\n-- @version 2\nSELECT 1;\n").status == Status::Error);
    const auto ok = parseSchemaScript(kStepOne + kStepTwo);
    BOOST_REQUIRE(ok.ok());
    BOOST_TEST(ok.value.size() == 2u);
    BOOST_TEST(ok.value[0].statements[1] == "CREATE TABLE t1 (\n    a INTEGER\n)");
}

BOOST_AUTO_TEST_CASE(steps_apply_once_in_order) {
    QTemporaryDir dir;
    BOOST_REQUIRE(dir.isValid());
    ConnectionSpec spec;
    spec.backend = Backend::Sqlite;
    spec.target = dir.path().toStdString() + "/m.sqlite";
    OpenOptions options;
    options.migrate = false;
    SqlConnection connection(spec, options);
    BOOST_REQUIRE(connection.ensureOpen().ok());
    SchemaMigrator migrator(connection);
    BOOST_TEST(migrator.currentVersion().value == 0);

    BOOST_REQUIRE(migrator.migrate(kStepOne).ok());
    BOOST_TEST(migrator.currentVersion().value == 1);
    // Step 1 would fail if it ran again (its tables exist): only step 2 runs.
    const Result upgraded = migrator.migrate(kStepOne + kStepTwo);
    BOOST_REQUIRE_MESSAGE(upgraded.ok(), upgraded.error);
    BOOST_TEST(migrator.currentVersion().value == 2);
    BOOST_TEST(migrator.migrate(kStepOne + kStepTwo).ok());

    // A database ahead of the script is refused.
    const Result older = migrator.migrate(kStepOne);
    BOOST_TEST(older.status == Status::Error);
    BOOST_TEST(older.error.find("newer") != std::string::npos);

    // A failing step leaves no trace: the version and the step's tables stay as they were.
    const Result failed =
        migrator.migrate(kStepOne + kStepTwo + "-- @version 3\nCREATE TABLE t3 (c INTEGER);\nSELECT * FROM nope;\n");
    BOOST_TEST(failed.status == Status::Error);
    BOOST_TEST(migrator.currentVersion().value == 2);
    BOOST_TEST(!connection.tables().contains(QStringLiteral("t3")));
}

BOOST_AUTO_TEST_SUITE_END()
