#pragma once
// A minimal NATS client (text protocol) for nats-server: CONNECT
// {"verbose":false,"pedantic":false}, SUB to its own subject "u.<index>", PUB to
// the peer's subject, PING/PONG. Ready when the PONG to its first PING arrives
// (the server has processed the SUB by then).
//
// With --nats-acks 1 it also subscribes to "a.<index>", and as a receiver it
// publishes, once per read burst and per sender, the number of messages it has
// received from that sender so far to "a.<sender>" — the same work Parley's
// ACK Received / ACK Delivered round does, so the window counts end-to-end acks.

#include "bench/parley/Endpoint.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace parley::bench {

class NatsEndpoint final : public Endpoint {
public:
    NatsEndpoint(Shared& shared, net::Reactor& loop, std::uint32_t index);

    void sendChat(std::uint32_t to, const PayloadFields& payload) override;

private:
    /// NATS speaks TLS after the server's plaintext INFO line (nats-server 2.9 has no
    /// TLS-first handshake).
    bool tlsFromTheStart() const override { return false; }
    void connected() override;
    void sayHello();
    void received(net::Buffer& input) override;
    /// Handles one protocol line (without CRLF) and, for MSG, its payload.
    void handleMessage(std::uint32_t sid, const char* payload, std::size_t size);

    struct SenderCount {
        std::uint32_t sender;
        std::uint64_t count;  ///< messages received from it, cumulative
        bool dirty;
    };

    bool m_acks;
    bool m_awaitingInfo = false;  ///< TLS: the INFO line before the upgrade has not come yet
    std::vector<SenderCount> m_senders;
    std::uint64_t m_ackedTotal = 0;  ///< as last reported by our receiver
    std::uint64_t m_ackedThisRead = 0;
    std::string m_out;
    PrebuiltFrame m_frame;
};

}  // namespace parley::bench
