// The models the widgets show: the contact list (sorted, filtered, 10,000 rows) and a
// conversation (pages of 100, day starts, states, a burst inserted in one batch).

#include "client-gui/core/AccountPaths.h"
#include "client-gui/core/ClientSettings.h"
#include "client-gui/core/ContactFilterModel.h"
#include "client-gui/core/ContactListModel.h"
#include "client-gui/core/ConversationModel.h"
#include "client-gui/core/HistoryStore.h"
#include "client-gui/core/LocalTimeCache.h"
#include "client-gui/core/ServerAddress.h"
#include "tests/client-gui/core/GuiTestSupport.h"

#include <QDateTime>
#include <QSignalSpy>

#include <boost/test/unit_test.hpp>

using namespace parley::gui;
using namespace parley::gui::test;
using parley::test::TempDir;

namespace {

ContactEntry user(quint32 id, const QString& name, bool online) {
    return ContactEntry{id, name, name, online, false, 0, {}, 0};
}

QStringList names(const ContactFilterModel& model) {
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row) {
        out << model.index(row, 0).data(ContactListModel::NameRole).toString();
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(models)

BOOST_AUTO_TEST_CASE(server_address_parses_what_people_type) {
    const auto plain = ServerAddress::parse(QStringLiteral(" chat.example.org "));
    BOOST_TEST_REQUIRE(plain.has_value());
    BOOST_TEST(plain->port == ServerAddress::kDefaultPort);
    BOOST_TEST(ServerAddress::parse(QStringLiteral("10.0.0.1:9000"))->port == 9000);
    BOOST_TEST(ServerAddress::parse(QStringLiteral("[::1]:9000"))->host == QStringLiteral("::1"));
    BOOST_TEST(ServerAddress::parse(QStringLiteral("[::1]:9000"))->toString() == QStringLiteral("[::1]:9000"));
    BOOST_TEST(!ServerAddress::parse(QStringLiteral("host:0")).has_value());
    BOOST_TEST(!ServerAddress::parse(QStringLiteral("host:70000")).has_value());
    BOOST_TEST(!ServerAddress::parse(QStringLiteral(":7878")).has_value());
    BOOST_TEST(!ServerAddress::parse(QString()).has_value());
}

BOOST_AUTO_TEST_CASE(profile_paths_and_remembered_logins) {
    TempDir dir;
    const AccountPaths paths(qstr(dir.path()));
    const ServerAddress server{QStringLiteral("Chat.Example.org"), 7878};
    BOOST_TEST(paths.settingsFile() == qstr(dir.path() / "parley-client.ini"));
    // Any user name is one folder inside the profile, and names differing in case stay apart.
    const QString odd = paths.accountDir(server, QStringLiteral("../Bob"));
    BOOST_TEST(odd.startsWith(qstr(dir.path() / "accounts") + QLatin1Char('/')));
    BOOST_TEST(!odd.contains(QStringLiteral("/../")));
    BOOST_TEST(paths.accountDir(server, QStringLiteral("bob")) != paths.accountDir(server, QStringLiteral("Bob")));
    BOOST_TEST(paths.historyFile(server, QStringLiteral("bob")).endsWith(QStringLiteral("/history.sqlite")));

    {
        ClientSettings settings(paths);
        settings.rememberLogin(server, QStringLiteral("bob"));
        settings.rememberLogin({QStringLiteral("10.0.0.2"), 9000}, QStringLiteral("alice"));
        settings.rememberLogin(server, QStringLiteral("carol"));
        BOOST_TEST(settings.sync());
    }
    ClientSettings settings(paths);
    BOOST_TEST(settings.servers() ==
               (QStringList{QStringLiteral("Chat.Example.org:7878"), QStringLiteral("10.0.0.2:9000")}));
    BOOST_TEST(settings.userNames(server) == (QStringList{QStringLiteral("carol"), QStringLiteral("bob")}));
    BOOST_TEST(settings.lastServer() == QStringLiteral("Chat.Example.org:7878"));
    BOOST_TEST(settings.lastUserName() == QStringLiteral("carol"));
}

BOOST_AUTO_TEST_CASE(contacts_show_the_room_first_then_online_then_by_name_and_filter) {
    ContactListModel list;
    ContactFilterModel view;
    view.setSourceModel(&list);
    ContactEntry room = user(kRoomPeerId, QStringLiteral("room"), true);
    room.isRoom = true;
    list.setContacts({user(3, QStringLiteral("carol"), false), user(2, QStringLiteral("Bob"), true), room,
                      user(4, QStringLiteral("alice"), false), user(5, QStringLiteral("dave"), true)});
    BOOST_TEST(names(view) == (QStringList{QStringLiteral("room"), QStringLiteral("Bob"), QStringLiteral("dave"),
                                           QStringLiteral("alice"), QStringLiteral("carol")}));

    list.setOnline(4, true);  // alice comes online: she moves up
    BOOST_TEST(names(view).at(1) == QStringLiteral("alice"));

    view.setFilterText(QStringLiteral("AR"));
    BOOST_TEST(names(view) == QStringList{QStringLiteral("carol")});
    view.setFilterText(QString());
    BOOST_TEST(view.rowCount() == 5);

    list.addUnread(2, 3);
    list.setLastMessage(2, QStringLiteral("see you"), 1000);
    BOOST_TEST(list.unreadTotal() == 3);
    // A reload of the user list (a reconnect) keeps unread counts and previews.
    list.setContacts({user(2, QStringLiteral("Bob"), false)});
    BOOST_TEST(list.find(2)->unread == 3);
    BOOST_TEST(list.find(2)->lastPreview == QStringLiteral("see you"));
}

BOOST_AUTO_TEST_CASE(ten_thousand_contacts_are_one_reset) {
    ContactListModel list;
    ContactFilterModel view;
    view.setSourceModel(&list);
    QVector<ContactEntry> many;
    for (quint32 id = 1; id <= 10000; ++id) {
        many.append(user(id, QStringLiteral("user%1").arg(id, 5, 10, QLatin1Char('0')), id % 7 == 0));
    }
    QSignalSpy resets(&list, &QAbstractItemModel::modelReset);
    list.setContacts(many);
    BOOST_TEST(resets.count() == 1);
    BOOST_TEST(view.rowCount() == 10000);
    BOOST_TEST(view.index(0, 0).data(ContactListModel::OnlineRole).toBool());
    QSignalSpy changes(&list, &QAbstractItemModel::dataChanged);
    list.setOnline(5000, true);
    BOOST_TEST(changes.count() == 1);  // one row, not the list
    BOOST_TEST(list.rowOf(5000) == 4999);
}

BOOST_AUTO_TEST_CASE(a_conversation_loads_pages_of_100_from_the_newest) {
    TempDir dir;
    HistoryStore store;
    BOOST_TEST_REQUIRE(store.open(qstr(dir.path() / "h.sqlite")));
    // 250 messages over three days, one every ~17 minutes.
    const qint64 start = QDateTime(QDate(2026, 3, 1), QTime(0, 0)).toMSecsSinceEpoch();
    store.begin();
    for (int i = 0; i < 250; ++i) {
        store.addIncoming(8, 8, static_cast<quint64>(i + 1), start + qint64(i) * 17 * 60 * 1000,
                          QStringLiteral("m%1").arg(i));
    }
    store.commit();

    ConversationModel model(store, 8);
    BOOST_TEST(model.rowCount() == ConversationModel::kPageSize);
    BOOST_TEST(model.index(99).data(ConversationModel::TextRole).toString() == QStringLiteral("m249"));
    BOOST_TEST(model.canFetchMore({}));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.fetchMore({});
    BOOST_TEST(model.rowCount() == 200);
    BOOST_TEST(inserted.count() == 1);
    BOOST_TEST(inserted.at(0).at(1).toInt() == 0);  // prepended
    model.fetchMore({});
    BOOST_TEST(model.rowCount() == 250);
    BOOST_TEST(!model.canFetchMore({}));
    BOOST_TEST(model.index(0).data(ConversationModel::TextRole).toString() == QStringLiteral("m0"));

    // Day starts: the first row, then the first message after each midnight.
    int dayStarts = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        dayStarts += model.index(row).data(ConversationModel::DayStartRole).toBool() ? 1 : 0;
    }
    BOOST_TEST(dayStarts == 3);
}

BOOST_AUTO_TEST_CASE(find_loads_older_pages_as_far_as_the_oldest_match) {
    TempDir dir;
    HistoryStore store;
    BOOST_TEST_REQUIRE(store.open(qstr(dir.path() / "h.sqlite")));
    store.begin();
    for (int i = 0; i < 300; ++i) {
        store.addIncoming(8, 8, static_cast<quint64>(i + 1), i,
                          i == 10 || i == 290 ? QStringLiteral("the invoice") : QStringLiteral("chat"));
    }
    store.commit();
    ConversationModel model(store, 8);
    const QVector<int> rows = model.find(QStringLiteral("invoice"));
    BOOST_TEST_REQUIRE(rows.size() == 2);
    BOOST_TEST(model.index(rows[0]).data(ConversationModel::TextRole).toString() == QStringLiteral("the invoice"));
    BOOST_TEST(model.index(rows[1]).data(ConversationModel::TextRole).toString() == QStringLiteral("the invoice"));
    BOOST_TEST(rows[1] == model.rowCount() - 10);
}

BOOST_AUTO_TEST_CASE(a_burst_of_10000_is_inserted_in_one_batch_and_states_follow) {
    TempDir dir;
    HistoryStore store;
    BOOST_TEST_REQUIRE(store.open(qstr(dir.path() / "h.sqlite")));
    ConversationModel model(store, 8);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    store.begin();
    for (int i = 0; i < 10000; ++i) {
        model.append(store.addIncoming(8, 8, static_cast<quint64>(i + 1), i, QStringLiteral("burst")));
    }
    store.commit();
    const StoredMessage own = store.addOutgoing(8, 7, 77, 20000, QStringLiteral("mine"));
    model.append(own);
    BOOST_TEST(model.rowCount() == 0);  // not yet: on the next event-loop turn
    BOOST_TEST(waitFor([&] { return model.rowCount() == 10001; }));
    BOOST_TEST(inserted.count() == 1);

    model.setState(77, DeliveryState::Delivered);
    BOOST_TEST(model.index(10000).data(ConversationModel::StateRole).toInt() ==
               static_cast<int>(DeliveryState::Delivered));
    BOOST_TEST(model.index(10000).data(ConversationModel::OutgoingRole).toBool());
}

BOOST_AUTO_TEST_CASE(the_local_time_cache_agrees_with_qdatetime_across_daylight_saving_changes) {
    // A zone with daylight saving time, whatever the machine's zone is; restored after.
    const QByteArray oldTz = qgetenv("TZ");
    const bool hadTz = qEnvironmentVariableIsSet("TZ");
    qputenv("TZ", "Europe/Berlin");
    LocalTimeCache cache;
    int mismatches = 0;
    // Every 7 minutes and 13 seconds over 2026 (both changes: 29 March, 25 October).
    const qint64 from = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    const qint64 to = QDateTime(QDate(2027, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    for (qint64 ms = from; ms < to; ms += 433000) {
        const QDateTime expected = QDateTime::fromMSecsSinceEpoch(ms);
        const QDateTime got = cache.toLocal(ms);
        mismatches += got.date() != expected.date() || got.time() != expected.time() ? 1 : 0;
    }
    const QDateTime summer = cache.toLocal(QDateTime(QDate(2026, 7, 1), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch());
    if (hadTz) {
        qputenv("TZ", oldTz);
    } else {
        qunsetenv("TZ");
    }
    BOOST_TEST(mismatches == 0);
    BOOST_TEST((summer.time() == QTime(14, 0)),
               summer.toString(Qt::ISODate).toStdString());  // CEST: the zone was in use
}

BOOST_AUTO_TEST_SUITE_END()
