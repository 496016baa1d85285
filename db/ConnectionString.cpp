#include "db/ConnectionString.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace parley::db {

namespace {

constexpr char kSqlitePrefix[] = "sqlite:";
constexpr char kOdbcPrefix[] = "odbc:";

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

bool startsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

struct Attribute {
    std::string key;       // as written
    std::string value;     // as written, braces included
    bool assigned = true;  // false for a bare word without '='
};

// ODBC attributes are `key=value` separated by ';'; a value in braces may hold ';'.
std::vector<Attribute> splitAttributes(const std::string& text) {
    std::vector<Attribute> out;
    std::string current;
    int depth = 0;
    auto flush = [&] {
        const std::string item = trim(current);
        current.clear();
        if (item.empty()) return;
        const auto eq = item.find('=');
        if (eq == std::string::npos) out.push_back({item, std::string(), false});
        else out.push_back({trim(item.substr(0, eq)), item.substr(eq + 1), true});
    };
    for (char c : text) {
        if (c == '{') ++depth;
        else if (c == '}' && depth > 0) --depth;
        if (c == ';' && depth == 0) flush();
        else current += c;
    }
    flush();
    return out;
}

std::string joinAttributes(const std::vector<Attribute>& attributes) {
    std::string out;
    for (const Attribute& a : attributes) {
        if (!out.empty()) out += ';';
        out += a.key;
        if (a.assigned) out += '=' + a.value;
    }
    return out;
}

std::optional<Dialect> dialectFromName(const std::string& name) {
    const std::string n = lower(trim(name));
    if (n == "mysql" || n == "mariadb") return Dialect::MySql;
    if (n == "mssql" || n == "sqlserver") return Dialect::MsSql;
    return std::nullopt;
}

Result invalid(const std::string& why) { return Result{Status::Error, "invalid connection string: " + why}; }

ValueResult<ConnectionSpec> parseOdbc(const std::string& body) {
    ConnectionSpec spec;
    spec.backend = Backend::Odbc;
    if (body.find('=') == std::string::npos) {
        // A bare DSN name; Qt's driver prefixes "DSN=".
        spec.target = trim(body);
        return spec;
    }
    std::vector<Attribute> attributes = splitAttributes(body);
    std::vector<Attribute> kept;
    std::optional<Attribute> dsn;
    for (const Attribute& a : attributes) {
        const std::string key = lower(a.key);
        if (key == "dialect") {
            spec.dialectHint = dialectFromName(a.value);
            if (!spec.dialectHint) return invalid("unknown Dialect '" + a.value + "' (use mysql or mssql)");
        } else if (key == "dsn") {
            dsn = a;
        } else {
            kept.push_back(a);
        }
    }
    const std::string lowered = lower(body);
    const bool driverOrServer =
        lowered.find("driver=") != std::string::npos || lowered.find("server=") != std::string::npos;
    // Qt's QODBC uses the string verbatim only when it contains "DRIVER=" or "SERVER=";
    // otherwise it prefixes "DSN=" itself, so a "DSN=x;..." string must lose its own key
    // and lead with the name.
    if (dsn) {
        if (driverOrServer) kept.insert(kept.begin(), *dsn);
        else kept.insert(kept.begin(), Attribute{trim(dsn->value), std::string(), false});
    }
    spec.target = joinAttributes(kept);
    if (lower(spec.target).find(".dsn") != std::string::npos)
        return invalid(
            "Qt's ODBC driver reads any connection string containing \".dsn\" as a "
            "file DSN; rename the server, database or password");
    return spec;
}

}  // namespace

const char* toString(Dialect dialect) {
    switch (dialect) {
    case Dialect::Sqlite: return "sqlite";
    case Dialect::MySql: return "mysql";
    case Dialect::MsSql: return "mssql";
    }
    return "unknown";
}

ValueResult<ConnectionSpec> parseConnectionString(const std::string& connectionString) {
    const std::string text = trim(connectionString);
    if (startsWith(lower(text), kSqlitePrefix)) {
        ConnectionSpec spec;
        spec.backend = Backend::Sqlite;
        spec.target = text.substr(sizeof(kSqlitePrefix) - 1);
        if (spec.target.empty()) return invalid("sqlite: needs a file path");
        return spec;
    }
    if (startsWith(lower(text), kOdbcPrefix)) {
        const std::string body = trim(text.substr(sizeof(kOdbcPrefix) - 1));
        if (body.empty()) return invalid("odbc: needs a connection string or a DSN");
        return parseOdbc(body);
    }
    return invalid("expected sqlite:PATH or odbc:CONNECTION-STRING");
}

std::string redactConnectionString(const std::string& connectionString) {
    const std::string text = trim(connectionString);
    if (!startsWith(lower(text), kOdbcPrefix)) return text;
    std::vector<Attribute> attributes = splitAttributes(text.substr(sizeof(kOdbcPrefix) - 1));
    for (Attribute& a : attributes) {
        const std::string key = lower(a.key);
        if (key == "pwd" || key == "password") a.value = "***";
    }
    return kOdbcPrefix + joinAttributes(attributes);
}

}  // namespace parley::db
