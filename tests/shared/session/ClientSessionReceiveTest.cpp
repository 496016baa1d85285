// The receiving half: dedupe, ACK batching, arbitrary input splits, typing,
// PING, unknown types, protocol errors and the FILE_* hook.

#include "tests/shared/session/SessionHarness.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace parley;
using namespace parley::session;
using namespace parley::session::test;

namespace {

/// "ACK <destination> <upTo>" for every ACK in `out`, other types by name.
Strings acks(const std::vector<proto::Message>& out) {
    Strings lines;
    for (const proto::Message& m : out) {
        if (const auto* a = std::get_if<proto::Ack>(&m.body)) {
            BOOST_TEST((a->kind == proto::AckKind::Received));
            lines.push_back("ACK " + std::to_string(m.header.destination) + " " + std::to_string(a->upTo));
        } else {
            lines.push_back(typeName(m));
        }
    }
    return lines;
}

/// A frame of a type this version does not define, with a payload.
std::vector<std::uint8_t> unknownTypeFrame(std::uint8_t type) {
    proto::Header header;
    header.type = type;
    header.payloadLength = 3;
    std::vector<std::uint8_t> bytes(proto::kHeaderSize + 3, 0xAB);
    proto::encodeHeader(header, bytes.data());
    return bytes;
}

/// A stream with everything a client receives in a busy moment.
std::vector<std::uint8_t> busyStream() {
    std::vector<std::uint8_t> bytes;
    proto::Contacts page;
    page.last = false;
    page.contacts = {SessionFixture::contact(8, "bob")};
    append(bytes, ScriptedServer::frame(0, 0, page));
    page.last = true;
    page.contacts = {SessionFixture::contact(9, "carol")};
    append(bytes, ScriptedServer::frame(0, 0, page));
    append(bytes, ScriptedServer::frame(8, 1, SessionFixture::chat("one")));
    append(bytes, ScriptedServer::frame(8, 2, SessionFixture::chat(std::string(300, 'z'))));
    append(bytes, ScriptedServer::frame(9, 3, proto::Typing{true}));
    append(bytes, ScriptedServer::frame(9, 4, SessionFixture::chat("from carol")));
    append(bytes, ScriptedServer::frame(8, 2, SessionFixture::chat(std::string(300, 'z'))));
    append(bytes, ScriptedServer::frame(0, 0, proto::Presence{SessionFixture::contact(8, "bob")}));
    return bytes;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(client_session_receive, SessionFixture)

BOOST_AUTO_TEST_CASE(incoming_chat_is_reported_and_acknowledged) {
    loginAsAlice();
    deliver(kBob, 1000, chat("hi alice", 1234));
    BOOST_TEST(listener.take() == Strings{"chat 8 1000 1234 hi alice"}, boost::test_tools::per_element());
    const auto out = read();
    BOOST_TEST(acks(out) == Strings{"ACK 8 1000"}, boost::test_tools::per_element());
    BOOST_TEST(out[0].header.messageId == 0u);
}

BOOST_AUTO_TEST_CASE(duplicate_chat_is_reported_once_and_acknowledged_again) {
    loginAsAlice();
    deliver(kBob, 1000, chat("hi"));
    deliver(ScriptedServer::frame(kBob, 1000, chat("hi"), kAlice, proto::flags::kResent));
    BOOST_TEST(listener.take() == Strings{"chat 8 1000 42 hi"}, boost::test_tools::per_element());
    BOOST_TEST(acks(read()) == (Strings{"ACK 8 1000", "ACK 8 1000"}), boost::test_tools::per_element());

    // Same id from another sender is another message.
    deliver(kCarol, 1000, chat("hi from carol"));
    BOOST_TEST(listener.take() == Strings{"chat 9 1000 42 hi from carol"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(many_chats_in_one_read_get_one_ack_with_the_highest_id) {
    loginAsAlice();
    std::vector<std::uint8_t> bytes;
    for (MessageId id = 101; id <= 105; ++id) {
        append(bytes, ScriptedServer::frame(kBob, id, chat("m" + std::to_string(id))));
    }
    append(bytes, ScriptedServer::frame(kBob, 103, chat("m103")));  // a duplicate inside the read
    deliver(bytes);
    BOOST_TEST(listener.take() == (Strings{"chat 8 101 42 m101", "chat 8 102 42 m102", "chat 8 103 42 m103",
                                           "chat 8 104 42 m104", "chat 8 105 42 m105"}),
               boost::test_tools::per_element());
    BOOST_TEST(acks(read()) == Strings{"ACK 8 105"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(two_senders_in_one_read_get_one_ack_each) {
    loginAsAlice();
    std::vector<std::uint8_t> bytes;
    append(bytes, ScriptedServer::frame(kCarol, 500, chat("c1")));
    append(bytes, ScriptedServer::frame(kBob, 10, chat("b1")));
    append(bytes, ScriptedServer::frame(kCarol, 501, chat("c2")));
    append(bytes, ScriptedServer::frame(kBob, 11, chat("b2")));
    deliver(bytes);
    BOOST_TEST(listener.take().size() == 4u);
    BOOST_TEST(acks(read()) == (Strings{"ACK 9 501", "ACK 8 11"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(room_messages_are_deduplicated_and_not_acknowledged) {
    loginAsAlice();
    deliver(kBob, 77, proto::Room{99, "to everyone"});
    deliver(kBob, 77, proto::Room{99, "to everyone"});
    BOOST_TEST(listener.take() == Strings{"room 8 77 99 to everyone"}, boost::test_tools::per_element());
    BOOST_TEST(read().empty());
}

BOOST_AUTO_TEST_CASE(byte_at_a_time_gives_the_same_events) {
    const std::vector<std::uint8_t> stream = busyStream();
    loginAsAlice();
    deliver(stream);
    const Strings whole = listener.take();
    BOOST_TEST(whole.size() == 6u);

    SessionFixture other;
    other.loginAsAlice();
    std::size_t ackCount = 0;
    for (std::uint8_t byte : stream) {
        other.session.receive(&byte, 1, other.now);
        ackCount += other.read().size();
    }
    BOOST_TEST(other.listener.take() == whole, boost::test_tools::per_element());
    // One ACK per read that completed a CHAT: four CHAT frames, four reads.
    BOOST_TEST(ackCount == 4u);
}

BOOST_AUTO_TEST_CASE(split_at_every_offset_gives_the_same_events) {
    const std::vector<std::uint8_t> stream = busyStream();
    loginAsAlice();
    deliver(stream);
    const Strings whole = listener.take();

    for (std::size_t cut = 1; cut < stream.size(); ++cut) {
        SessionFixture other;
        other.loginAsAlice();
        other.session.receive(stream.data(), cut, other.now);
        other.session.receive(stream.data() + cut, stream.size() - cut, other.now);
        BOOST_TEST(other.listener.take() == whole, "cut at " << cut);
    }
}

BOOST_AUTO_TEST_CASE(typing_is_reported) {
    loginAsAlice();
    deliver(kBob, 0, proto::Typing{true});
    deliver(kBob, 0, proto::Typing{false});
    BOOST_TEST(listener.take() == (Strings{"typing 8 1", "typing 8 0"}), boost::test_tools::per_element());
    BOOST_TEST(read().empty());
}

BOOST_AUTO_TEST_CASE(ping_is_answered_with_pong_of_the_same_id) {
    loginAsAlice();
    deliver(0, 4242, proto::Ping{});
    const auto out = read();
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(typeName(out[0]) == "PONG");
    BOOST_TEST(out[0].header.messageId == 4242u);
}

BOOST_AUTO_TEST_CASE(unknown_type_is_answered_with_unsupported_type_and_the_session_goes_on) {
    loginAsAlice();
    std::vector<std::uint8_t> bytes = unknownTypeFrame(0x7E);
    append(bytes, ScriptedServer::frame(kBob, 5, chat("still here")));
    deliver(bytes);
    BOOST_TEST(listener.take() == Strings{"chat 8 5 42 still here"}, boost::test_tools::per_element());
    const auto out = read();
    BOOST_TEST_REQUIRE(out.size() == 2u);
    const auto& error = std::get<proto::Error>(out[0].body);
    BOOST_TEST((error.code == proto::ErrorCode::UnsupportedType));
    BOOST_TEST(error.refType == 0x7E);
    BOOST_TEST(out[0].header.destination == proto::kServerId);
    BOOST_TEST(acks({out[1]}) == Strings{"ACK 8 5"}, boost::test_tools::per_element());
    BOOST_TEST(session.state() == SessionState::LoggedIn);
}

BOOST_AUTO_TEST_CASE(client_only_types_from_the_server_are_refused_politely) {
    loginAsAlice();
    deliver(0, 0, proto::Login{"x", "y"});
    const auto out = read();
    BOOST_TEST_REQUIRE(out.size() == 1u);
    const auto& error = std::get<proto::Error>(out[0].body);
    BOOST_TEST((error.code == proto::ErrorCode::UnsupportedType));
    BOOST_TEST(error.refType == static_cast<std::uint8_t>(proto::MessageType::Login));
    BOOST_TEST(listener.take().empty());
}

BOOST_AUTO_TEST_CASE(framing_error_is_a_protocol_error_and_later_input_is_ignored) {
    loginAsAlice();
    std::vector<std::uint8_t> bytes = ScriptedServer::frame(kBob, 1, chat("before"));
    std::vector<std::uint8_t> bad = ScriptedServer::frame(kBob, 2, chat("bad"));
    bad[0] = 'X';  // magic
    append(bytes, bad);
    deliver(bytes);
    BOOST_TEST(listener.take() == (Strings{"chat 8 1 42 before", "protocol-error BadMagic"}),
               boost::test_tools::per_element());
    // The chat before the error is still acknowledged, then the ERROR.
    const auto out = read();
    BOOST_TEST_REQUIRE(out.size() == 2u);
    BOOST_TEST(acks({out[0]}) == Strings{"ACK 8 1"}, boost::test_tools::per_element());
    BOOST_TEST((std::get<proto::Error>(out[1].body).code == proto::ErrorCode::BadMagic));

    deliver(kBob, 3, chat("after"));
    BOOST_TEST(listener.take().empty());
    BOOST_TEST(read().empty());

    // A new connection starts clean.
    close();
    open();
    read();
    acceptLogin();
    sendContacts();
    deliver(kBob, 3, chat("after"));
    BOOST_TEST(listener.take().back() == "chat 8 3 42 after");
}

BOOST_AUTO_TEST_CASE(oversized_frame_is_refused_before_its_payload_arrives) {
    loginAsAlice();
    proto::Header header;
    header.type = static_cast<std::uint8_t>(proto::MessageType::Chat);
    header.payloadLength = proto::kMaxPayload + 1;
    std::vector<std::uint8_t> bytes(proto::kHeaderSize);
    proto::encodeHeader(header, bytes.data());
    deliver(bytes);
    BOOST_TEST(listener.take() == Strings{"protocol-error PayloadTooLarge"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(malformed_payload_follows_the_codecs_fatality_rule) {
    loginAsAlice();
    // A CHAT whose str length runs past the payload.
    proto::Header header;
    header.type = static_cast<std::uint8_t>(proto::MessageType::Chat);
    header.source = kBob;
    header.messageId = 9;
    header.payloadLength = 8 + 2;
    std::vector<std::uint8_t> bytes(proto::kHeaderSize + header.payloadLength, 0);
    proto::encodeHeader(header, bytes.data());
    bytes.back() = 50;  // 50 bytes of text announced, none present
    deliver(bytes);
    const Strings events = listener.take();
    const auto out = read();
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST((std::get<proto::Error>(out[0].body).code == proto::ErrorCode::MalformedPayload));
    if (proto::isFatal(proto::ProtocolError::Truncated)) {
        BOOST_TEST(events == Strings{"protocol-error Truncated"}, boost::test_tools::per_element());
    } else {
        BOOST_TEST(events.empty());
    }
}

/// Closes the connection from inside an event, as a host may.
class ClosingListener : public RecordingListener {
public:
    ClientSession* session = nullptr;
    void onChatReceived(UserId from, MessageId id, std::uint64_t ts, const std::string& text) override {
        RecordingListener::onChatReceived(from, id, ts, text);
        session->connectionClosed();
    }
};

BOOST_AUTO_TEST_CASE(closing_from_inside_an_event_stops_the_current_read) {
    ClosingListener closing;
    ClientSession s(closing);
    closing.session = &s;
    s.login("alice", "correct horse");
    s.connectionOpened(now);
    proto::LoginResult ok;
    ok.userId = kAlice;
    std::vector<std::uint8_t> bytes = ScriptedServer::frame(0, 0, ok);
    append(bytes, ScriptedServer::frame(0, 0, proto::Contacts{true, {}}));
    append(bytes, ScriptedServer::frame(kBob, 1, chat("one")));
    append(bytes, ScriptedServer::frame(kBob, 2, chat("two")));
    s.receive(bytes.data(), bytes.size(), now);
    BOOST_TEST(s.state() == SessionState::Disconnected);
    BOOST_TEST(!s.hasOutput());
    const Strings events = closing.take();
    BOOST_TEST(std::count(events.begin(), events.end(), "chat 8 1 42 one") == 1);
    BOOST_TEST(std::count(events.begin(), events.end(), "chat 8 2 42 two") == 0);
}

BOOST_AUTO_TEST_CASE(file_offer_without_a_transfer_handler_is_declined) {
    loginAsAlice();
    proto::FileOffer offer;
    offer.transferId = 31;
    offer.fileName = "report.pdf";
    offer.size = 1000;
    deliver(kBob, 0, offer);
    deliver(kBob, 0, proto::FileCancel{31, proto::FileCancelReason::ByUser, ""});
    BOOST_TEST(listener.take().empty());
    const auto out = read();
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(typeName(out[0]) == "FILE_REJECT");
    BOOST_TEST(out[0].header.destination == kBob);
    const auto& reject = std::get<proto::FileReject>(out[0].body);
    BOOST_TEST(reject.transferId == 31u);
    BOOST_TEST((reject.reason == proto::FileRejectReason::Declined));
}

class RecordingTransfers : public TransferHandler {
public:
    Strings events;
    void onFileMessage(const proto::Header& header, const proto::Body& body) override {
        events.push_back(std::string(proto::toString(proto::typeOf(body))) + " from " + std::to_string(header.source));
    }
    void onLoggedIn() override { events.push_back("logged-in"); }
    void onDisconnected() override { events.push_back("disconnected"); }
};

BOOST_AUTO_TEST_CASE(file_messages_go_to_the_transfer_handler) {
    RecordingTransfers transfers;
    session.setTransferHandler(&transfers);
    loginAsAlice();
    deliver(kBob, 0, proto::FileOffer{});
    deliver(kBob, 0, proto::FileChunk{1, 0, {1, 2, 3}});
    BOOST_TEST(read().empty());

    BOOST_TEST(session.sendFileMessage(kBob, proto::FileAccept{1, 0}) == SessionError::None);
    BOOST_TEST(session.sendFileMessage(kBob, chat("no")) == SessionError::NotAFileMessage);
    BOOST_TEST(session.sendFileMessage(proto::kServerId, proto::FileAccept{1, 0}) == SessionError::InvalidRecipient);
    const auto out = read();
    BOOST_TEST_REQUIRE(out.size() == 1u);
    BOOST_TEST(typeName(out[0]) == "FILE_ACCEPT");
    BOOST_TEST(out[0].header.destination == kBob);

    close();
    BOOST_TEST(session.sendFileMessage(kBob, proto::FileAccept{1, 0}) == SessionError::NotLoggedIn);
    BOOST_TEST(transfers.events == (Strings{"logged-in", "FILE_OFFER from 8", "FILE_CHUNK from 8", "disconnected"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
