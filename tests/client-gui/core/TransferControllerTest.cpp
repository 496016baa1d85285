// TransferController end to end: two SessionControllers with their own profiles (real
// SQLite files, real files on disk) against the real parley-server binary, through the
// shared TransferManager. Files are small (a few hundred KiB to a few MiB) so every case
// stays bounded; the cases that must catch a transfer in the middle use a larger file and
// act as soon as the first bytes arrived.

#include "client-gui/core/HistoryStore.h"
#include "client-gui/core/SessionController.h"
#include "client-gui/core/TransferController.h"
#include "client-gui/core/TransferListModel.h"
#include "tests/client-gui/core/GuiTestSupport.h"

#include <QFile>
#include <QSignalSpy>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>

using namespace parley::gui;
using namespace parley::gui::test;
using parley::test::TempDir;
namespace fs = std::filesystem;

namespace {

const QString kPassword = QStringLiteral("correct horse");

std::string randomBytes(std::size_t size, unsigned seed)
{
    std::mt19937 random(seed);
    std::string bytes(size, '\0');
    for (char& byte : bytes) {
        byte = static_cast<char>(random() & 0xFF);
    }
    return bytes;
}

void writeFile(const fs::path& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

std::string readFile(const fs::path& path)
{
    QFile file(qstr(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll().toStdString() : std::string();
}

/// The row of the only (or the last) transfer in `model`.
const TransferRow* lastRow(const SessionController& c)
{
    TransferListModel* model = c.transfers() ? c.transfers()->model() : nullptr;
    if (model == nullptr || model->rowCount() == 0) {
        return nullptr;
    }
    return &model->at(model->rowCount() - 1);
}

QString lastStateText(const SessionController& c)
{
    const TransferRow* row = lastRow(c);
    return row ? stateText(*row) : QString();
}

bool lastFinished(const SessionController& c)
{
    const TransferRow* row = lastRow(c);
    return row != nullptr && row->finished;
}

/// A server, alice and bob registered, both logged in; files in `files`, bob saves to `downloads`.
struct TwoClients {
    TempDir dir;
    ServerProcess server;
    fs::path files;
    fs::path downloads;
    std::unique_ptr<SessionController> alice;
    std::unique_ptr<SessionController> bob;
    quint32 bobId = 0;
    quint32 aliceId = 0;

    TwoClients() : server(dir.path() / "server"), files(dir.path() / "files"), downloads(dir.path() / "downloads")
    {
        fs::create_directories(files);
        fs::create_directories(downloads);
        registerUser(QStringLiteral("alice"));
        registerUser(QStringLiteral("bob"));
        alice = loggedIn(QStringLiteral("alice"));
        bob = loggedIn(QStringLiteral("bob"));
        bobId = idOf(*alice, QStringLiteral("bob"));
        aliceId = idOf(*bob, QStringLiteral("alice"));
        BOOST_TEST_REQUIRE(bobId != 0u);
        BOOST_TEST_REQUIRE(aliceId != 0u);
    }

    AccountPaths profile(const QString& name) const { return AccountPaths(qstr(dir.path()) + QLatin1Char('/') + name); }

    void registerUser(const QString& name) { test::registerUser(profile(name), server.address(), name, kPassword); }

    std::unique_ptr<SessionController> loggedIn(const QString& name)
    {
        auto c = std::make_unique<SessionController>(profile(name));
        c->setReconnectDelays(200, 1000);
        c->connectToServer(server.address());
        QSignalSpy ready(c.get(), &SessionController::ready);
        c->logIn(name, kPassword);
        BOOST_TEST_REQUIRE(waitFor([&] { return ready.count() > 0; }), name.toStdString() << " did not log in");
        BOOST_TEST_REQUIRE(c->transfers() != nullptr);
        return c;
    }

    /// alice offers `path` to bob; returns bob's offer number once it arrived.
    quint32 offer(const fs::path& path)
    {
        QSignalSpy offered(bob->transfers(), &TransferController::offerReceived);
        BOOST_TEST_REQUIRE(alice->transfers()->sendFiles(bobId, {qstr(path)}) == 1);
        BOOST_TEST_REQUIRE(waitFor([&] { return offered.count() > 0; }), "bob got no offer");
        return offered.last().at(1).toUInt();
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(transfer_controller)

BOOST_FIXTURE_TEST_CASE(a_file_sent_and_accepted_arrives_equal_and_both_cards_say_verified, TwoClients)
{
    const std::string bytes = randomBytes(700 * 1024, 1);
    writeFile(files / "report.bin", bytes);
    const quint32 number = offer(files / "report.bin");

    BOOST_TEST(lastStateText(*alice).toStdString() == "waiting for BOB to accept");
    const TransferRow* offerRow = lastRow(*bob);
    BOOST_TEST_REQUIRE(offerRow != nullptr);
    BOOST_TEST(offerRow->savedName.toStdString() == "report.bin");
    BOOST_TEST(offerRow->info.size == bytes.size());

    BOOST_TEST_REQUIRE(bob->transfers()->accept(number, qstr(downloads)));
    BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*alice) && lastFinished(*bob); }));
    BOOST_TEST(lastStateText(*alice).toStdString() == "verified");
    BOOST_TEST(lastStateText(*bob).toStdString() == "verified");
    BOOST_TEST(lastRow(*bob)->finalPath.toStdString() == (downloads / "report.bin").string());
    BOOST_TEST((readFile(downloads / "report.bin") == bytes));
    // Ended: nothing left to offer again at the next login.
    BOOST_TEST(alice->store()->pendingFiles().isEmpty());
}

BOOST_FIXTURE_TEST_CASE(a_declined_offer_says_so_on_both_cards_and_writes_nothing, TwoClients)
{
    writeFile(files / "no.txt", "not wanted");
    const quint32 number = offer(files / "no.txt");
    BOOST_TEST_REQUIRE(bob->transfers()->decline(number));
    BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*alice) && lastFinished(*bob); }));
    BOOST_TEST(lastStateText(*alice).toStdString() == "declined by BOB");
    BOOST_TEST(lastStateText(*bob).toStdString() == "declined");
    BOOST_TEST(fs::is_empty(downloads));
    BOOST_TEST(alice->store()->pendingFiles().isEmpty());
}

BOOST_FIXTURE_TEST_CASE(a_zero_byte_file_is_verified, TwoClients)
{
    writeFile(files / "empty", "");
    const quint32 number = offer(files / "empty");
    BOOST_TEST_REQUIRE(bob->transfers()->accept(number, qstr(downloads)));
    BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*alice) && lastFinished(*bob); }));
    BOOST_TEST(lastRow(*bob)->verified);
    BOOST_TEST(fs::file_size(downloads / "empty") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
