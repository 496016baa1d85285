#pragma once
// Internal to db/: applies the versioned steps of db/schema/<dialect>.sql.
//
// Script format: a line "-- @version N" starts step N (ascending); other "--" lines are
// comments; a statement ends with ';' at the end of a line. The database records each
// applied step as a row of schema_version; its current version is MAX(version), 0 when
// the table does not exist. Steps above the current version run in order, each in a
// transaction with its schema_version row (atomic where the dialect has transactional
// DDL: SQLite, SQL Server; the MySQL file is written to be re-runnable instead).
// A database newer than the script is refused with Status::Error.
// Threading: the connection's thread.

#include "db/Result.h"

#include <string>
#include <vector>

namespace parley::db {

class SqlConnection;

struct SchemaStep {
    int version = 0;
    std::vector<std::string> statements;
};

/// Splits a schema script into steps; Error for statements before the first marker,
/// versions that do not increase, a step without statements or an unterminated statement.
ValueResult<std::vector<SchemaStep>> parseSchemaScript(const std::string& script);

class SchemaMigrator {
public:
    explicit SchemaMigrator(SqlConnection& connection) : m_connection(connection) {}

    /// The version recorded in the database (0 for an empty database).
    ValueResult<int> currentVersion();

    /// Brings the database to the latest step of its dialect's script.
    Result migrate();

    /// As migrate(), with an explicit script (tests of the mechanism).
    Result migrate(const std::string& script);

private:
    SqlConnection& m_connection;
};

}  // namespace parley::db
