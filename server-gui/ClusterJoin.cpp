#include "server-gui/ClusterJoin.h"

#ifdef PARLEY_HAVE_CLUSTER
#include "server-gui/cluster/NatsCluster.h"
#endif

#include <fstream>

namespace parley::server {

#ifdef PARLEY_HAVE_CLUSTER

namespace {

/// HOST:PORT means the scheme the link uses: tls:// (nats:// with --cluster-plaintext).
std::string withScheme(const std::string& url, bool plaintext) {
    if (url.find("://") != std::string::npos) return url;
    return (plaintext ? "nats://" : "tls://") + url;
}

}  // namespace

std::string makeClusterFactory(const ServerOptions& options, RemoteUsersFactory& out) {
    const ClusterOptions& given = options.cluster;
    out = {};
    if (given.urls.empty()) return {};
    cluster::ClusterConfig config;
    config.clusterName = given.name;
    config.node = given.node;
    for (const std::string& url : given.urls) config.nats.urls.push_back(withScheme(url, given.plaintext));
    config.nats.caFile = given.caFile;
    config.nats.certFile = given.certFile;
    config.nats.keyFile = given.keyFile;
    config.nats.user = given.user;
    config.nats.plaintext = given.plaintext;
    if (!given.passwordFile.empty()) {
        std::ifstream file(given.passwordFile);
        if (!file) return "cannot read the cluster password file " + given.passwordFile;
        std::getline(file, config.nats.password);
        if (config.nats.password.empty()) return "the cluster password file " + given.passwordFile + " is empty";
    }
    out = [config](ClusterPort& port) -> std::unique_ptr<RemoteUsers> {
        return cluster::NatsCluster::join(config, port);
    };
    return {};
}

#else

std::string makeClusterFactory(const ServerOptions& options, RemoteUsersFactory& out) {
    out = {};
    if (options.cluster.urls.empty()) return {};
    return "this parley-server was built without cluster support (PARLEY_CLUSTER=OFF); --cluster needs libnats";
}

#endif

}  // namespace parley::server
