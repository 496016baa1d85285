#pragma once
// Test support for the client session: a listener that records every event
// as a line of text, and a scripted server joined to the session through an
// in-memory link (h11's ConnectionPair): it decodes what the session writes
// and feeds it frames built with the codec. No sockets, no clock.

#include "shared/proto/Codec.h"
#include "shared/proto/Framer.h"
#include "shared/session/ClientSession.h"
#include "shared/session/ContactList.h"

#include <cstdint>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace parley::session {

// Boost.Test prints the operands of a failed comparison.
inline std::ostream& operator<<(std::ostream& os, SessionState v) { return os << toString(v); }
inline std::ostream& operator<<(std::ostream& os, MessageState v) { return os << toString(v); }
inline std::ostream& operator<<(std::ostream& os, SessionError v) { return os << toString(v); }

namespace test {

using Strings = std::vector<std::string>;

/// Records events as text, e.g. "chat 7 1024 hi" or "msg 7 1024 Stored".
class RecordingListener : public SessionListener {
public:
    std::vector<std::string> events;
    std::vector<std::string> contactsSnapshot;  ///< usernames at the last onContactsChanged
    std::vector<OutgoingMessage> queued;        ///< onMessageQueued, in order (no event line)

    /// Events since the last call, then forgets them.
    std::vector<std::string> take() {
        std::vector<std::string> out;
        out.swap(events);
        return out;
    }

    void onProtocolError(proto::ProtocolError error) override { add("protocol-error ", proto::toString(error)); }
    void onConnectionDead() override { add("dead"); }
    void onStateChanged(SessionState state) override { add("state ", toString(state)); }
    void onRegisterResult(const proto::RegisterResult& r) override {
        add("register ", proto::toString(r.status), " ", r.userId);
    }
    void onLoginResult(const proto::LoginResult& r) override {
        add("login ", proto::toString(r.status), " ", r.userId);
    }
    void onLoginToken(const std::string& username, const proto::IssuedToken& token) override {
        add("token ", username, " ", token.token);
    }
    void onPasswordNeeded(const std::string& username, const std::string& why) override {
        add("password needed ", username, " ", why);
    }
    void onKicked(proto::KickReason reason, const std::string& text) override {
        add("kicked ", proto::toString(reason), " ", text);
    }
    void onServerError(const proto::Error& e) override { add("server-error ", proto::toString(e.code), " ", e.text); }
    void onContactsChanged(const ContactList& contacts) override {
        contactsSnapshot.clear();
        for (const auto& entry : contacts) {
            contactsSnapshot.push_back(entry.second.username);
        }
        add("contacts ", contacts.size());
    }
    void onReady(bool first) override { add("ready ", first ? "first" : "again"); }
    void onMessageQueued(const OutgoingMessage& message) override { queued.push_back(message); }
    void onPresenceChanged(const proto::Contact& c) override {
        add("presence ", c.userId, " ", proto::toString(c.state));
    }
    void onChatReceived(UserId from, MessageId id, std::uint64_t ts, const std::string& text) override {
        add("chat ", from, " ", id, " ", ts, " ", text);
    }
    void onRoomMessageReceived(UserId from, MessageId id, std::uint64_t ts, const std::string& text) override {
        add("room ", from, " ", id, " ", ts, " ", text);
    }
    void onMessageStateChanged(UserId peer, MessageId id, MessageState state) override {
        add("msg ", peer, " ", id, " ", toString(state));
    }
    void onTyping(UserId from, bool typing) override { add("typing ", from, " ", typing); }
    void onRead(UserId reader, MessageId upTo) override { add("read ", reader, " ", upTo); }

private:
    template <class... T>
    void add(const T&... parts) {
        std::ostringstream line;
        (line << ... << parts);
        events.push_back(line.str());
    }
};

/// The server end of the link: decodes the session's output and builds frames.
class ScriptedServer {
public:
    /// Everything the session wrote since the last call, decoded. Throws on
    /// bytes a real server would refuse, so a test cannot miss them.
    std::vector<proto::Message> read(ClientSession& session) {
        const std::vector<std::uint8_t> bytes = session.takeOutput();
        m_framer.feed(bytes.data(), bytes.size());
        std::vector<proto::Message> messages;
        proto::FrameView frame;
        for (;;) {
            const proto::FrameStatus status = m_framer.next(frame);
            if (status == proto::FrameStatus::NeedMore) {
                break;
            }
            if (status == proto::FrameStatus::Error) {
                throw std::runtime_error(std::string("client sent a bad frame: ") + proto::toString(m_framer.error()));
            }
            proto::Message m;
            m.header = frame.header;
            const proto::ProtocolError error =
                proto::decodePayload(frame.header, frame.payload, frame.payloadSize, m.body);
            if (error != proto::ProtocolError::None) {
                throw std::runtime_error(std::string("client sent a bad payload: ") + proto::toString(error));
            }
            messages.push_back(std::move(m));
        }
        return messages;
    }

