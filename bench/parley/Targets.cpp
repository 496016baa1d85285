#include "bench/parley/Targets.h"

#include "bench/parley/MqttEndpoint.h"
#include "bench/parley/NatsEndpoint.h"
#include "bench/parley/ParleyEndpoint.h"
#include "bench/parley/Stats.h"

#include <chrono>

namespace parley::bench {

Fleet::Factory endpointFactory(const Options& options, Shared& shared) {
    return [&options, &shared](net::Reactor& loop, std::uint32_t index) -> std::unique_ptr<Endpoint> {
        switch (options.target) {
        case Target::Parley: return std::make_unique<ParleyEndpoint>(shared, loop, index, userName(options, index));
        case Target::Mqtt: return std::make_unique<MqttEndpoint>(shared, loop, index);
        case Target::Nats: return std::make_unique<NatsEndpoint>(shared, loop, index);
        }
        return nullptr;
    };
}

bool prepareShared(const Options& options, Shared& shared) {
    const auto address = net::InetAddress::parse(options.host, options.port);
    if (!address) {
        note("--host must be a numeric address: " + options.host);
        return false;
    }
    shared.server = *address;
    shared.receiverServer = *address;
    if (options.receiverPort != 0) {
        if (options.shape != Shape::Pairs) {
            note("--receiver-port is for --shape pairs");
            return false;
        }
        shared.receiverServer = *net::InetAddress::parse(options.host, options.receiverPort);
    }
    if (options.failoverPort != 0) {
        if (options.shape != Shape::Restart) {
            note("--failover-port is for --shape restart");
            return false;
        }
        shared.failoverServer = net::InetAddress::parse(options.host, options.failoverPort);
    }
    shared.runTag = std::to_string(nowNs() % 1'000'000'007ULL);
    if (options.useTls()) {
        try {
            shared.tls = net::TlsContext::client(net::TlsClientSettings{});
        } catch (const net::TlsError& error) {
            note(std::string("TLS: ") + error.what());
            return false;
        }
    }
    return true;
}

}  // namespace parley::bench
