#include "db/ConnectionString.h"

#include "tests/db/DbPrinters.h"

#include <boost/test/unit_test.hpp>

using namespace parley::db;

BOOST_AUTO_TEST_SUITE(connection_string)

BOOST_AUTO_TEST_CASE(sqlite_takes_the_rest_as_a_path) {
    const auto spec = parseConnectionString("sqlite:/var/lib/parley/parley.db");
    BOOST_REQUIRE(spec.ok());
    BOOST_TEST((spec.value.backend == Backend::Sqlite));
    BOOST_TEST(spec.value.target == "/var/lib/parley/parley.db");
    BOOST_TEST(parseConnectionString("sqlite:").status == Status::Error);
}

BOOST_AUTO_TEST_CASE(odbc_strings_pass_through_without_the_dialect_hint) {
    const auto spec = parseConnectionString("odbc:Driver={MariaDB Unicode};Server=db;Dialect=MySQL;Pwd={a;b}");
    BOOST_REQUIRE(spec.ok());
    BOOST_TEST((spec.value.backend == Backend::Odbc));
    BOOST_TEST(spec.value.target == "Driver={MariaDB Unicode};Server=db;Pwd={a;b}");
    BOOST_REQUIRE(spec.value.dialectHint.has_value());
    BOOST_TEST((*spec.value.dialectHint == Dialect::MySql));

    const auto mssql = parseConnectionString(
        "odbc:Driver={ODBC Driver 18 for SQL Server};"
        "Server=sql;dialect=mssql");
    BOOST_REQUIRE(mssql.ok());
    BOOST_TEST((*mssql.value.dialectHint == Dialect::MsSql));
    BOOST_TEST(!parseConnectionString("odbc:Driver=x;Server=y").value.dialectHint.has_value());
    BOOST_TEST(parseConnectionString("odbc:Driver=x;Dialect=oracle").status == Status::Error);
}

// Qt's QODBC prefixes "DSN=" unless the string holds DRIVER= or SERVER=.
BOOST_AUTO_TEST_CASE(dsn_strings_are_shaped_for_qodbc) {
    BOOST_TEST(parseConnectionString("odbc:parley").value.target == "parley");
    BOOST_TEST(parseConnectionString("odbc:Uid=u;DSN=parley;Pwd=p").value.target == "parley;Uid=u;Pwd=p");
    BOOST_TEST(parseConnectionString("odbc:DSN=parley;Server=x").value.target == "DSN=parley;Server=x");
    BOOST_TEST(parseConnectionString("odbc:Driver=x;Server=db.dsn.example").status == Status::Error);
}

BOOST_AUTO_TEST_CASE(other_schemes_are_errors) {
    BOOST_TEST(parseConnectionString("").status == Status::Error);
    BOOST_TEST(parseConnectionString("mysql://host/db").status == Status::Error);
    BOOST_TEST(parseConnectionString("odbc:").status == Status::Error);
}

BOOST_AUTO_TEST_CASE(passwords_are_redacted_for_logs) {
    BOOST_TEST(redactConnectionString("odbc:Driver={X};Uid=u;Pwd=secret;PASSWORD={p;q}") ==
               "odbc:Driver={X};Uid=u;Pwd=***;PASSWORD=***");
    BOOST_TEST(redactConnectionString("sqlite:/tmp/x.db") == "sqlite:/tmp/x.db");
}

BOOST_AUTO_TEST_SUITE_END()
