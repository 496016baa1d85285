#pragma once
// Account creation for the bench (shape `register`, and the accounts of `logins`).

#include "bench/parley/Endpoint.h"
#include "shared/proto/Header.h"

#include <string>

namespace parley::bench {

/// Registers accounts: takes names from Shared::nextToRegister until
/// Shared::registerEnd, one REGISTER at a time on its connection, then reports
/// ready and closes. "Username taken" counts as done (the account exists).
class ParleyRegistrar final : public Endpoint {
public:
    ParleyRegistrar(Shared& shared, net::Reactor& loop, std::uint32_t index);
    void sendChat(std::uint32_t, const PayloadFields&) override {}

private:
    void connected() override;
    void received(net::Buffer& input) override;
    bool closed() override { return m_done; }
    void registerNext();
    void sendRegister();

    proto::MessageId m_lastId;
    bool m_done = false;
    std::string m_name;  ///< being registered
};

}  // namespace parley::bench