    /// A new connection: whatever was half-read belongs to the old one.
    void reset() { m_framer = proto::Framer(); }

    /// One encoded frame from `source` (the server stamps the source).
    static std::vector<std::uint8_t> frame(UserId source, MessageId messageId, const proto::Body& body,
                                           UserId destination = 0, std::uint16_t flags = 0) {
        proto::Header header;
        header.source = source;
        header.destination = destination;
        header.messageId = messageId;
        header.flags = flags;
        return proto::encode(header, body);
    }

private:
    proto::Framer m_framer;
};

inline std::string typeName(const proto::Message& m) { return proto::toString(m.header.messageType()); }

inline std::vector<std::string> typeNames(const std::vector<proto::Message>& messages) {
    std::vector<std::string> names;
    for (const proto::Message& m : messages) {
        names.push_back(typeName(m));
    }
    return names;
}

inline void append(std::vector<std::uint8_t>& out, const std::vector<std::uint8_t>& bytes) {
    out.insert(out.end(), bytes.begin(), bytes.end());
}

/// A session, its recording listener and the scripted server, with the
/// clocks the host would feed in.
struct SessionFixture {
    static constexpr UserId kAlice = 7;
    static constexpr UserId kBob = 8;
    static constexpr UserId kCarol = 9;

    RecordingListener listener;
    ClientSession session{listener};
    ScriptedServer server;
    std::uint64_t now = 5'000;                  ///< monotonic clock for the keepalive
    std::uint64_t wall = 1'700'000'000'000ULL;  ///< wall clock for message ids

    /// The host's TCP connect succeeded.
    void open() { session.connectionOpened(now); }

    /// The host saw the socket close.
    void close() {
        session.connectionClosed();
        server.reset();
    }

    /// Feeds bytes to the session as one read.
    void deliver(const std::vector<std::uint8_t>& bytes) { session.receive(bytes.data(), bytes.size(), now); }

    void deliver(UserId source, MessageId messageId, const proto::Body& body) {
        deliver(ScriptedServer::frame(source, messageId, body));
    }

    std::vector<proto::Message> read() { return server.read(session); }

    /// The server's answer to LOGIN.
    void acceptLogin(UserId id = kAlice, const std::string& displayName = "Alice") {
        proto::LoginResult ok;
        ok.status = proto::AuthStatus::Ok;
        ok.userId = id;
        ok.displayName = displayName;
        deliver(0, 0, ok);
    }

    /// Connects, sends LOGIN and has the server refuse it with `status`.
    void refuseLogin(proto::AuthStatus status) {
        session.login("alice", "correct horse");
        open();
        read();
        proto::LoginResult refused;
        refused.status = status;
        deliver(0, 0, refused);
    }

    /// The contact list a real server sends after every successful login,
    /// which makes the session ready.
    void sendContacts(std::vector<proto::Contact> contacts = {}) {
        deliver(0, 0, proto::Contacts{true, std::move(contacts)});
    }

    /// Connects and logs in as alice, contact list included (ready); leaves
    /// output and events empty.
    void loginAsAlice() {
        if (session.login("alice", "correct horse") != SessionError::None) {
            throw std::logic_error("login refused");
        }
        open();
        read();
        acceptLogin();
        sendContacts();
        read();
        listener.take();
    }

    static proto::Chat chat(const std::string& text, std::uint64_t ts = 42) { return proto::Chat{ts, text}; }

    static proto::Ack ack(proto::AckKind kind, MessageId upTo) { return proto::Ack{kind, upTo}; }

    static proto::Contact contact(UserId id, const std::string& username,
                                  proto::PresenceState state = proto::PresenceState::Online) {
        return proto::Contact{id, state, username, username + " display"};
    }
};

}  // namespace test
}  // namespace parley::session
