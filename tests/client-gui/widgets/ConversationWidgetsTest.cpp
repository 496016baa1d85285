// Two desktop clients against a real server, driven through their windows: double-click
// a contact, type, Enter; the other side's window shows it; states, typing, find,
// notifications and the keyboard paths (Ctrl+K, Enter, Esc, Ctrl+Tab).
#include "tests/client-gui/widgets/GuiClient.h"

#include "client-gui/core/ContactFilterModel.h"
#include "client-gui/core/ContactListModel.h"
#include "client-gui/core/ConversationModel.h"
#include "client-gui/core/HistoryStore.h"
#include "client-gui/widgets/ChatWindow.h"
#include "client-gui/widgets/ConversationView.h"
#include "client-gui/widgets/HistoryView.h"
#include "client-gui/widgets/MainWindow.h"
#include "client-gui/widgets/MessageEdit.h"
#include "client-gui/widgets/TrayNotifier.h"

#include <boost/test/unit_test.hpp>

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QDateTime>
#include <QScrollBar>
#include <QTest>

using namespace parley::gui;
using namespace parley::gui::test;

namespace {

/// The conversation with `peer` as `client`'s chat window shows it (nullptr if not open).
ConversationView* openView(GuiClient& client, quint32 peer) { return client.app().chatWindow().conversationView(peer); }

/// Double-clicks `peerName` in `client`'s contact list; returns the conversation it opened.
ConversationView* doubleClickContact(GuiClient& client, const QString& peerName) {
    auto* list = child<QListView>(client.app().mainWindow(), "contactList");
    BOOST_TEST_REQUIRE(waitUntil([&] { return list->model()->rowCount() > 1; }), "the contact list stayed empty");
    BOOST_TEST_REQUIRE(doubleClickRow(*list, ContactListModel::NameRole, peerName),
                       "no row for " << peerName.toStdString());
    ConversationView* view = client.app().chatWindow().currentView();
    BOOST_TEST_REQUIRE(view != nullptr, "double-click opened no conversation");
    return view;
}

/// Types `text` into the view's message field and presses Enter.
void typeAndSend(ConversationView& view, const QString& text) {
    auto* edit = child<MessageEdit>(view, "messageEdit");
    QTest::keyClicks(edit, text);
    QTest::keyClick(edit, Qt::Key_Return);
}

/// The newest row of a conversation.
QModelIndex newest(ConversationView& view) {
    QAbstractItemModel& model = view.history().conversation();
    return model.index(model.rowCount() - 1, 0);
}

bool shows(ConversationView* view, const QString& text) {
    if (view == nullptr) return false;
    QAbstractItemModel& model = view->history().conversation();
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, 0).data(ConversationModel::TextRole).toString() == text) return true;
    }
    return false;
}

