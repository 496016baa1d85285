// libFuzzer target: the client session core (ClientSession::receive) on arbitrary bytes
// from "the server".
//
// Odd-sized inputs start logged in (a canned LOGIN_RESULT Ok and CONTACTS arrive first,
// with one message waiting in the outbox), even-sized ones just after LOGIN was sent, so
// that both the login answer and the logged-in dispatch are explored. The input is fed in
// chunks of 1..64 bytes (sizes from a generator seeded by the input size), with tick()
// between them on a clock that moves on. It checks, beyond "no crash, no sanitizer report":
//   * everything the session writes is whole, valid frames that decode (it never sends
//     the server bytes a conforming server would refuse as malformed);
//   * after onProtocolError or onConnectionDead, further input reports nothing
//     (the session ignores a stream it gave up on);
//   * the outbox never holds more messages than the client queued.

#include "shared/proto/Codec.h"
#include "shared/proto/Framer.h"
#include "shared/session/ClientSession.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

using namespace parley;

void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "FuzzSession: %s\n", what);
        std::abort();
    }
}

/// Counts events; remembers whether the session gave up on the stream.
class Listener : public session::SessionListener {
public:
    void onProtocolError(proto::ProtocolError) override { note(true); }
    void onConnectionDead() override { note(true); }
    void onStateChanged(session::SessionState) override { note(); }
    void onLoginResult(const proto::LoginResult&) override { note(); }
    void onKicked(proto::KickReason, const std::string&) override { note(); }
    void onServerError(const proto::Error&) override { note(); }
    void onContactsChanged(const session::ContactList&) override { note(); }
    void onPresenceChanged(const proto::Contact&) override { note(); }
    void onChatReceived(proto::UserId, proto::MessageId, std::uint64_t, const std::string&) override { note(); }
    void onRoomMessageReceived(proto::UserId, proto::MessageId, std::uint64_t, const std::string&) override { note(); }
    void onMessageStateChanged(proto::UserId, proto::MessageId, session::MessageState) override { note(); }
    void onRead(proto::UserId, proto::MessageId) override { note(); }
    void onTyping(proto::UserId, bool) override { note(); }

    bool gaveUp = false;
    std::size_t eventsAfterGivingUp = 0;

private:
    void note(bool fatal = false) {
        if (gaveUp) ++eventsAfterGivingUp;
        if (fatal) gaveUp = true;
    }
};

/// Every byte of `out` belongs to a whole frame that decodes.
void checkOutput(const std::vector<std::uint8_t>& out) {
    std::size_t pos = 0;
    while (pos < out.size()) {
        proto::FrameView frame;
        proto::ProtocolError error = proto::ProtocolError::None;
        const proto::FrameStatus status = proto::parseFrame(out.data() + pos, out.size() - pos, frame, error);
        check(status == proto::FrameStatus::Complete, "the session wrote a partial or invalid frame");
        proto::Body body;
        check(proto::decodePayload(frame.header, frame.payload, frame.payloadSize, body) == proto::ProtocolError::None,
              "the session wrote a frame that does not decode");
        pos += frame.frameSize();
    }
}

void append(std::vector<std::uint8_t>& out, const proto::Body& body) {
    proto::Header header;
    header.destination = 1;
    proto::encode(out, header, body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Listener listener;
    session::ClientSession client(listener);
    std::uint64_t now = 1'000;
    client.connectionOpened(now);
    client.login("alice", "correct horse");
    constexpr std::size_t kQueued = 2;
    client.sendChat(2, "queued before login", 1'700'000'000'000);
    client.sendRoom("to the room", 1'700'000'000'001);
    checkOutput(client.takeOutput());

    if (size % 2 == 1) {
        std::vector<std::uint8_t> welcome;
        append(welcome, proto::LoginResult{proto::AuthStatus::Ok, 1, 0, "Alice", {}});
        append(welcome, proto::Contacts{true,
                                        {{1, proto::PresenceState::Online, "alice", "Alice"},
                                         {2, proto::PresenceState::Online, "bob", "Bob"}}});
        client.receive(welcome.data(), welcome.size(), now);
        check(client.isReady(), "the canned login did not make the session ready");
        checkOutput(client.takeOutput());
    }

    std::uint32_t state = static_cast<std::uint32_t>(size) * 2654435761u + 1u;
    std::size_t fed = 0;
    while (fed < size) {
        state = state * 1103515245u + 12345u;
        const std::size_t n = std::min<std::size_t>(1 + (state >> 16) % 64, size - fed);
        const std::size_t eventsBefore = listener.eventsAfterGivingUp;
        const bool gaveUpBefore = listener.gaveUp;
        client.receive(data + fed, n, now);
        if (gaveUpBefore) check(listener.eventsAfterGivingUp == eventsBefore, "input after giving up was reported");
        fed += n;
        now += (state >> 8) % 4'000;  // up to 4 s per chunk: the keepalive gets to act
        if (!listener.gaveUp) client.tick(now);
        checkOutput(client.takeOutput());
        check(client.outboxSize() <= kQueued, "the outbox grew without anything being queued");
    }
    return 0;
}
