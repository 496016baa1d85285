// The Cluster tab: ClusterModel's rows from the engine's member views (this node
// first, the others by name, the texts an operator reads, a silent member), and
// the window of a server that is not part of a cluster (one line instead of an
// empty table, no "cluster n/m" in the status row), also once it runs.
#include "server-gui/ClusterModel.h"
#include "server-gui/ClusterView.h"
#include "tests/server-gui/WindowFixture.h"

#include <boost/test/unit_test.hpp>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTabWidget>

using namespace parley;
using server::ClusterMemberView;
using server::ClusterModel;
using test::waitUntil;

namespace {

ClusterMemberView member(const std::string& node, bool alive, std::size_t users, std::int64_t offsetMs,
                         std::uint64_t agoMs) {
    ClusterMemberView m;
    m.node = node;
    m.alive = alive;
    m.usersOnline = users;
    m.clockOffsetMs = offsetMs;
    m.lastHeardAgoMs = agoMs;
    return m;
}

ClusterMemberView self(const std::string& node, std::size_t users) {
    ClusterMemberView m = member(node, true, users, 0, 0);
    m.self = true;
    return m;
}

std::string text(const ClusterModel& model, int row, int column) {
    return model.index(row, column).data().toString().toStdString();
}

/// The members of a three-node cluster as node b sees them, in no particular order.
std::vector<ClusterMemberView> threeNodes() {
    return {member("c", false, 0, -3, 12'400), self("b", 2), member("a", true, 5, 12, 400)};
}

struct ClusterTabFixture : test::WindowFixture {
    ClusterTabFixture() {
        tabs = find<QTabWidget>("tabs");
        view = find<server::ClusterView>("cluster");
        notice = find<QLabel>("clusterNotice");
        table = find<QTableView>("clusterTable");
        clusterStatus = find<QLabel>("clusterStatusLabel");
        tabs->setCurrentWidget(view);
    }
    QTabWidget* tabs = nullptr;
    server::ClusterView* view = nullptr;
    QLabel* notice = nullptr;
    QTableView* table = nullptr;
    QLabel* clusterStatus = nullptr;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cluster_tab)

BOOST_AUTO_TEST_CASE(this_node_comes_first_then_the_others_by_name) {
    ClusterModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Warning);
    model.setMembers(threeNodes());
    BOOST_REQUIRE(model.rowCount() == 3);
    BOOST_TEST(model.columnCount() == ClusterModel::ColumnCount);
    BOOST_TEST(model.headerData(ClusterModel::Node, Qt::Horizontal, Qt::DisplayRole).toString().toStdString() ==
               "Node");
    BOOST_TEST(model.headerData(ClusterModel::LastHeard, Qt::Horizontal, Qt::DisplayRole).toString().toStdString() ==
               "Last heard");

    BOOST_TEST(text(model, 0, ClusterModel::Node) == "b");
    BOOST_TEST(text(model, 0, ClusterModel::State) == "this node");
    BOOST_TEST(text(model, 0, ClusterModel::UsersOnline) == "2");
    BOOST_TEST(text(model, 0, ClusterModel::ClockOffset) == "—");
    BOOST_TEST(text(model, 0, ClusterModel::LastHeard) == "—");

    BOOST_TEST(text(model, 1, ClusterModel::Node) == "a");
    BOOST_TEST(text(model, 1, ClusterModel::State) == "alive");
    BOOST_TEST(text(model, 1, ClusterModel::UsersOnline) == "5");
    BOOST_TEST(text(model, 1, ClusterModel::ClockOffset) == "+12 ms");
    BOOST_TEST(text(model, 1, ClusterModel::LastHeard) == "0.4 s ago");

    BOOST_TEST(text(model, 2, ClusterModel::Node) == "c");
    BOOST_TEST(text(model, 2, ClusterModel::State) == "silent");
    BOOST_TEST(text(model, 2, ClusterModel::ClockOffset) == "-3 ms");
    BOOST_TEST(text(model, 2, ClusterModel::LastHeard) == "12 s ago");
    BOOST_TEST(model.index(2, ClusterModel::State).data(Qt::ToolTipRole).toString().contains("offline here"));
    BOOST_TEST(!model.index(1, ClusterModel::State).data(Qt::ToolTipRole).isValid());
    // The Node column sorts in this order (ascending: this node first).
    for (int row = 0; row < 3; ++row)
        BOOST_TEST(model.index(row, ClusterModel::Node).data(ClusterModel::kSortRole).toInt() == row);

    BOOST_TEST(server::clusterSummary(threeNodes()).toStdString() == "cluster 2/3");
    BOOST_TEST(server::silentMembers(threeNodes()).toStdString() == "c");
    BOOST_TEST(server::clusterSummary({}).isEmpty());
}

BOOST_AUTO_TEST_CASE(offsets_and_ages_read_in_the_right_unit) {
    ClusterModel model;
    model.setMembers({self("a", 0), member("b", true, 0, 0, 9'950), member("c", true, 0, -1'240, 95'000),
                      member("d", true, 0, 4'000, 7'300'000)});
    BOOST_TEST(text(model, 1, ClusterModel::ClockOffset) == "0 ms");
    BOOST_TEST(text(model, 1, ClusterModel::LastHeard) == "9.9 s ago");
    BOOST_TEST(text(model, 2, ClusterModel::ClockOffset) == "-1.2 s");
    BOOST_TEST(text(model, 2, ClusterModel::LastHeard) == "1 min ago");
    BOOST_TEST(text(model, 3, ClusterModel::ClockOffset) == "+4.0 s");
    BOOST_TEST(text(model, 3, ClusterModel::LastHeard) == "2 h ago");
}

BOOST_AUTO_TEST_CASE(a_refresh_of_the_same_nodes_updates_the_rows_in_place) {
    ClusterModel model;
    model.setMembers(threeNodes());
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    std::vector<ClusterMemberView> later = threeNodes();
    later[2].usersOnline = 7;  // a
    model.setMembers(later);
    BOOST_TEST(resets.count() == 0);
    BOOST_TEST(changes.count() == 1);
    BOOST_TEST(text(model, 1, ClusterModel::UsersOnline) == "7");
    // A node that joins: the rows are laid out again, still this node first.
    later.push_back(member("aa", true, 1, 0, 100));
    model.setMembers(later);
    BOOST_TEST(resets.count() == 1);
    BOOST_REQUIRE(model.rowCount() == 4);
    BOOST_TEST(text(model, 0, ClusterModel::Node) == "b");
    BOOST_TEST(text(model, 2, ClusterModel::Node) == "aa");
    model.setMembers({});
    BOOST_TEST(model.rowCount() == 0);
}

BOOST_FIXTURE_TEST_CASE(an_unclustered_server_says_so_instead_of_an_empty_table, ClusterTabFixture) {
    BOOST_TEST(tabs->tabText(tabs->indexOf(view)).toStdString() == "Cluster");
    const std::string expected =
        "This server is not part of a cluster. Start it with --cluster URL --node NAME to join one.";
    BOOST_TEST(notice->isVisible());
    BOOST_TEST(notice->text().toStdString() == expected);
    BOOST_TEST(!table->isVisible());
    BOOST_TEST(clusterStatus->isHidden());

    startOn(test::freePort());
    BOOST_REQUIRE(waitUntil([&] { return running(); }));
    // A few refreshes later, still the notice: a single server has no members.
    BOOST_TEST(!waitUntil([&] { return table->isVisible() || !clusterStatus->isHidden(); }, 2500));
    BOOST_TEST(notice->text().toStdString() == expected);
    BOOST_TEST(!statsLabel->text().contains("Cluster"));
}

BOOST_FIXTURE_TEST_CASE(a_stopped_server_with_a_cluster_says_it_lists_members_once_running, ClusterTabFixture) {
    window->controller()->setCluster(
        [](server::ClusterPort&) -> std::unique_ptr<server::RemoteUsers> { throw server::StartError("not used"); });
    BOOST_TEST(notice->isVisible());
    BOOST_TEST(notice->text().contains("not running"));
    window->controller()->setCluster({});
    BOOST_TEST(notice->text().startsWith("This server is not part of a cluster."));
}

BOOST_FIXTURE_TEST_CASE(members_replace_the_notice_with_the_table, ClusterTabFixture) {
    view->setMembers(threeNodes());
    BOOST_TEST(!notice->isVisible());
    BOOST_TEST(table->isVisible());
    BOOST_REQUIRE(table->model()->rowCount() == 3);
    BOOST_TEST(table->model()->index(0, ClusterModel::State).data().toString().toStdString() == "this node");
    BOOST_TEST(table->model()->index(2, ClusterModel::State).data().toString().toStdString() == "silent");
    view->setMembers({});
    BOOST_TEST(notice->isVisible());
    BOOST_TEST(!table->isVisible());
}

BOOST_AUTO_TEST_SUITE_END()
