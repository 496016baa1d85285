// Where each user is logged in (server-gui/cluster/HomeDirectory.h): generations order the
// cluster's logins, so announcements that arrive late, twice or out of order never undo newer
// ones; a node that leaves takes its users offline.

#include <boost/test/unit_test.hpp>

#include "server-gui/cluster/HomeDirectory.h"

#include <vector>

using namespace parley::cluster;

namespace {
constexpr std::uint32_t kBob = 7;
constexpr std::uint32_t kCarol = 8;
}  // namespace

BOOST_AUTO_TEST_SUITE(cluster_home_directory)

BOOST_AUTO_TEST_CASE(a_login_and_its_end_change_presence_once_each) {
    HomeDirectory homes;
    BOOST_TEST(!homes.homeOf(kBob));
    BOOST_TEST(homes.online(kBob, "node-c", 1));
    BOOST_TEST(!homes.online(kBob, "node-c", 1));  // a repeat
    BOOST_TEST_REQUIRE(homes.homeOf(kBob).has_value());
    BOOST_TEST(homes.homeOf(kBob)->node == "node-c");
    BOOST_TEST(homes.onlineCount() == 1u);
    BOOST_TEST(homes.offline(kBob, "node-c", 1));
    BOOST_TEST(!homes.offline(kBob, "node-c", 1));  // a repeat
    BOOST_TEST(!homes.homeOf(kBob));
    BOOST_TEST(homes.generationOf(kBob) == 1u);  // kept: the next claim goes beyond it
    BOOST_TEST(homes.onlineCount() == 0u);
}

// Bob logs in on D (generation 2) while his session on C (1) is being kicked: C's Offline for 1
// may come after D's Online for 2. Bob stays online, at D.
BOOST_AUTO_TEST_CASE(a_takeover_across_nodes_keeps_the_newer_login_whatever_arrives_last) {
    HomeDirectory homes;
    homes.online(kBob, "node-c", 1);
    BOOST_TEST(!homes.online(kBob, "node-d", 2));  // moved, but online all along: no presence change
    BOOST_TEST(homes.homeOf(kBob)->node == "node-d");
    BOOST_TEST(!homes.offline(kBob, "node-c", 1));  // the old session's end changes nothing
    BOOST_TEST(homes.homeOf(kBob)->node == "node-d");
    BOOST_TEST(!homes.online(kBob, "node-c", 1));  // nor a late repeat of its login
    BOOST_TEST(homes.homeOf(kBob)->generation == 2u);
}

// Generation 3's Offline overtakes its own Online: the late Online must not bring Bob back.
BOOST_AUTO_TEST_CASE(an_end_that_overtakes_its_login_is_not_undone_by_it) {
    HomeDirectory homes;
    homes.online(kBob, "node-c", 2);
    BOOST_TEST(homes.offline(kBob, "node-d", 3));  // the session of 3 ended; 2's was kicked by it
    BOOST_TEST(!homes.homeOf(kBob));
    BOOST_TEST(!homes.online(kBob, "node-d", 3));
    BOOST_TEST(!homes.homeOf(kBob));
    BOOST_TEST(homes.online(kBob, "node-a", 4));  // a newer login counts
    BOOST_TEST(homes.homeOf(kBob)->node == "node-a");
}

BOOST_AUTO_TEST_CASE(a_node_that_leaves_takes_its_users_offline) {
    HomeDirectory homes;
    homes.online(kBob, "node-c", 1);
    homes.online(kCarol, "node-d", 1);
    BOOST_TEST(homes.nodeLeft("node-c") == std::vector<std::uint32_t>{kBob});
    BOOST_TEST(!homes.homeOf(kBob));
    BOOST_TEST(homes.homeOf(kCarol).has_value());
    BOOST_TEST(homes.nodeLeft("node-c").empty());  // once
    BOOST_TEST(homes.onlineCount() == 1u);
    BOOST_TEST(homes.online(kBob, "node-a", 2));  // Bob reconnects elsewhere
}

BOOST_AUTO_TEST_CASE(a_node_that_was_only_cut_off_gets_its_users_back_from_its_snapshot) {
    HomeDirectory homes;
    homes.online(kBob, "node-c", 5);
    homes.offline(kCarol, "node-c", 2);
    homes.nodeLeft("node-c");
    BOOST_TEST(!homes.homeOf(kBob));
    // The same login announced again (node-c's snapshot after the partition) counts ...
    BOOST_TEST(homes.online(kBob, "node-c", 5));
    BOOST_TEST(homes.homeOf(kBob)->generation == 5u);
    // ... but not from another node, nor a session that really ended.
    BOOST_TEST(!homes.online(kBob, "node-c", 5));
    BOOST_TEST(!homes.online(kCarol, "node-c", 2));
    homes.nodeLeft("node-c");
    BOOST_TEST(!homes.online(kBob, "node-d", 5));
}

BOOST_AUTO_TEST_CASE(listings_per_node) {
    HomeDirectory homes;
    homes.online(kBob, "node-c", 5);
    homes.online(kCarol, "node-c", 1);
    homes.online(kCarol + 1, "node-d", 1);
    homes.offline(kCarol, "node-c", 1);
    const auto atC = homes.onlineAt("node-c");
    BOOST_TEST(atC.size() == 1u);
    BOOST_TEST(atC.front().first == kBob);
    BOOST_TEST(atC.front().second == 5u);
    const auto counts = homes.onlineByNode();
    BOOST_TEST(counts.at("node-c") == 1u);
    BOOST_TEST(counts.at("node-d") == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
