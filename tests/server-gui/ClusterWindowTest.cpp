// The Cluster tab of a real clustered window: the window's server joins a cluster as node
// "a" (the private nats-server of scripts/nats-instance, TLS, its node user; the MariaDB
// fixture, SQLite is refused in a cluster) and an in-process engine joins as node "b".
// The tab lists "a" as this node and "b" alive, the status row reads "cluster 2/2"; once
// "b" stops, "b" turns silent and the status row "cluster 1/2".
#include "server-gui/ClusterModel.h"
#include "server-gui/cluster/NatsCluster.h"
#include "server-gui/engine/ClusterPort.h"
#include "tests/db/TestDatabase.h"
#include "tests/server-gui/WindowFixture.h"
#include "tests/server-gui/cluster/TestClusterConfig.h"
#include "tests/server-gui/engine/EngineHarness.h"

#include <boost/test/unit_test.hpp>

#include <QTabWidget>

using namespace parley;
using server::ClusterModel;
using test::waitUntil;

namespace {

server::RemoteUsersFactory joinAs(const test::NatsInstance& nats, const std::string& clusterName,
                                  const std::string& node) {
    const cluster::ClusterConfig config = test::clusterConfig(nats, clusterName, node, "node-" + node);
    return [config](server::ClusterPort& port) -> std::unique_ptr<server::RemoteUsers> {
        return cluster::NatsCluster::join(config, port);
    };
}

struct ClusteredWindow : test::WindowFixture {
    ClusteredWindow() {
        const std::string clusterName = test::freshClusterName("w");
        window->controller()->setCluster(joinAs(nats, clusterName, "a"));
        other = std::make_unique<server::Server>(test::testConfig(database.connectionString()), &otherLog,
                                                 server::Clock::system(), joinAs(nats, clusterName, "b"));
        other->start();
        databaseEdit->setText(QString::fromStdString(database.connectionString()));
        tabs = find<QTabWidget>("tabs");
        tabs->setCurrentWidget(find<QWidget>("cluster"));
        table = find<QTableView>("clusterTable");
        clusterStatus = find<QLabel>("clusterStatusLabel");
    }
    ~ClusteredWindow() { other->stop(); }

    std::string clusterCell(int row, int column) const {
        return table->model()->index(row, column).data().toString().toStdString();
    }

    test::NatsInstance nats = test::NatsInstance::fromEnvironment();
    db::test::TestDatabase database;
    test::LogRecorder otherLog;
    std::unique_ptr<server::Server> other;
    QTabWidget* tabs = nullptr;
    QTableView* table = nullptr;
    QLabel* clusterStatus = nullptr;
};

}  // namespace

using test::QtApplicationFixture;
BOOST_TEST_GLOBAL_FIXTURE(QtApplicationFixture);

BOOST_AUTO_TEST_SUITE(clustered_window)

BOOST_FIXTURE_TEST_CASE(the_tab_lists_this_node_and_the_other, ClusteredWindow) {
    BOOST_TEST(find<QLabel>("clusterNotice")->text().contains("not running"));
    startOn(test::freePort());
    BOOST_REQUIRE(startSettled());
    BOOST_REQUIRE_MESSAGE(running(), "not started: " << window->controller()->lastError().toStdString());

    BOOST_REQUIRE(waitUntil([&] { return table->isVisible() && table->model()->rowCount() == 2; }, 10000));
    BOOST_TEST(clusterCell(0, ClusterModel::Node) == "a");
    BOOST_TEST(clusterCell(0, ClusterModel::State) == "this node");
    BOOST_TEST(clusterCell(0, ClusterModel::LastHeard) == "—");
    BOOST_TEST(clusterCell(1, ClusterModel::Node) == "b");
    BOOST_TEST(clusterCell(1, ClusterModel::State) == "alive");
    BOOST_TEST(clusterCell(1, ClusterModel::LastHeard).find(" s ago") != std::string::npos);
    BOOST_TEST(!clusterStatus->isHidden());
    BOOST_TEST(clusterStatus->text().toStdString() == "cluster 2/2");
    BOOST_TEST(statsLabel->text().contains("cluster 2/2"));

    // b stops sending heartbeats: silent after 3 s.
    other->stop();
    BOOST_TEST(waitUntil([&] { return clusterCell(1, ClusterModel::State) == "silent"; }, 10000));
    BOOST_TEST(clusterStatus->text().toStdString() == "cluster 1/2");
    BOOST_TEST(clusterStatus->toolTip().contains("b"));

    QTest::mouseClick(stopButton, Qt::LeftButton);
    BOOST_REQUIRE(waitUntil([&] { return !running(); }));
    BOOST_TEST(clusterStatus->isHidden());
    BOOST_TEST(find<QLabel>("clusterNotice")->text().contains("not running"));
}

BOOST_AUTO_TEST_SUITE_END()
