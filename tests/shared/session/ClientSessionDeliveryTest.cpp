// The sending half of the delivery contract: outbox, cumulative ACKs, state
// changes, queueing while offline, and re-sending after a reconnect.

#include "tests/shared/session/SessionHarness.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace parley;
using namespace parley::session;
using namespace parley::session::test;

namespace {

std::string msg(UserId peer, MessageId id, const char* state) {
    return "msg " + std::to_string(peer) + " " + std::to_string(id) + " " + state;
}

/// (destination, id, flags, text) of each CHAT/ROOM in `out`.
Strings describe(const std::vector<proto::Message>& out) {
    Strings lines;
    for (const proto::Message& m : out) {
        std::string text;
        if (const auto* chat = std::get_if<proto::Chat>(&m.body)) {
            text = chat->text;
        } else if (const auto* room = std::get_if<proto::Room>(&m.body)) {
            text = room->text;
        } else {
            lines.push_back(typeName(m));
            continue;
        }
        lines.push_back(typeName(m) + " " + std::to_string(m.header.destination) + " " +
                        ((m.header.flags & proto::flags::kResent) != 0 ? "resent " : "") + text);
    }
    return lines;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(client_session_delivery, SessionFixture)

BOOST_AUTO_TEST_CASE(chat_is_sent_then_stored_then_delivered) {
    loginAsAlice();
    const SendResult sent = session.sendChat(kBob, "hello bob", wall);
    BOOST_TEST_REQUIRE(static_cast<bool>(sent));
    BOOST_TEST(sent.id == wall * 1024);

    const auto out = read();
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(typeName(out[0]) == "CHAT");
    BOOST_TEST(out[0].header.destination == kBob);
    BOOST_TEST(out[0].header.messageId == sent.id);
    BOOST_TEST(out[0].header.flags == 0u);
    BOOST_TEST(std::get<proto::Chat>(out[0].body).text == "hello bob");
    BOOST_TEST(session.outboxSize() == 1u);
    BOOST_TEST(session.pendingFor(kBob) == 1u);

    deliver(kBob, 0, ack(proto::AckKind::Stored, sent.id));
    BOOST_TEST(listener.take() == Strings{msg(kBob, sent.id, "Stored")}, boost::test_tools::per_element());
    BOOST_TEST(session.outboxSize() == 0u);
    BOOST_TEST(session.outbox().awaitingDelivery() == 1u);

    // Bob logs in later and acknowledges: the server tells the sender.
    deliver(kBob, 0, ack(proto::AckKind::Delivered, sent.id));
    BOOST_TEST(listener.take() == Strings{msg(kBob, sent.id, "Delivered")}, boost::test_tools::per_element());
    BOOST_TEST(session.outbox().awaitingDelivery() == 0u);

    // Repeated ACKs change nothing.
    deliver(kBob, 0, ack(proto::AckKind::Delivered, sent.id));
    deliver(kBob, 0, ack(proto::AckKind::Stored, sent.id));
    BOOST_TEST(listener.take().empty());
}

BOOST_AUTO_TEST_CASE(delivered_directly_when_the_peer_is_online) {
    loginAsAlice();
    const MessageId id = session.sendChat(kBob, "hi", wall).id;
    deliver(kBob, 0, ack(proto::AckKind::Delivered, id));
    BOOST_TEST(listener.take() == Strings{msg(kBob, id, "Delivered")}, boost::test_tools::per_element());
    BOOST_TEST(session.outboxSize() == 0u);
}

BOOST_AUTO_TEST_CASE(cumulative_ack_covers_earlier_messages_of_that_conversation_only) {
    loginAsAlice();
    const MessageId b1 = session.sendChat(kBob, "b1", wall).id;
    const MessageId c1 = session.sendChat(kCarol, "c1", wall).id;
    const MessageId b2 = session.sendChat(kBob, "b2", wall).id;
    const MessageId b3 = session.sendChat(kBob, "b3", wall).id;
    BOOST_TEST(b1 < c1);
    BOOST_TEST(c1 < b2);
    BOOST_TEST(b2 < b3);
    read();

    deliver(kBob, 0, ack(proto::AckKind::Delivered, b2));
    BOOST_TEST(listener.take() == (Strings{msg(kBob, b1, "Delivered"), msg(kBob, b2, "Delivered")}),
               boost::test_tools::per_element());
    BOOST_TEST(session.pendingFor(kBob) == 1u);
    BOOST_TEST(session.pendingFor(kCarol) == 1u);

    // An ACK below what is already acknowledged is stale.
    deliver(kBob, 0, ack(proto::AckKind::Delivered, b1));
    BOOST_TEST(listener.take().empty());

    // Stored is exact, not cumulative: an id that is not c1 covers nothing.
    deliver(kCarol, 0, ack(proto::AckKind::Stored, b3));
    BOOST_TEST(listener.take().empty());
    deliver(kCarol, 0, ack(proto::AckKind::Stored, c1));
    BOOST_TEST(listener.take() == Strings{msg(kCarol, c1, "Stored")}, boost::test_tools::per_element());
    BOOST_TEST(session.pendingFor(kBob) == 1u);
}

BOOST_AUTO_TEST_CASE(stored_messages_get_delivered_together_with_later_pending_ones) {
    loginAsAlice();
    const MessageId m1 = session.sendChat(kBob, "one", wall).id;
    const MessageId m2 = session.sendChat(kBob, "two", wall).id;
    deliver(kBob, 0, ack(proto::AckKind::Stored, m1));
    const MessageId m3 = session.sendChat(kBob, "three", wall).id;
    listener.take();
    deliver(kBob, 0, ack(proto::AckKind::Delivered, m3));
    BOOST_TEST(listener.take() ==
                   (Strings{msg(kBob, m1, "Delivered"), msg(kBob, m2, "Delivered"), msg(kBob, m3, "Delivered")}),
               boost::test_tools::per_element());
    BOOST_TEST(session.outboxSize() == 0u);
    BOOST_TEST(session.outbox().awaitingDelivery() == 0u);
}

BOOST_AUTO_TEST_CASE(room_message_is_broadcast) {
    loginAsAlice();
    const SendResult sent = session.sendRoom("hello all", wall);
    BOOST_TEST_REQUIRE(static_cast<bool>(sent));
    const auto out = read();
    BOOST_TEST(describe(out) == Strings{"ROOM 0 hello all"}, boost::test_tools::per_element());
    BOOST_TEST(out[0].header.messageId == sent.id);
    BOOST_TEST(session.pendingFor(proto::kServerId) == 1u);

    deliver(proto::kServerId, 0, ack(proto::AckKind::Broadcast, sent.id));
    BOOST_TEST(listener.take() == Strings{msg(0, sent.id, "Broadcast")}, boost::test_tools::per_element());
    BOOST_TEST(session.outboxSize() == 0u);
}

BOOST_AUTO_TEST_CASE(outbox_is_resent_in_order_with_kResent_after_relogin_not_before) {
    loginAsAlice();
    const MessageId first = session.sendChat(kBob, "first", wall).id;
    session.sendChat(kBob, "second", wall);
    session.sendChat(kCarol, "third", wall);
    session.sendRoom("fourth", wall);
    session.sendChat(kBob, "fifth", wall);
    BOOST_TEST(read().size() == 5u);
    deliver(kBob, 0, ack(proto::AckKind::Stored, first));
    listener.take();

    close();
    BOOST_TEST(session.outboxSize() == 4u);
    now += 2'000;
    open();
    // Before LOGIN_RESULT only the LOGIN goes out.
    BOOST_TEST(describe(read()) == Strings{"LOGIN"}, boost::test_tools::per_element());

    acceptLogin();
    BOOST_TEST(describe(read()) == (Strings{"CHAT 8 resent second", "CHAT 9 resent third", "ROOM 0 resent fourth",
                                            "CHAT 8 resent fifth"}),
               boost::test_tools::per_element());

    // New messages are not re-sends.
    session.sendChat(kBob, "sixth", wall);
    BOOST_TEST(describe(read()) == Strings{"CHAT 8 sixth"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(resent_messages_keep_their_ids) {
    loginAsAlice();
    const MessageId id = session.sendChat(kBob, "x", wall).id;
    read();
    close();
    open();
    read();
    acceptLogin();
    const auto out = read();
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(out[0].header.messageId == id);
    deliver(kBob, 0, ack(proto::AckKind::Delivered, id));
    BOOST_TEST(session.outboxSize() == 0u);
}

BOOST_AUTO_TEST_CASE(messages_sent_while_disconnected_go_out_after_login) {
    const SendResult a = session.sendChat(kBob, "written offline", wall);
    const SendResult b = session.sendRoom("room offline", wall);
    BOOST_TEST(static_cast<bool>(a));
    BOOST_TEST(static_cast<bool>(b));
    BOOST_TEST(a.id < b.id);
    BOOST_TEST(!session.hasOutput());
    BOOST_TEST(session.outboxSize() == 2u);

    session.login("alice", "correct horse");
    open();
    BOOST_TEST(describe(read()) == Strings{"LOGIN"}, boost::test_tools::per_element());
    // Also while logging in they wait.
    session.sendChat(kCarol, "written while logging in", wall);
    BOOST_TEST(!session.hasOutput());

    acceptLogin();
    // Never transmitted before: no kResent.
    BOOST_TEST(describe(read()) ==
                   (Strings{"CHAT 8 written offline", "ROOM 0 room offline", "CHAT 9 written while logging in"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(resent_and_never_sent_messages_keep_one_order) {
    loginAsAlice();
    session.sendChat(kBob, "sent before the cut", wall);
    read();
    close();
    session.sendChat(kBob, "written while offline", wall);
    open();
    read();
    acceptLogin();
    BOOST_TEST(describe(read()) == (Strings{"CHAT 8 resent sent before the cut", "CHAT 8 written while offline"}),
               boost::test_tools::per_element());
}

/// Sends a message from inside onLoginResult, as a GUI might.
class EagerListener : public RecordingListener {
public:
    ClientSession* session = nullptr;
    std::uint64_t wall = 0;
    void onLoginResult(const proto::LoginResult& r) override {
        RecordingListener::onLoginResult(r);
        session->sendChat(SessionFixture::kBob, "sent from the login event", wall);
    }
};

BOOST_AUTO_TEST_CASE(a_message_sent_from_the_login_event_does_not_overtake_the_outbox) {
    EagerListener eager;
    ClientSession s(eager);
    eager.session = &s;
    eager.wall = wall;
    ScriptedServer srv;
    s.sendChat(kBob, "queued first", wall);
    s.login("alice", "correct horse");
    s.connectionOpened(now);
    srv.read(s);
    proto::LoginResult ok;
    ok.userId = kAlice;
    const auto bytes = ScriptedServer::frame(0, 0, ok);
    s.receive(bytes.data(), bytes.size(), now);
    BOOST_TEST(describe(srv.read(s)) == (Strings{"CHAT 8 queued first", "CHAT 8 sent from the login event"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(texts_that_cannot_be_delivered_are_refused_up_front) {
    loginAsAlice();
    BOOST_TEST(session.sendChat(kBob, "", wall).error == SessionError::EmptyText);
    BOOST_TEST(session.sendChat(kBob, std::string("\xFF", 1), wall).error == SessionError::InvalidUtf8);
    BOOST_TEST(session.sendChat(kBob, std::string(kMaxChatTextBytes + 1, 'x'), wall).error ==
               SessionError::TextTooLong);
    BOOST_TEST(session.sendChat(proto::kServerId, "to nobody", wall).error == SessionError::InvalidRecipient);
    BOOST_TEST(session.sendRoom("", wall).error == SessionError::EmptyText);
    const SendResult refused = session.sendChat(kBob, "", wall);
    BOOST_TEST(!refused);
    BOOST_TEST(refused.id == 0u);
    BOOST_TEST(!session.hasOutput());
    BOOST_TEST(session.outboxSize() == 0u);

    // The longest text that fits is fine.
    BOOST_TEST(static_cast<bool>(session.sendChat(kBob, std::string(kMaxChatTextBytes, 'x'), wall)));
    BOOST_TEST(read().size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_message_the_server_refuses_leaves_the_outbox) {
    loginAsAlice();
    const MessageId kept = session.sendChat(kBob, "fine", wall).id;
    const MessageId refused = session.sendChat(kBob + 40, "to nobody known", wall).id;
    read();
    listener.take();
    deliver(0, refused, proto::Error{proto::ErrorCode::UnknownDestination, 0x10, "no user with id 49"});
    const Strings events = listener.take();
    BOOST_TEST_REQUIRE(events.size() == 2u);
    BOOST_TEST(events[1] == msg(kBob + 40, refused, "Refused"));
    BOOST_TEST(session.outboxSize() == 1u);
    BOOST_TEST(session.pendingFor(kBob) == 1u);
    // An ERROR without a message id (a warning) refuses nothing.
    deliver(0, 0, proto::Error{proto::ErrorCode::RateLimited, 0, "slow down"});
    BOOST_TEST(session.outboxSize() == 1u);
    (void)kept;
}

BOOST_AUTO_TEST_CASE(another_account_abandons_the_outbox) {
    loginAsAlice();
    const MessageId id = session.sendChat(kBob, "from alice", wall).id;
    read();
    session.logout();
    close();
    listener.take();

    session.login("bob", "another password");
    open();
    read();
    acceptLogin(kBob, "Bob");
    BOOST_TEST(read().empty());  // alice's message does not go out as bob
    const Strings events = listener.take();
    BOOST_TEST(std::count(events.begin(), events.end(), msg(kBob, id, "Abandoned")) == 1);
    BOOST_TEST(session.outboxSize() == 0u);
}

BOOST_AUTO_TEST_CASE(same_account_after_logout_keeps_the_outbox) {
    loginAsAlice();
    session.sendChat(kBob, "kept", wall);
    read();
    session.logout();
    close();
    session.login("alice", "correct horse");
    open();
    read();
    acceptLogin();
    BOOST_TEST(describe(read()) == Strings{"CHAT 8 resent kept"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(typing_is_sent_only_when_logged_in) {
    BOOST_TEST(session.setTyping(kBob, true) == SessionError::NotLoggedIn);
    loginAsAlice();
    BOOST_TEST(session.setTyping(proto::kServerId, true) == SessionError::InvalidRecipient);
    BOOST_TEST(session.setTyping(kBob, true) == SessionError::None);
    const auto out = read();
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(typeName(out[0]) == "TYPING");
    BOOST_TEST(out[0].header.destination == kBob);
    BOOST_TEST(std::get<proto::Typing>(out[0].body).typing);
}

BOOST_AUTO_TEST_CASE(output_callback_receives_the_same_bytes) {
    std::vector<std::uint8_t> written;
    session.login("alice", "correct horse");
    open();  // LOGIN is buffered: no callback yet
    session.setOutputCallback(
        [&written](const std::uint8_t* data, std::size_t size) { written.insert(written.end(), data, data + size); });
    BOOST_TEST(!session.hasOutput());
    acceptLogin();
    session.sendChat(kBob, "through the callback", wall);
    BOOST_TEST(!session.hasOutput());

    proto::Framer framer;
    framer.feed(written.data(), written.size());
    proto::FrameView frame;
    Strings types;
    while (framer.next(frame) == proto::FrameStatus::Complete) {
        types.push_back(proto::toString(frame.header.messageType()));
    }
    BOOST_TEST(types == (Strings{"LOGIN", "CHAT"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
