#pragma once
// A client's servers: one address, or the nodes of a cluster ("A,B,C",
// docs/cluster-design.md §4), tried in order. When one cannot be reached or drops the
// connection the next is tried at once; the reconnect backoff applies only after a whole
// pass over the list failed. Everything kept per server (the login token, the pinned
// certificate, the history) stays keyed by the first address: the nodes of one cluster are
// one server to the user. Sans-IO: the addresses are text here (each app parses its own).
// Used by parley-cli and the desktop client.

#include <cstddef>
#include <string>
#include <vector>

namespace parley::session {

/// Splits "A,B,C" into its entries (surrounding spaces dropped). Empty, with `error` set,
/// when an entry is empty or named twice.
std::vector<std::string> splitServerList(const std::string& text, std::string& error);

/// Which server of the list to try, and when a pass is over.
class ServerRotation {
public:
    explicit ServerRotation(std::size_t servers = 1) : m_servers(servers == 0 ? 1 : servers) {}

    std::size_t current() const { return m_current; }
    std::size_t size() const { return m_servers; }
    /// The current server failed (unreachable, or its connection dropped): the next one
    /// becomes current. True when every server failed since the last success, a whole
    /// pass: the caller waits its backoff before the next try.
    bool failed();
    /// Connected and logged in: a later failure starts a new pass from here.
    void succeeded() { m_failuresInPass = 0; }

private:
    std::size_t m_servers;
    std::size_t m_current = 0;
    std::size_t m_failuresInPass = 0;
};

}  // namespace parley::session
