// HistoryStore on real SQLite files: schema, duplicates, outbox, pages, FTS5 find,
// and the failures a person meets (a corrupt file, a read-only profile).

#include "client-gui/core/HistoryStore.h"
#include "tests/client-gui/core/GuiTestSupport.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

using namespace parley::gui;
using namespace parley::gui::test;
using parley::test::TempDir;

BOOST_AUTO_TEST_SUITE(history_store)

BOOST_AUTO_TEST_CASE(messages_outbox_and_states_survive_a_reopen) {
    TempDir dir;
    const QString path = qstr(dir.path() / "a" / "history.sqlite");
    {
        HistoryStore store;
        BOOST_TEST_REQUIRE(store.open(path), store.errorString().toStdString());
        BOOST_TEST(store.isPersistent());
        BOOST_TEST(store.addIncoming(8, 8, 100, 1000, QStringLiteral("hi alice")).rowId > 0);
        // The same (sender, id) again: a re-delivery, not a second row.
        BOOST_TEST(store.addIncoming(8, 8, 100, 1000, QStringLiteral("hi alice")).rowId == 0);
        BOOST_TEST(store.addOutgoing(8, 7, 200, 2000, QStringLiteral("hi bob")).rowId > 0);
        BOOST_TEST(store.addOutgoing(8, 7, 201, 2001, QStringLiteral("still there?")).rowId > 0);
        BOOST_TEST(store.setState(200, DeliveryState::Delivered));
    }
    HistoryStore store;
    BOOST_TEST_REQUIRE(store.open(path));
    BOOST_TEST(store.count(8) == 3);
    const QVector<OutboxEntry> outbox = store.outbox();
    BOOST_TEST_REQUIRE(outbox.size() == 1);
    BOOST_TEST(outbox[0].messageId == 201u);
    BOOST_TEST(outbox[0].text == QStringLiteral("still there?"));
    BOOST_TEST(store.maxOwnMessageId() == 201u);
    const QVector<StoredMessage> rows = store.page(8, 0, 100);
    BOOST_TEST_REQUIRE(rows.size() == 3);
    BOOST_TEST((rows[1].state == DeliveryState::Delivered));
    BOOST_TEST((rows[2].state == DeliveryState::Sending));

    // The schema is versioned.
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe"));
    db.setDatabaseName(path);
    BOOST_TEST_REQUIRE(db.open());
    {
        QSqlQuery version(db);
        BOOST_TEST_REQUIRE((version.exec(QStringLiteral("PRAGMA user_version")) && version.next()));
        BOOST_TEST(version.value(0).toInt() == HistoryStore::kSchemaVersion);
        QSqlQuery journal(db);
        BOOST_TEST_REQUIRE((journal.exec(QStringLiteral("PRAGMA journal_mode")) && journal.next()));
        BOOST_TEST(journal.value(0).toString() == QStringLiteral("wal"));
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("probe"));
}

BOOST_AUTO_TEST_CASE(pages_come_oldest_first_and_find_uses_words_as_prefixes) {
    TempDir dir;
    HistoryStore store;
    BOOST_TEST_REQUIRE(store.open(qstr(dir.path() / "h.sqlite")));
    store.begin();
    for (int i = 1; i <= 250; ++i) {
        const QString text = i % 50 == 0 ? QStringLiteral("meeting at %1").arg(i) : QStringLiteral("line %1").arg(i);
        store.addIncoming(8, 8, static_cast<quint64>(i), i, text);
    }
    BOOST_TEST(store.commit());
    const QVector<StoredMessage> newest = store.page(8, 0, 100);
    BOOST_TEST_REQUIRE(newest.size() == 100);
    BOOST_TEST(newest.first().text == QStringLiteral("line 151"));
    BOOST_TEST(newest.last().text == QStringLiteral("meeting at 250"));
    const QVector<StoredMessage> older = store.page(8, newest.first().rowId, 100);
    BOOST_TEST(older.last().text == QStringLiteral("meeting at 150"));

    BOOST_TEST(store.find(8, QStringLiteral("meet")).size() == 5);
    BOOST_TEST(store.find(8, QStringLiteral("meeting 100")).size() == 1);
    BOOST_TEST(store.find(9, QStringLiteral("meeting")).isEmpty());  // another conversation
    // What a person types is never FTS5 syntax.
    BOOST_TEST(store.find(8, QStringLiteral("\"meeting OR (")).isEmpty());
    BOOST_TEST(store.find(8, QStringLiteral("   ")).isEmpty());
}

