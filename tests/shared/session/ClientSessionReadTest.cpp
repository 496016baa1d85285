// Read receipts (ACK Read): sendRead() sends only what is new, onRead() reports
// only what is new, and neither touches the delivery states of the outbox.

#include "tests/shared/session/SessionHarness.h"

#include <boost/test/unit_test.hpp>

using namespace parley;
using namespace parley::session;
using namespace parley::session::test;

BOOST_FIXTURE_TEST_SUITE(client_session_read, SessionFixture)

BOOST_AUTO_TEST_CASE(send_read_goes_to_the_peer_once_per_higher_up_to) {
    loginAsAlice();
    BOOST_TEST(session.sendRead(kBob, 100) == SessionError::None);
    auto out = read();
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(typeName(out[0]) == "ACK");
    BOOST_TEST(out[0].header.destination == kBob);
    BOOST_CHECK(std::get<proto::Ack>(out[0].body) == ack(proto::AckKind::Read, 100));
    BOOST_TEST(session.readSentTo(kBob) == 100u);

    // Repeated or lower: nothing new to say.
    BOOST_TEST(session.sendRead(kBob, 100) == SessionError::None);
    BOOST_TEST(session.sendRead(kBob, 99) == SessionError::None);
    BOOST_TEST(read().empty());

    // Per conversation: another peer has its own.
    BOOST_TEST(session.sendRead(kCarol, 50) == SessionError::None);
    BOOST_TEST(session.sendRead(kBob, 101) == SessionError::None);
    out = read();
    BOOST_TEST_REQUIRE(out.size() == 2u);
    BOOST_TEST(out[0].header.destination == kCarol);
    BOOST_TEST(std::get<proto::Ack>(out[0].body).upTo == 50u);
    BOOST_TEST(out[1].header.destination == kBob);
    BOOST_TEST(std::get<proto::Ack>(out[1].body).upTo == 101u);
    BOOST_TEST(listener.take().empty());
}

BOOST_AUTO_TEST_CASE(send_read_needs_a_login_and_a_real_peer) {
    BOOST_TEST(session.sendRead(kBob, 1) == SessionError::NotLoggedIn);
    loginAsAlice();
    BOOST_TEST(session.sendRead(proto::kServerId, 1) == SessionError::InvalidRecipient);
    BOOST_TEST(session.sendRead(kAlice, 1) == SessionError::InvalidRecipient);
    BOOST_TEST(read().empty());
    // A refused call remembers nothing: the first real one goes out.
    BOOST_TEST(session.readSentTo(kBob) == 0u);
    BOOST_TEST(session.sendRead(kBob, 1) == SessionError::None);
    BOOST_TEST(read().size() == 1u);
}

BOOST_AUTO_TEST_CASE(on_read_reports_only_a_higher_up_to_per_reader) {
    loginAsAlice();
    const SendResult sent = session.sendChat(kBob, "did you see this?", wall);
    read();
    deliver(kBob, 0, ack(proto::AckKind::Delivered, sent.id));
    listener.take();

    deliver(kBob, 0, ack(proto::AckKind::Read, sent.id));
    deliver(kBob, 0, ack(proto::AckKind::Read, sent.id));      // repeated
    deliver(kBob, 0, ack(proto::AckKind::Read, sent.id - 1));  // lower (stored, then live)
    deliver(kCarol, 0, ack(proto::AckKind::Read, 5));          // a peer never written to: harmless
    BOOST_TEST(listener.take() == (Strings{"read 8 " + std::to_string(sent.id), "read 9 5"}),
               boost::test_tools::per_element());
    // A receipt answers nothing and changes no delivery state.
    BOOST_TEST(read().empty());
    BOOST_TEST(session.outbox().awaitingDelivery() == 0u);
}

BOOST_AUTO_TEST_CASE(read_before_delivered_leaves_the_outbox_alone) {
    loginAsAlice();
    const SendResult sent = session.sendChat(kBob, "hi", wall);
    read();
    deliver(kBob, 0, ack(proto::AckKind::Read, sent.id));
    BOOST_TEST(listener.take() == Strings{"read 8 " + std::to_string(sent.id)});
    BOOST_TEST(session.outboxSize() == 1u);  // only Stored/Delivered end it
}

BOOST_AUTO_TEST_CASE(another_account_starts_with_no_receipts) {
    loginAsAlice();
    BOOST_TEST(session.sendRead(kBob, 10) == SessionError::None);
    deliver(kBob, 0, ack(proto::AckKind::Read, 20));
    read();
    listener.take();
    session.logout();
    close();

    session.login("carol", "correct horse");
    open();
    read();
    acceptLogin(kCarol, "Carol");
    read();
    listener.take();
    BOOST_TEST(session.readSentTo(kBob) == 0u);
    BOOST_TEST(session.sendRead(kBob, 10) == SessionError::None);
    BOOST_TEST(read().size() == 1u);
    deliver(kBob, 0, ack(proto::AckKind::Read, 20));
    BOOST_TEST(listener.take() == Strings{"read 8 20"});
}

BOOST_AUTO_TEST_SUITE_END()
