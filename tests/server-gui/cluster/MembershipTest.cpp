// Who is in the cluster (server-gui/cluster/Membership.h): members join when heard, stay while
// heard, are declared dead once after 3 s of silence or at once when a new instance speaks under
// their name; our own name from another process, another schema version and a clock far off are
// told apart and never join.

#include <boost/test/unit_test.hpp>

#include "server-gui/cluster/Membership.h"

#include <string>
#include <vector>

using namespace parley::cluster;

namespace {

constexpr std::uint16_t kSchema = 4;
constexpr std::uint64_t kStart = 1'764'800'000'000ULL;  // a wall clock in ms

EnvelopeHead heartbeat(const std::string& node, std::uint64_t instance, std::uint64_t sentAtMs,
                       std::uint16_t schema = kSchema) {
    EnvelopeHead head;
    head.kind = EnvelopeKind::Sync;
    head.node = node;
    head.instance = instance;
    head.sentAtMs = sentAtMs;
    head.schemaVersion = schema;
    return head;
}

using Heard = Membership::Heard;

}  // namespace

BOOST_AUTO_TEST_SUITE(cluster_membership)

BOOST_AUTO_TEST_CASE(members_join_stay_alive_and_are_declared_dead_once_after_silence) {
    Membership a("node-a", 1, kSchema);
    BOOST_TEST((a.heard(heartbeat("node-b", 20, kStart), kStart) == Heard::Joined));
    BOOST_TEST((a.heard(heartbeat("node-c", 30, kStart), kStart) == Heard::Joined));
    BOOST_TEST((a.heard(heartbeat("node-b", 20, kStart + 1'000), kStart + 1'000) == Heard::Alive));
    BOOST_TEST(a.aliveCount() == 2u);

    BOOST_TEST(a.poll(kStart + 2'999).empty());
    BOOST_TEST(a.poll(kStart + 3'000) == std::vector<std::string>{"node-c"});  // b was heard at +1 s
    BOOST_TEST(a.poll(kStart + 3'500).empty());                                // once
    BOOST_TEST(a.poll(kStart + 4'000) == std::vector<std::string>{"node-b"});
    BOOST_TEST(a.aliveCount() == 0u);
    BOOST_TEST(a.members().size() == 2u);  // the dead are kept for the operator's view
    BOOST_TEST(!a.isAlive("node-b"));

    // Back after it was declared dead: it joins again.
    BOOST_TEST((a.heard(heartbeat("node-c", 30, kStart + 5'000), kStart + 5'000) == Heard::Joined));
    BOOST_TEST(a.isAlive("node-c"));
}

BOOST_AUTO_TEST_CASE(a_new_instance_under_a_known_name_is_a_restart) {
    Membership a("node-a", 1, kSchema);
    a.heard(heartbeat("node-b", 20, kStart), kStart);
    // node-b was SIGKILLed and started again within the 3 s: it must not be taken for the old one.
    BOOST_TEST((a.heard(heartbeat("node-b", 21, kStart + 500), kStart + 500) == Heard::Restarted));
    BOOST_TEST((a.heard(heartbeat("node-b", 21, kStart + 900), kStart + 900) == Heard::Alive));
    const std::vector<Member> members = a.members();
    BOOST_TEST_REQUIRE(members.size() == 1u);
    BOOST_TEST(members.front().instance == 21u);
}

BOOST_AUTO_TEST_CASE(our_own_echo_and_our_name_in_another_process_are_told_apart) {
    Membership a("node-a", 1, kSchema);
    BOOST_TEST((a.heard(heartbeat("node-a", 1, kStart), kStart) == Heard::Self));
    BOOST_TEST((a.heard(heartbeat("node-a", 2, kStart), kStart) == Heard::SameName));
    BOOST_TEST(a.members().empty());
}

BOOST_AUTO_TEST_CASE(another_schema_or_a_clock_far_off_never_joins) {
    Membership a("node-a", 1, kSchema);
    BOOST_TEST((a.heard(heartbeat("node-b", 20, kStart, kSchema + 1), kStart) == Heard::SchemaMismatch));
    BOOST_TEST((a.heard(heartbeat("node-c", 30, kStart + 30'001), kStart) == Heard::ClockSkew));  // ahead
    BOOST_TEST((a.heard(heartbeat("node-d", 40, kStart - 30'001), kStart) == Heard::ClockSkew));  // behind
    BOOST_TEST(a.members().empty());

    // Within the limit it joins, and its offset is kept for the operator's view.
    BOOST_TEST((a.heard(heartbeat("node-e", 50, kStart - 1'250), kStart) == Heard::Joined));
    BOOST_TEST_REQUIRE(a.members().size() == 1u);
    BOOST_TEST(a.members().front().clockOffsetMs == -1'250);
}

BOOST_AUTO_TEST_SUITE_END()
