#pragma once
// A minimal MQTT 3.1.1 client for mosquitto: CONNECT (clean session, keepalive
// 0 = off), SUBSCRIBE to its own topic "u/<index>", PUBLISH at QoS 0 or 1 to
// the peer's topic, PUBACK for QoS 1 deliveries, PINGREQ/PINGRESP. With QoS 1
// the broker's PUBACK to the publisher is the acknowledgement the window counts
// (it means "the broker has it", not "the receiver has it").

#include "bench/parley/Endpoint.h"

#include <cstdint>
#include <deque>
#include <string>

namespace parley::bench {

class MqttEndpoint final : public Endpoint {
public:
    MqttEndpoint(Shared& shared, net::Reactor& loop, std::uint32_t index);

    void sendChat(std::uint32_t to, const PayloadFields& payload) override;

private:
    void connected() override;
    void received(net::Buffer& input) override;
    void handlePacket(std::uint8_t first, const std::uint8_t* body, std::size_t size);

    int m_qos;
    bool m_connAcked = false;
    std::uint16_t m_lastPacketId = 0;
    std::deque<std::uint16_t> m_unacked;  ///< QoS 1 packet ids awaiting PUBACK, in order
    std::uint64_t m_ackedThisRead = 0;
    std::string m_out;  ///< PUBACKs of this read, sent as one append
    PrebuiltFrame m_frame;
};

}  // namespace parley::bench