DeliveryState stateOfNewest(ConversationView& view) {
    return static_cast<DeliveryState>(newest(view).data(ConversationModel::StateRole).toInt());
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(conversation_widgets, AliceAndBob)

BOOST_AUTO_TEST_CASE(double_click_send_deliver_and_reply) {
    alice.logIn(server.port(), QStringLiteral("alice"));
    bob.logIn(server.port(), QStringLiteral("bob"));

    ConversationView* toBob = doubleClickContact(alice, QStringLiteral("bob"));
    BOOST_TEST(toBob->peerId() == bobId);
    BOOST_TEST(waitUntil([&] { return QApplication::focusWidget() == child<MessageEdit>(*toBob, "messageEdit"); }),
               "the message field has the focus when a conversation opens");
    typeAndSend(*toBob, QStringLiteral("Hi Bob, lunch today?"));
    BOOST_TEST(child<MessageEdit>(*toBob, "messageEdit")->toPlainText().isEmpty(), "Enter sent and cleared the field");
    BOOST_TEST(waitUntil([&] { return shows(toBob, QStringLiteral("Hi Bob, lunch today?")); }));
    BOOST_TEST(waitUntil([&] { return stateOfNewest(*toBob) == DeliveryState::Delivered; }),
               "alice's bubble did not reach 'delivered'");

    // Bob sees it in his list (unread), opens it there, and it is in his window.
    ContactListModel* bobContacts = bob.controller().contacts();
    BOOST_TEST(waitUntil([&] { return bobContacts->find(aliceId) && bobContacts->find(aliceId)->unread == 1; }));
    ConversationView* toAlice = doubleClickContact(bob, QStringLiteral("alice"));
    BOOST_TEST(waitUntil([&] { return shows(toAlice, QStringLiteral("Hi Bob, lunch today?")); }));
    BOOST_TEST(waitUntil([&] { return bobContacts->find(aliceId)->unread == 0; }), "opening it did not clear unread");
    BOOST_TEST(waitUntil([&] { return stateOfNewest(*toBob) == DeliveryState::Read; }),
               "alice's bubble did not reach 'read' once bob's conversation was visible");

    typeAndSend(*toAlice, QStringLiteral("Sure! 12:30?"));
    BOOST_TEST(waitUntil([&] { return shows(toBob, QStringLiteral("Sure! 12:30?")); }),
               "alice's window did not show the reply");
    // alice's conversation is the current tab, but bob's window is the active one: not read yet.
    BOOST_TEST(bob.app().chatWindow().isActiveWindow());
    BOOST_TEST(!alice.app().chatWindow().isActiveWindow());
    QTest::qWait(300);
    BOOST_TEST((stateOfNewest(*toAlice) != DeliveryState::Read), "read although alice's window is not active");
    // alice's window becomes active while the tab is current: the reply is read then.
    alice.activate(alice.app().chatWindow());
    BOOST_TEST(waitUntil([&] { return stateOfNewest(*toAlice) == DeliveryState::Read; }));
    BOOST_TEST(alice.app().chatWindow().openCount() == 1);
}

BOOST_AUTO_TEST_CASE(shift_enter_is_a_new_line) {
    alice.logIn(server.port(), QStringLiteral("alice"));
    ConversationView* toBob = doubleClickContact(alice, QStringLiteral("bob"));
    auto* edit = child<MessageEdit>(*toBob, "messageEdit");
    QTest::keyClicks(edit, QStringLiteral("first"));
    QTest::keyClick(edit, Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(edit, QStringLiteral("second"));
    BOOST_TEST(edit->toPlainText() == QStringLiteral("first\nsecond"));
    QTest::keyClick(edit, Qt::Key_Enter);  // the keypad's Enter sends too
    BOOST_TEST(waitUntil([&] { return shows(toBob, QStringLiteral("first\nsecond")); }));
    // Bob is offline: the server keeps it.
    BOOST_TEST(waitUntil([&] { return stateOfNewest(*toBob) == DeliveryState::Stored; }),
               "no 'stored' for an offline peer");
}

BOOST_AUTO_TEST_CASE(a_conversation_never_opens_twice) {
    alice.logIn(server.port(), QStringLiteral("alice"));
    ConversationView* first = doubleClickContact(alice, QStringLiteral("bob"));
    ConversationView* second = doubleClickContact(alice, QStringLiteral("bob"));
    BOOST_TEST(first == second);
    BOOST_TEST(alice.app().chatWindow().openCount() == 1);
}

BOOST_AUTO_TEST_CASE(typing_indicator_shows_at_the_peer) {
    alice.logIn(server.port(), QStringLiteral("alice"));
    bob.logIn(server.port(), QStringLiteral("bob"));
    ConversationView* toAlice = doubleClickContact(bob, QStringLiteral("alice"));
    auto* typing = child<QLabel>(*toAlice, "typingLabel");
    BOOST_TEST(typing->text().isEmpty());

    ConversationView* toBob = doubleClickContact(alice, QStringLiteral("bob"));
    QTest::keyClicks(child<MessageEdit>(*toBob, "messageEdit"), QStringLiteral("Hel"));
    BOOST_TEST(waitUntil([&] { return typing->text() == QStringLiteral("Alice Liddell is typing…"); }),
               "bob's window said '" << typing->text().toStdString() << "'");
    QTest::keyClick(child<MessageEdit>(*toBob, "messageEdit"), Qt::Key_Return);
    BOOST_TEST(waitUntil([&] { return shows(toAlice, QStringLiteral("Hel")) && typing->text().isEmpty(); }),
               "the indicator stayed after the message came");
}

BOOST_AUTO_TEST_CASE(find_over_the_history) {
    alice.logIn(server.port(), QStringLiteral("alice"));
    ConversationView* toBob = doubleClickContact(alice, QStringLiteral("bob"));
    for (const char* text : {"the blue door", "a red car", "blue skies", "green"}) {
        typeAndSend(*toBob, QString::fromUtf8(text));
    }
    BOOST_TEST_REQUIRE(waitUntil([&] { return toBob->history().conversation().rowCount() == 4; }));
    GuiClient::activate(alice.app().chatWindow());
    QTest::keyClick(&alice.app().chatWindow(), Qt::Key_F, Qt::ControlModifier);
    auto* findEdit = child<QLineEdit>(*toBob, "findEdit");
    BOOST_TEST_REQUIRE(findEdit->isVisible(), "Ctrl+F did not open the find bar");
    BOOST_TEST(QApplication::focusWidget() == findEdit);
    QTest::keyClicks(findEdit, QStringLiteral("blue"));
    QTest::keyClick(findEdit, Qt::Key_Return);
    auto* status = child<QLabel>(*toBob, "findStatus");
    BOOST_TEST(status->text() == QStringLiteral("2 of 2"));
    const auto selectedText = [&] {
        return toBob->history().currentIndex().data(ConversationModel::TextRole).toString();
    };
    BOOST_TEST(selectedText() == QStringLiteral("blue skies"));
    QTest::keyClick(findEdit, Qt::Key_Return);  // the next older match
    BOOST_TEST(selectedText() == QStringLiteral("the blue door"));
    BOOST_TEST(status->text() == QStringLiteral("1 of 2"));

    QTest::keyClicks(findEdit, QStringLiteral("x"));
    QTest::keyClick(findEdit, Qt::Key_Return);
    BOOST_TEST(status->text() == QStringLiteral("not found"));

    // Esc closes the find bar first, the conversation only with the second Esc.
    QTest::keyClick(findEdit, Qt::Key_Escape);
    BOOST_TEST(!findEdit->isVisible());
    BOOST_TEST(alice.app().chatWindow().openCount() == 1);
    BOOST_TEST(QApplication::focusWidget() == child<MessageEdit>(*toBob, "messageEdit"));
}

BOOST_AUTO_TEST_CASE(keyboard_only_ctrl_k_name_enter_message_enter_esc) {
    alice.logIn(server.port(), QStringLiteral("alice"));
    bob.logIn(server.port(), QStringLiteral("bob"));
    MainWindow& main = alice.app().mainWindow();
    GuiClient::activate(main);
    QTest::keyClick(&main, Qt::Key_K, Qt::ControlModifier);
    auto* search = child<QLineEdit>(main, "searchEdit");
    BOOST_TEST(QApplication::focusWidget() == search, "Ctrl+K did not focus the search box");
    QTest::keyClicks(search, QStringLiteral("bo"));
    BOOST_TEST(main.shownContacts()->rowCount() == 1, "the search filters as you type");
    QTest::keyClick(search, Qt::Key_Return);
    ConversationView* toBob = openView(alice, bobId);
    BOOST_TEST_REQUIRE(toBob != nullptr, "Enter in the search box opened nothing");
    auto* edit = child<MessageEdit>(*toBob, "messageEdit");
    BOOST_TEST_REQUIRE(waitUntil([&] { return QApplication::focusWidget() == edit; }),
                       "the message field does not have the focus");
    QTest::keyClicks(QApplication::focusWidget(), QStringLiteral("typed only"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    BOOST_TEST(waitUntil([&] {
                   return shows(openView(bob, aliceId), QStringLiteral("typed only")) ||
                          bob.controller().contacts()->find(aliceId)->lastPreview == QStringLiteral("typed only");
               }),
               "bob did not get the message");

    // A second conversation (the room), Ctrl+Tab between them, Esc closes them.
    alice.app().chatWindow().openConversation(kRoomPeerId);
    ChatWindow& chat = alice.app().chatWindow();
    BOOST_TEST(chat.currentView()->peerId() == kRoomPeerId);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab, Qt::ControlModifier);
    BOOST_TEST(chat.currentView()->peerId() == bobId);
    BOOST_TEST(QApplication::focusWidget() == edit);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    BOOST_TEST(chat.openCount() == 1);
    BOOST_TEST(chat.currentView()->peerId() == kRoomPeerId);
    // Ctrl+K from a conversation goes back to the search; Down moves into the list.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_K, Qt::ControlModifier);
    BOOST_TEST(waitUntil([&] { return QApplication::focusWidget() == search; }), "Ctrl+K in the chat window");
    QTest::keyClick(search, Qt::Key_Down);
    auto* list = child<QListView>(main, "contactList");
    BOOST_TEST(QApplication::focusWidget() == list);
    QTest::keyClick(list, Qt::Key_Return);  // Enter on a row opens it: bob, already open
    BOOST_TEST(chat.openCount() == 2);
    BOOST_TEST(chat.currentView()->peerId() == bobId);
    GuiClient::activate(chat);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
    BOOST_TEST(chat.openCount() == 0);
    BOOST_TEST(!chat.isVisible());
}

BOOST_AUTO_TEST_CASE(a_message_in_a_hidden_conversation_notifies_and_the_click_opens_it) {
    alice.logIn(server.port(), QStringLiteral("alice"));
    bob.logIn(server.port(), QStringLiteral("bob"));
    ConversationView* toBob = doubleClickContact(alice, QStringLiteral("bob"));
    typeAndSend(*toBob, QStringLiteral("ping"));
    TrayNotifier& tray = bob.app().tray();
    BOOST_TEST(waitUntil([&] { return tray.lastNotification().peerId == aliceId; }), "no notification at bob");
    BOOST_TEST(tray.lastNotification().text == QStringLiteral("ping"));
    BOOST_TEST(tray.unreadTotal() == 1);
    BOOST_TEST(openView(bob, aliceId) == nullptr);
    tray.openLastNotification();
    BOOST_TEST_REQUIRE(openView(bob, aliceId) != nullptr, "clicking the notification opened nothing");
    BOOST_TEST(waitUntil([&] { return shows(openView(bob, aliceId), QStringLiteral("ping")); }));
    BOOST_TEST(waitUntil([&] { return tray.unreadTotal() == 0; }));

    // While the conversation is visible, the next message notifies nobody.
    typeAndSend(*toBob, QStringLiteral("pong?"));
    BOOST_TEST(waitUntil([&] { return shows(openView(bob, aliceId), QStringLiteral("pong?")); }));
    BOOST_TEST(tray.lastNotification().text == QStringLiteral("ping"));
}

BOOST_AUTO_TEST_CASE(the_room_is_a_conversation_with_sender_names) {
    alice.logIn(server.port(), QStringLiteral("alice"));
    bob.logIn(server.port(), QStringLiteral("bob"));
    auto* list = child<QListView>(alice.app().mainWindow(), "contactList");
    BOOST_TEST(list->model()->index(0, 0).data(ContactListModel::IsRoomRole).toBool(), "the room is the first row");
    ConversationView* room =
        doubleClickContact(alice, list->model()->index(0, 0).data(ContactListModel::NameRole).toString());
    BOOST_TEST(room->peerId() == kRoomPeerId);
    BOOST_TEST(alice.app().chatWindow().windowTitle().startsWith(QStringLiteral("Parley — ")));
    typeAndSend(*room, QStringLiteral("Anyone for lunch?"));
    BOOST_TEST(waitUntil([&] {
                   const ContactEntry* entry = bob.controller().contacts()->find(kRoomPeerId);
                   return entry != nullptr && entry->lastPreview == QStringLiteral("Anyone for lunch?");
               }),
               "bob's room row did not show the message");
    bob.app().chatWindow().openConversation(kRoomPeerId);
    ConversationView* bobsRoom = openView(bob, kRoomPeerId);
    BOOST_TEST(waitUntil([&] { return shows(bobsRoom, QStringLiteral("Anyone for lunch?")); }));
    BOOST_TEST(newest(*bobsRoom).data(ConversationModel::SenderNameRole).toString().contains(QStringLiteral("Alice")));
}

BOOST_AUTO_TEST_CASE(the_connection_state_is_always_shown) {
    alice.logIn(server.port(), QStringLiteral("alice"));
    MainWindow& main = alice.app().mainWindow();
    auto* state = child<QLabel>(main, "connectionLabel");
    BOOST_TEST(state->text().contains(QStringLiteral("connected")));
    BOOST_TEST(main.windowTitle() == QStringLiteral("Parley — alice"));
    server.server().stop();
    BOOST_TEST(waitUntil([&] { return state->text().contains(QStringLiteral("reconnecting in")); }),
               "the label said '" << state->text().toStdString() << "'");
    BOOST_TEST(main.windowTitle().startsWith(QStringLiteral("Parley — alice (reconnecting in")));
    // Written while offline: shown at once as "sending…", kept for the reconnect.
    ConversationView* toBob = doubleClickContact(alice, QStringLiteral("bob"));
    typeAndSend(*toBob, QStringLiteral("written offline"));
    BOOST_TEST(waitUntil([&] { return shows(toBob, QStringLiteral("written offline")); }));
    BOOST_TEST((stateOfNewest(*toBob) == DeliveryState::Sending));
}

BOOST_AUTO_TEST_CASE(ten_thousand_contacts_filter_as_you_type) {
    alice.logIn(server.port(), QStringLiteral("alice"));
    QVector<ContactEntry> many;
    for (quint32 id = 1000; id < 11000; ++id) {
        ContactEntry entry;
        entry.userId = id;
        entry.name = QStringLiteral("user%1").arg(id);
        entry.online = id % 3 == 0;
        many.push_back(entry);
    }
    alice.controller().contacts()->setContacts(many);
    MainWindow& main = alice.app().mainWindow();
    auto* list = child<QListView>(main, "contactList");
    BOOST_TEST(list->model()->rowCount() == 10000);
    BOOST_TEST(list->model()->index(0, 0).data(ContactListModel::OnlineRole).toBool(), "online first");
    auto* search = child<QLineEdit>(main, "searchEdit");
    QTest::keyClicks(search, QStringLiteral("user1099"));
    BOOST_TEST(list->model()->rowCount() == 1 + 10);  // user1099 and user10990..user10999
    QTest::keyClick(search, Qt::Key_Backspace);
    BOOST_TEST(list->model()->rowCount() == 110);  // user1090..user1099, user10900..user10999
    list->scrollToBottom();
    QApplication::processEvents();
    BOOST_TEST(list->indexAt(list->viewport()->rect().bottomLeft() + QPoint(2, -2)).isValid());
}

BOOST_AUTO_TEST_CASE(older_pages_load_when_scrolled_to_the_top_and_only_then) {
    alice.logIn(server.port(), QStringLiteral("alice"));
    HistoryStore* store = alice.controller().store();
    BOOST_TEST_REQUIRE(store != nullptr);
    constexpr int kMessages = 2 * ConversationModel::kPageSize + 50;
    const qint64 start = QDateTime::currentMSecsSinceEpoch() - kMessages * 60000LL;
    store->begin();
    for (int i = 0; i < kMessages; ++i) {
        store->addIncoming(bobId, bobId, static_cast<quint64>(i + 1), start + i * 60000LL,
                           QStringLiteral("message %1").arg(i));
    }
    BOOST_TEST_REQUIRE(store->commit());

    ConversationView* view = doubleClickContact(alice, QStringLiteral("bob"));
    HistoryView& history = view->history();
    for (int i = 0; i < 10; ++i) QApplication::processEvents();  // a view may fetch on its own here
    BOOST_TEST(history.conversation().rowCount() == ConversationModel::kPageSize,
               "the view loaded more than the newest page while it sat at the bottom");
    BOOST_TEST(history.atNewest());
    BOOST_TEST(newest(*view).data(ConversationModel::TextRole).toString() ==
               QStringLiteral("message %1").arg(kMessages - 1));

    // Scrolled to the top: one older page, and the message that was on top stays in view.
    history.verticalScrollBar()->setValue(history.verticalScrollBar()->minimum());
    BOOST_TEST(history.conversation().rowCount() == 2 * ConversationModel::kPageSize);
    const QModelIndex formerTop = history.model()->index(ConversationModel::kPageSize, 0);
    BOOST_TEST(formerTop.data(ConversationModel::TextRole).toString() ==
               QStringLiteral("message %1").arg(kMessages - ConversationModel::kPageSize));
    BOOST_TEST(history.visualRect(formerTop).intersects(history.viewport()->rect()));
    history.verticalScrollBar()->setValue(history.verticalScrollBar()->minimum());
    BOOST_TEST(history.conversation().rowCount() == kMessages);
    BOOST_TEST(!history.conversation().canFetchMore(QModelIndex()));
}

BOOST_AUTO_TEST_SUITE_END()
