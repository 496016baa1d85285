#pragma once
// The one string an operator configures to pick the database.
//
//   sqlite:PATH                    embedded SQLite file (parent folders are created)
//   odbc:<ODBC connection string>  e.g. odbc:Driver={MariaDB Unicode};Server=127.0.0.1;
//                                       Port=3306;Database=parley;Uid=parley;Pwd=secret
//   odbc:<DSN name>                a data source from odbc.ini
//
// The ODBC form may carry `Dialect=mysql` or `Dialect=mssql` (case-insensitive key);
// it is removed before the string reaches the driver and skips dialect detection.

#include "db/Result.h"

#include <optional>
#include <string>

namespace parley::db {

enum class Backend { Sqlite, Odbc };

/// The SQL dialect, which picks db/schema/<dialect>.sql and a few statements.
enum class Dialect { Sqlite, MySql, MsSql };

/// "sqlite", "mysql", "mssql".
const char* toString(Dialect dialect);

struct ConnectionSpec {
    Backend backend = Backend::Sqlite;
    /// SQLite: the file path. ODBC: the connection string for the driver manager,
    /// without the Dialect= hint.
    std::string target;
    std::optional<Dialect> dialectHint;
};

/// Error (with the reason) for an unknown scheme, an empty target or a bad hint.
ValueResult<ConnectionSpec> parseConnectionString(const std::string& connectionString);

/// The connection string with every Pwd=/Password= value replaced by "***", for logs.
std::string redactConnectionString(const std::string& connectionString);

}  // namespace parley::db
