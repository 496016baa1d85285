#pragma once
// The cluster configuration of a test node on the private nats-server (NatsInstance.h):
// TLS with its CA, the node user's password, a short join wait; and a cluster name of its
// own per test case, since the NATS server is shared with other suites.

#include "server-gui/cluster/NatsCluster.h"
#include "tests/server-gui/cluster/NatsInstance.h"

#include <atomic>
#include <string>
#include <unistd.h>

namespace parley::test {

inline std::string freshClusterName(const std::string& prefix) {
    static std::atomic<int> counter{0};
    return prefix + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

/// Node `node` of `clusterName`, connecting as NATS user `user` (node-a, node-b, ...).
inline cluster::ClusterConfig clusterConfig(const NatsInstance& nats, const std::string& clusterName,
                                            const std::string& node, const std::string& user) {
    cluster::ClusterConfig config;
    config.clusterName = clusterName;
    config.node = node;
    config.joinWaitMs = 300;
    config.nats.urls = {nats.env.at("URL")};
    config.nats.caFile = nats.env.at("CA");
    config.nats.user = user;
    config.nats.password = nats.password(user);
    return config;
}

}  // namespace parley::test
