#include "db/SchemaMigrator.h"

#include "db/SchemaScripts.h"
#include "db/SqlConnection.h"
#include "db/Store.h"

#include <sstream>

namespace parley::db {

namespace {

constexpr char kVersionMarker[] = "-- @version ";

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

Result scriptError(int line, const std::string& what) {
    return Result{Status::Error, "schema script line " + std::to_string(line) + ": " + what};
}

}  // namespace

ValueResult<std::vector<SchemaStep>> parseSchemaScript(const std::string& script) {
    std::vector<SchemaStep> steps;
    std::istringstream in(script);
    std::string line;
    std::string statement;
    int lineNumber = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        const std::string text = trim(line);
        if (text.rfind(kVersionMarker, 0) == 0) {
            if (!trim(statement).empty())
                return scriptError(lineNumber, "statement without ';' before a version marker");
            if (!steps.empty() && steps.back().statements.empty())
                return scriptError(lineNumber, "the previous step has no statements");
            int version = 0;
            try {
                version = std::stoi(text.substr(sizeof(kVersionMarker) - 1));
            } catch (const std::exception&) {
                return scriptError(lineNumber, "bad version number");
            }
            if (version <= (steps.empty() ? 0 : steps.back().version))
                return scriptError(lineNumber, "versions must increase (and start above 0)");
            steps.push_back(SchemaStep{version, {}});
            continue;
        }
        if (text.empty() || text.rfind("--", 0) == 0) continue;
        if (steps.empty()) return scriptError(lineNumber, "statement before the first \"-- @version N\"");
        statement += line;
        statement += '\n';
        if (text.back() == ';') {
            std::string complete = trim(statement);
            complete.pop_back();  // the ';'
            steps.back().statements.push_back(trim(complete));
            statement.clear();
        }
    }
    if (!trim(statement).empty()) return scriptError(lineNumber, "the last statement has no ';'");
    if (steps.empty() || steps.back().statements.empty()) return Result{Status::Error, "schema script has no steps"};
    return steps;
}

ValueResult<int> SchemaMigrator::currentVersion() {
    // Ask the database itself, scoped to the current database: the ODBC catalog
    // listing (QSqlDatabase::tables) is not reliably limited to it with MariaDB
    // Connector/ODBC, and another database's schema_version made a fresh one
    // look migrated.
    QString existsSql;
    switch (m_connection.dialect()) {
    case Dialect::Sqlite:
        existsSql =
            QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
        break;
    case Dialect::MySql:
        existsSql = QStringLiteral(
            "SELECT COUNT(*) FROM information_schema.tables "
            "WHERE table_schema = DATABASE() AND table_name = 'schema_version'");
        break;
    case Dialect::MsSql:
        existsSql = QStringLiteral(
            "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'schema_version' "
            "AND TABLE_CATALOG = DB_NAME()");
        break;
    }
    {
        QSqlQuery* probe = nullptr;
        Result r = m_connection.execute(existsSql, {}, &probe);
        if (!r.ok()) return r;
        QueryScope probeScope(probe);
        if (!probe->next())
            return m_connection.failure(probe->lastError(), QStringLiteral("looking for schema_version"));
        if (probe->value(0).toInt() == 0) return 0;
    }
    QSqlQuery* q = nullptr;
    Result r = m_connection.execute(QStringLiteral("SELECT MAX(version) FROM schema_version"), {}, &q);
    if (!r.ok()) return r;
    QueryScope scope(q);
    if (!q->next()) return m_connection.failure(q->lastError(), QStringLiteral("reading schema_version"));
    return q->value(0).isNull() ? 0 : q->value(0).toInt();
}

Result SchemaMigrator::migrate() {
    const std::string script = schemaScript(m_connection.dialect());
    ValueResult<std::vector<SchemaStep>> steps = parseSchemaScript(script);
    if (steps.ok() && steps.value.back().version != kSchemaVersion)
        return Result{Status::Error, std::string("db/schema/") + toString(m_connection.dialect()) +
                                         ".sql ends at a version other than kSchemaVersion"};
    return migrate(script);
}

Result SchemaMigrator::migrate(const std::string& script) {
    ValueResult<std::vector<SchemaStep>> steps = parseSchemaScript(script);
    if (!steps.ok()) return steps.result();
    const int latest = steps.value.back().version;
    const std::string dialect = toString(m_connection.dialect());
    for (const SchemaStep& step : steps.value) {
        // The version is read inside the transaction: with SQLite's BEGIN IMMEDIATE two
        // processes opening a new database at once apply each step once.
        TransactionScope transaction(m_connection);
        if (Result r = transaction.begin(); !r.ok()) return r;
        ValueResult<int> current = currentVersion();
        if (!current.ok()) return current.result();
        if (current.value > latest)
            return Result{Status::Error, "the database has schema version " + std::to_string(current.value) +
                                             ", newer than this build supports (" + std::to_string(latest) +
                                             "); upgrade Parley"};
        if (current.value >= step.version) continue;  // the scope rolls back the empty transaction
        for (const std::string& statement : step.statements) {
            Result r = m_connection.executeOnce(QString::fromStdString(statement));
            if (!r.ok()) {
                r.error = "schema " + dialect + " step " + std::to_string(step.version) + ": " + r.error;
                return r;
            }
        }
        Result r =
            m_connection.executeOnce(QStringLiteral("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)"),
                                     {step.version, sqlNowMs()});
        if (!r.ok()) return r;
        if (r = transaction.commit(); !r.ok()) return r;
    }
    return {};
}

}  // namespace parley::db
