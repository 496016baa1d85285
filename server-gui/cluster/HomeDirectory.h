#pragma once
// Where every user of the cluster is logged in, as this node hears it (docs/cluster-design.md
// §2.1): user -> (home node, generation), fed by the presence every node announces, the SQL
// table user_homes being the authority it is checked against. Generations order the logins of
// the whole cluster, so a late or repeated announcement never undoes a newer one: an Online of
// an older generation, or an Offline of another generation than the current one, changes
// nothing (two logins at once on two nodes: the higher generation wins). Sans-IO, no threads:
// the caller holds the lock.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace parley::cluster {

struct Home {
    std::string node;
    std::uint64_t generation = 0;
};

class HomeDirectory {
public:
    /// `user` logged in on `node` with `generation`. True if the cluster now sees the user
    /// online where it did not (presence to announce); false if it was already, or if this
    /// news is older than what is known.
    bool online(std::uint32_t user, const std::string& node, std::uint64_t generation);
    /// The session of `generation` on `node` ended. True if the user is now offline
    /// everywhere; false if a newer login superseded it (the user stays online).
    bool offline(std::uint32_t user, const std::string& node, std::uint64_t generation);
    /// A node left the cluster (dead, or a new instance): its users are offline. Returns them.
    /// Should the same instance come back (it was only cut off), its snapshot's Online of
    /// the same generation counts again.
    std::vector<std::uint32_t> nodeLeft(const std::string& node);

    /// The users online on `node`, with their generations (a snapshot to publish or to
    /// reconcile against).
    std::vector<std::pair<std::uint32_t, std::uint64_t>> onlineAt(const std::string& node) const;
    /// How many users are online on each node.
    std::map<std::string, std::size_t> onlineByNode() const;

    /// Where `user` is online, if anywhere.
    std::optional<Home> homeOf(std::uint32_t user) const;
    /// The newest generation known for `user` (online or not): a claim must go beyond it.
    std::uint64_t generationOf(std::uint32_t user) const;
    std::size_t onlineCount() const { return m_online; }

private:
    struct Entry {
        Home home;
        bool online = false;
        bool cutOff = false;  ///< offline because its node left, not because the session ended
    };
    std::unordered_map<std::uint32_t, Entry> m_entries;  ///< offline ones kept: their generation
    std::size_t m_online = 0;
};

}  // namespace parley::cluster
