#include "tests/db/TestDatabase.h"

#include <boost/test/unit_test.hpp>

#include <QCoreApplication>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QTemporaryDir>
#include <QVariant>

#include <atomic>
#include <cstdlib>

namespace parley::db::test {

namespace {

QString uniqueName(const char* prefix) {
    static std::atomic<int> counter{0};
    return QStringLiteral("%1-%2").arg(QLatin1String(prefix)).arg(++counter);
}

bool startsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// Adds a raw connection for a Store connection string (no Parley code involved).
QSqlDatabase addRaw(const std::string& connectionString, const QString& name) {
    if (startsWith(connectionString, "sqlite:")) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(QString::fromStdString(connectionString.substr(7)));
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        return db;
    }
    BOOST_REQUIRE_MESSAGE(startsWith(connectionString, "odbc:"), "unknown connection string");
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QODBC"), name);
    db.setDatabaseName(QString::fromStdString(connectionString.substr(5)));
    return db;
}

template <typename Body>
void withRaw(const std::string& connectionString, Body body) {
    const QString name = uniqueName("raw");
    {
        QSqlDatabase db = addRaw(connectionString, name);
        BOOST_REQUIRE_MESSAGE(db.open(), "raw connection: " << db.lastError().text().toStdString());
        body(db);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

}  // namespace

const char* backendName() { return kBackend == TestBackend::Sqlite ? "sqlite" : "mariadb"; }

std::string mariaDbBaseConnection() {
    const char* file = std::getenv("PARLEY_TEST_ODBC_FILE");
    if (file == nullptr || *file == '\0')
        BOOST_FAIL(
            "PARLEY_TEST_ODBC_FILE is not set. Run this suite through ctest (the fixture "
            "'mariadb' starts the private server), or run scripts/mariadb-instance "
            "start DIR and export PARLEY_TEST_ODBC_FILE=DIR/odbc.txt");
    QFile in(QString::fromLocal8Bit(file));
    if (!in.open(QIODevice::ReadOnly))
        BOOST_FAIL("cannot read the ODBC connection string file "
                   << file << " (PARLEY_TEST_ODBC_FILE): did the ctest fixture mariadb_start fail?");
    const std::string text = QString::fromUtf8(in.readAll()).trimmed().toStdString();
    if (text.empty()) BOOST_FAIL("the ODBC connection string file " << file << " is empty");
    return "odbc:" + text;
}

std::string withDatabase(const std::string& odbc, const std::string& database) {
    QStringList parts = QString::fromStdString(odbc).split(QLatin1Char(';'));
    bool replaced = false;
    for (QString& part : parts) {
        if (part.trimmed().startsWith(QStringLiteral("database="), Qt::CaseInsensitive)) {
            part = QStringLiteral("Database=") + QString::fromStdString(database);
            replaced = true;
        }
    }
    if (!replaced) parts << QStringLiteral("Database=") + QString::fromStdString(database);
    return parts.join(QLatin1Char(';')).toStdString();
}

void execRaw(const std::string& connectionString, const std::vector<std::string>& statements) {
    withRaw(connectionString, [&](QSqlDatabase& db) {
        for (const std::string& sql : statements) {
            QSqlQuery q(db);
            BOOST_REQUIRE_MESSAGE(q.exec(QString::fromStdString(sql)),
                                  sql << ": " << q.lastError().text().toStdString());
        }
    });
}

std::string queryRaw(const std::string& connectionString, const std::string& sql) {
    std::string out;
    withRaw(connectionString, [&](QSqlDatabase& db) {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        BOOST_REQUIRE_MESSAGE(q.exec(QString::fromStdString(sql)), sql << ": " << q.lastError().text().toStdString());
        if (q.next()) out = q.value(0).toString().toStdString();
    });
    return out;
}

struct TestDatabase::Private {
    QTemporaryDir dir;
};

TestDatabase::TestDatabase() {
    if (kBackend == TestBackend::Sqlite) {
        m_private = std::make_unique<Private>();
        BOOST_REQUIRE(m_private->dir.isValid());
        m_folder = m_private->dir.path().toStdString();
        m_connectionString = "sqlite:" + m_folder + "/parley.sqlite";
        return;
    }
    const std::string base = mariaDbBaseConnection();
    static std::atomic<int> counter{0};
    m_database = "parley_t_" + std::to_string(QCoreApplication::applicationPid()) + "_" + std::to_string(++counter);
    execRaw(base, {"DROP DATABASE IF EXISTS " + m_database,
                   "CREATE DATABASE " + m_database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"});
    m_connectionString = withDatabase(base, m_database);
}

TestDatabase::~TestDatabase() {
    if (m_database.empty()) return;
    // Best effort: a failing drop must not turn into a second failure in a destructor.
    const QString name = uniqueName("drop");
    {
        QSqlDatabase db = addRaw(mariaDbBaseConnection(), name);
        if (db.open()) {
            QSqlQuery q(db);
            q.exec(QString::fromStdString("DROP DATABASE IF EXISTS " + m_database));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

RawConnection::RawConnection(const std::string& connectionString) : m_name(uniqueName("held").toStdString()) {
    QSqlDatabase db = addRaw(connectionString, QString::fromStdString(m_name));
    BOOST_REQUIRE_MESSAGE(db.open(), "raw connection: " << db.lastError().text().toStdString());
}

RawConnection::~RawConnection() {
    {
        QSqlDatabase db = QSqlDatabase::database(QString::fromStdString(m_name), false);
        db.close();
    }
    QSqlDatabase::removeDatabase(QString::fromStdString(m_name));
}

bool RawConnection::exec(const std::string& sql) {
    QSqlDatabase db = QSqlDatabase::database(QString::fromStdString(m_name), false);
    QSqlQuery q(db);
    return q.exec(QString::fromStdString(sql));
}

}  // namespace parley::db::test