BOOST_AUTO_TEST_CASE(find_sees_a_burst_transaction_and_a_schema_1_history_after_the_upgrade) {
    TempDir dir;
    const QString path = qstr(dir.path() / "history.sqlite");
    {
        HistoryStore store;
        BOOST_TEST_REQUIRE(store.open(path), store.errorString().toStdString());
        store.begin();
        for (int i = 0; i < 500; ++i)
            store.addIncoming(8, 8, static_cast<quint64>(i + 1), 1000 + i, QStringLiteral("burst %1").arg(i));
        BOOST_TEST(store.commit());
        BOOST_TEST(store.find(8, QStringLiteral("burst")).size() == 500);
        BOOST_TEST(store.find(8, QStringLiteral("499")).size() == 1);
    }
    {
        // Back to what schema 1 was: the index filled by a trigger, no progress row (and no
        // pending_file of schema 3);
        // one more message written the schema-1 way.
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("downgrade"));
        db.setDatabaseName(path);
        BOOST_TEST_REQUIRE(db.open());
        for (const char* sql : {"DROP TABLE pending_file", "DROP TABLE fts_progress",
                                "CREATE TRIGGER message_fts_insert AFTER INSERT ON message BEGIN"
                                "  INSERT INTO message_fts(rowid, text) VALUES (new.id, new.text); END",
                                "INSERT INTO message(peer, sender, message_id, time_ms, text, outgoing, state)"
                                "  VALUES (8, 8, 9000, 5000, 'written by schema one', 0, 0)",
                                "PRAGMA user_version=1"}) {
            QSqlQuery query(db);
            BOOST_TEST_REQUIRE(query.exec(QString::fromLatin1(sql)), sql);
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("downgrade"));
    }
    HistoryStore store;
    BOOST_TEST_REQUIRE(store.open(path), store.errorString().toStdString());
    BOOST_TEST(store.addIncoming(8, 8, 9001, 6000, QStringLiteral("written by schema two")).rowId > 0);
    BOOST_TEST(store.find(8, QStringLiteral("schema")).size() == 2);  // none twice, none missing
    BOOST_TEST(store.find(8, QStringLiteral("one")).size() == 1);
    BOOST_TEST(store.find(8, QStringLiteral("burst")).size() == 500);
}

BOOST_AUTO_TEST_CASE(a_corrupt_file_is_reported_and_the_store_still_works_in_memory) {
    TempDir dir;
    const auto file = dir.path() / "history.sqlite";
    std::ofstream(file) << std::string(8192, 'x');  // not a database
    HistoryStore store;
    BOOST_TEST(!store.open(qstr(file)));
    BOOST_TEST(!store.isPersistent());
    BOOST_TEST(store.errorString().contains(QStringLiteral("history.sqlite")), store.errorString().toStdString());
    BOOST_TEST(store.addIncoming(8, 8, 1, 1, QStringLiteral("still shown")).rowId > 0);
    BOOST_TEST(store.page(8, 0, 10).size() == 1);
    // The broken file is left as it was, for the person to look at.
    BOOST_TEST(std::filesystem::file_size(file) == 8192u);
}

BOOST_AUTO_TEST_CASE(an_unusable_profile_folder_is_reported_and_the_store_still_works_in_memory) {
    // A file where the account's folder should be: the folder cannot be made. (The
    // suites run as root too, where permission bits do not stop a write.)
    TempDir dir;
    std::ofstream(dir.path() / "accounts") << "not a folder";
    HistoryStore store;
    BOOST_TEST(!store.open(qstr(dir.path() / "accounts" / "bob" / "history.sqlite")));
    BOOST_TEST(store.errorString().contains(QStringLiteral("cannot create the folder")),
               store.errorString().toStdString());
    BOOST_TEST(store.addOutgoing(8, 7, 1, 1, QStringLiteral("queued anyway")).rowId > 0);
    BOOST_TEST(store.outbox().size() == 1);
}

BOOST_AUTO_TEST_CASE(a_store_that_was_never_opened_fails_cleanly) {
    HistoryStore store;
    BOOST_TEST(store.addIncoming(8, 8, 1, 1, QStringLiteral("x")).rowId == 0);
    BOOST_TEST(!store.setState(1, DeliveryState::Delivered));
    BOOST_TEST(store.outbox().isEmpty());
    BOOST_TEST(store.page(8, 0, 10).isEmpty());
    BOOST_TEST(!store.lastWriteError().isEmpty());
}

BOOST_AUTO_TEST_SUITE_END()
