// The Transfers tab with real clients: parley-cli sends a file to parley-cli
// (the row ends "verified" with every byte relayed), and a transfer held open
// by a receiver that grants little credit is aborted from the tab (both sides
// get FILE_CANCEL Operator with the reason; parley-cli prints it).
#include "server-gui/TransfersModel.h"
#include "tests/server-gui/WindowFixture.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/TestClient.h"

#include <boost/test/unit_test.hpp>

#include <QInputDialog>

#include <fstream>

using namespace parley;
using server::TransfersModel;
using test::waitUntil;

namespace {

const std::string kPassword = "correct horse battery";

struct TransfersFixture : test::WindowFixture {
    TransfersFixture() {
        port = test::freePort();
        startOn(port);
        BOOST_REQUIRE(waitUntil([&] { return running(); }));
        table = find<QTableView>("transfersTable");
    }

    std::vector<std::string> cli(const std::string& user, std::vector<std::string> command) const {
        std::vector<std::string> args = {
            test::cliBinary(), "--plaintext", "--server",   "127.0.0.1:" + std::to_string(port),
            "--user",          user,          "--password", kPassword};
        args.insert(args.end(), command.begin(), command.end());
        return args;
    }

    void registerWithCli(const std::string& user) {
        test::ChildProcess registration(cli(user, {"register"}), dir.path() / ("register-" + user));
        BOOST_REQUIRE(waitUntil([&] { return registration.poll().has_value(); }, 20000));
        BOOST_REQUIRE(*registration.poll() == 0);
    }

    std::string makeFile(const std::string& name, std::size_t bytes) const {
        const std::string path = dir.file(name);
        std::ofstream out(path, std::ios::binary);
        for (std::size_t i = 0; i < bytes; ++i) out.put(static_cast<char>(i * 31 % 251));
        return path;
    }

    QString transferCell(int row, int column) const { return table->model()->index(row, column).data().toString(); }

    quint16 port = 0;
    QTableView* table = nullptr;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(transfers)

BOOST_FIXTURE_TEST_CASE(a_relayed_file_ends_verified, TransfersFixture) {
    registerWithCli("alice");
    registerWithCli("bob");
    const std::string inbox = dir.file("inbox");
    std::filesystem::create_directories(inbox);
    test::ChildProcess bob(cli("bob", {"recvfile", "--dir", inbox, "--wait", "30"}), dir.path() / "recvfile");
    // bob must be online before alice offers.
    BOOST_REQUIRE(waitUntil([&] { return selectUser(QStringLiteral("bob")); }, 20000));
    const std::size_t size = 3 * 1024 * 1024 + 17;
    test::ChildProcess alice(cli("alice", {"sendfile", "bob", makeFile("report.bin", size)}), dir.path() / "sendfile");

    BOOST_REQUIRE(waitUntil([&] { return table->model()->rowCount() == 1; }, 20000));
    BOOST_TEST(transferCell(0, TransfersModel::Route) == QStringLiteral("alice → bob"));
    BOOST_TEST(transferCell(0, TransfersModel::File) == QStringLiteral("report.bin"));
    BOOST_REQUIRE(
        waitUntil([&] { return transferCell(0, TransfersModel::Result) == QStringLiteral("verified"); }, 30000));
    BOOST_TEST(table->model()->index(0, TransfersModel::Relayed).data(TransfersModel::kSortRole).toULongLong() == size);
    BOOST_TEST(transferCell(0, TransfersModel::Relayed).contains(QStringLiteral("(100 %)")));
    BOOST_TEST(transferCell(0, TransfersModel::Resumed) == QStringLiteral("0"));
    BOOST_REQUIRE(waitUntil([&] { return alice.poll().has_value() && bob.poll().has_value(); }, 20000));
    BOOST_TEST(*alice.poll() == 0);
    BOOST_TEST(*bob.poll() == 0);
    // Ended transfers stay listed, and cannot be aborted.
    table->selectRow(0);
    BOOST_TEST(!find<QPushButton>("abortTransferButton")->isEnabled());
}

BOOST_FIXTURE_TEST_CASE(abort_cancels_both_sides_with_the_reason, TransfersFixture) {
    registerWithCli("alice");
    test::TestClient bob;
    BOOST_REQUIRE(bob.connect(port));
    const auto registered = bob.registerUser("bob", kPassword, "Bob");
    BOOST_REQUIRE(registered);
    BOOST_REQUIRE(bob.login("bob", kPassword));

    test::ChildProcess alice(cli("alice", {"sendfile", "bob", makeFile("big.bin", 8 * 1024 * 1024)}),
                             dir.path() / "sendfile");
    // bob accepts but grants 1 MiB of credit only (a few chunks): the transfer stays in progress.
    const auto offer = bob.waitFor<proto::FileOffer>(std::chrono::seconds(20));
    BOOST_REQUIRE(offer);
    const proto::UserId aliceId = offer->header.source;
    bob.send(proto::FileAccept{offer->body.transferId, 0}, aliceId);
    bob.send(proto::FileCredit{offer->body.transferId, 1024 * 1024}, aliceId);
    BOOST_REQUIRE(bob.waitFor<proto::FileChunk>(std::chrono::seconds(20)));

    BOOST_REQUIRE(waitUntil([&] {
        return table->model()->rowCount() == 1 &&
               transferCell(0, TransfersModel::Result) == QStringLiteral("in progress");
    }));
    table->selectRow(0);
    auto* abort = find<QPushButton>("abortTransferButton");
    BOOST_REQUIRE(abort->isEnabled());
    QTest::mouseClick(abort, Qt::LeftButton);
    auto* dialog = window->findChild<QInputDialog*>(QStringLiteral("abortReasonDialog"));
    BOOST_REQUIRE(dialog != nullptr);
    dialog->setTextValue(QStringLiteral("disk quota on the server"));
    dialog->accept();

    const auto cancel = bob.waitFor<proto::FileCancel>(std::chrono::seconds(10));
    BOOST_REQUIRE(cancel);
    BOOST_TEST((cancel->body.reason == proto::FileCancelReason::Operator));
    BOOST_TEST(cancel->body.text == "disk quota on the server");
    BOOST_TEST(cancel->header.source == aliceId);
    BOOST_REQUIRE(waitUntil([&] { return alice.poll().has_value(); }, 20000));
    BOOST_TEST(*alice.poll() == 7);  // file failed: cancelled
    const std::string said = alice.readOut() + alice.readErr();
    BOOST_TEST(said.find("disk quota on the server") != std::string::npos, said);
    BOOST_TEST(waitUntil(
        [&] { return transferCell(0, TransfersModel::Result).startsWith(QStringLiteral("aborted by the operator")); }));
}

BOOST_AUTO_TEST_SUITE_END()
