#pragma once
// A Parley user as the bench plays it: LOGIN, CHAT to a peer, ACK Received
// batched per read (one per sender per read burst, as docs/protocol.md 9.2 asks
// of every client), ACK Delivered counted as the acknowledgement, PING when
// quiet. Everything else the server sends (CONTACTS, PRESENCE) is read and dropped.

#include "bench/parley/Endpoint.h"
#include "bench/parley/ParleyWire.h"
#include "shared/proto/Framer.h"

#include <deque>
#include <string>
#include <vector>

namespace parley::bench {

class ParleyEndpoint final : public Endpoint {
public:
    ParleyEndpoint(Shared& shared, net::Reactor& loop, std::uint32_t index, std::string username);

    void sendChat(std::uint32_t to, const PayloadFields& payload) override;
    void keepalive(std::uint64_t nowMs) override;
    void relogin() override;
    std::uint32_t address() const override { return m_userId; }

private:
    void connected() override;
    void received(net::Buffer& input) override;
    bool closed() override;
    bool connectFailed() override;
    void sendLogin();
    /// restart: reconnect a little later (the server is down or starting).
    void retrySoon();
    void handleFrame(const proto::FrameView& frame);
    proto::MessageId nextId() { return ++m_lastId; }

    struct ToAck {
        proto::UserId sender;
        proto::MessageId upTo;
    };

    /// The last CHAT frame sent, reused while phase, sender and receiver stay the
    /// same: only the message id, seq and send time change per message.
    std::uint8_t m_chat[kChatFrameSize] = {};
    PayloadFields m_chatFields;
    proto::UserId m_chatTo = 0;
    bool m_chatBuilt = false;

    std::string m_username;
    proto::UserId m_userId = 0;
    proto::MessageId m_lastId;
    std::deque<proto::MessageId> m_unacked;  ///< sent CHAT ids awaiting ACK Delivered
    std::vector<ToAck> m_toAck;              ///< this read's highest id per sender
    std::uint64_t m_ackedThisRead = 0;
    bool m_relogging = false;
    std::string m_token;              ///< the login token, with --tokens
    std::uint64_t m_listVersion = 0;  ///< of the contact list of the last login (protocol 9.13)
    std::uint64_t m_sendsAtLastCheck = 0;
    std::uint64_t m_quietSinceMs = 0;
};

}  // namespace parley::bench
