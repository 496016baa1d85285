// TransferController end to end: two SessionControllers with their own profiles (real
// SQLite files, real files on disk) against the real parley-server binary, through the
// shared TransferManager. Files are small (a few hundred KiB to a few MiB) so every case
// stays bounded; the cases that must catch a transfer in the middle use a larger file and
// act as soon as the first bytes arrived.

#include "client-gui/core/ConversationModel.h"
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

std::string randomBytes(std::size_t size, unsigned seed) {
    std::mt19937 random(seed);
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; i += 4) {
        const auto word = static_cast<std::uint32_t>(random());
        for (std::size_t k = 0; k < 4 && i + k < size; ++k) {
            bytes[i + k] = static_cast<char>((word >> (8 * k)) & 0xFF);
        }
    }
    return bytes;
}

/// Large enough (several 4 MiB blocks) to be caught in the middle, small enough to stay quick.
constexpr std::size_t kMidSize = 48 * 1024 * 1024;

void writeFile(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

std::string readFile(const fs::path& path) {
    QFile file(qstr(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll().toStdString() : std::string();
}

/// The row of the only (or the last) transfer in `model`.
const TransferRow* lastRow(const SessionController& c) {
    TransferListModel* model = c.transfers() ? c.transfers()->model() : nullptr;
    if (model == nullptr || model->rowCount() == 0) {
        return nullptr;
    }
    return &model->at(model->rowCount() - 1);
}

QString lastStateText(const SessionController& c) {
    const TransferRow* row = lastRow(c);
    return row ? stateText(*row) : QString();
}

bool lastFinished(const SessionController& c) {
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

    TwoClients() : server(dir.path() / "server"), files(dir.path() / "files"), downloads(dir.path() / "downloads") {
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

    /// `name`'s profile folder, with the server's certificate pinned (as after a first contact).
    AccountPaths profile(const QString& name) const {
        return server.pinnedProfile(qstr(dir.path()) + QLatin1Char('/') + name);
    }

    void registerUser(const QString& name) { test::registerUser(profile(name), server.address(), name, kPassword); }

    std::unique_ptr<SessionController> loggedIn(const QString& name) {
        auto c = std::make_unique<SessionController>(profile(name));
        c->setReconnectDelays(200, 1000);
        c->connectToServer(server.address());
        QSignalSpy ready(c.get(), &SessionController::ready);
        c->logIn(name, kPassword);
        BOOST_TEST_REQUIRE(waitFor([&] { return ready.count() > 0; }), name.toStdString() << " did not log in");
        BOOST_TEST_REQUIRE(c->transfers() != nullptr);
        return c;
    }

    /// Logs `name` in again after its controller was destroyed (the client closed or killed).
    void restart(std::unique_ptr<SessionController>& c, const QString& name) {
        c.reset();
        c = loggedIn(name);
    }

    /// Runs until bob holds some verified bytes of the last transfer, not all of them.
    void waitUntilMidTransfer(std::uint64_t size) {
        BOOST_TEST_REQUIRE(waitFor([&] {
            const TransferRow* row = lastRow(*bob);
            return row != nullptr && row->info.done > 0;
        }));
        BOOST_TEST_REQUIRE(lastRow(*bob)->info.done < size, "the transfer ended before the cut");
    }

    /// alice offers `path` to bob; returns bob's offer number once it arrived.
    quint32 offer(const fs::path& path) {
        QSignalSpy offered(bob->transfers(), &TransferController::offerReceived);
        BOOST_TEST_REQUIRE(alice->transfers()->sendFiles(bobId, {qstr(path)}) == 1);
        BOOST_TEST_REQUIRE(waitFor([&] { return offered.count() > 0; }), "bob got no offer");
        return offered.last().at(1).toUInt();
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(transfer_controller)

BOOST_FIXTURE_TEST_CASE(a_file_sent_and_accepted_arrives_equal_and_both_cards_say_verified, TwoClients) {
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

BOOST_FIXTURE_TEST_CASE(a_declined_offer_says_so_on_both_cards_and_writes_nothing, TwoClients) {
    writeFile(files / "no.txt", "not wanted");
    const quint32 number = offer(files / "no.txt");
    BOOST_TEST_REQUIRE(bob->transfers()->decline(number));
    BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*alice) && lastFinished(*bob); }));
    BOOST_TEST(lastStateText(*alice).toStdString() == "declined by BOB");
    BOOST_TEST(lastStateText(*bob).toStdString() == "declined");
    BOOST_TEST(fs::is_empty(downloads));
    BOOST_TEST(alice->store()->pendingFiles().isEmpty());
}

BOOST_FIXTURE_TEST_CASE(a_zero_byte_file_is_verified, TwoClients) {
    writeFile(files / "empty", "");
    const quint32 number = offer(files / "empty");
    BOOST_TEST_REQUIRE(bob->transfers()->accept(number, qstr(downloads)));
    BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*alice) && lastFinished(*bob); }));
    BOOST_TEST(lastRow(*bob)->verified);
    BOOST_TEST(fs::file_size(downloads / "empty") == 0u);
}

BOOST_FIXTURE_TEST_CASE(cancel_from_either_side_ends_both_cards_and_leaves_no_file, TwoClients) {
    writeFile(files / "big.bin", randomBytes(kMidSize, 2));
    for (const bool receiverCancels : {true, false}) {
        BOOST_TEST_CONTEXT((receiverCancels ? "bob cancels" : "alice cancels")) {
            const quint32 number = offer(files / "big.bin");
            BOOST_TEST_REQUIRE(bob->transfers()->accept(number, qstr(downloads)));
            waitUntilMidTransfer(kMidSize);
            const quint32 sent = lastRow(*alice)->info.number;
            BOOST_TEST_REQUIRE((receiverCancels ? bob->transfers()->cancel(number) : alice->transfers()->cancel(sent)));
            BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*alice) && lastFinished(*bob); }));
            BOOST_TEST(lastStateText(*alice).toStdString() == (receiverCancels ? "cancelled by BOB" : "cancelled"));
            BOOST_TEST(lastStateText(*bob).toStdString() == (receiverCancels ? "cancelled" : "cancelled by ALICE"));
            BOOST_TEST(!lastRow(*bob)->verified);
            BOOST_TEST(waitFor([&] { return fs::is_empty(downloads); }), "a .part was left behind");
            BOOST_TEST(alice->store()->pendingFiles().isEmpty());
        }
    }
}

BOOST_FIXTURE_TEST_CASE(the_receiver_closed_mid_transfer_and_started_again_resumes, TwoClients) {
    const std::string bytes = randomBytes(kMidSize, 3);
    writeFile(files / "resume.bin", bytes);
    BOOST_TEST_REQUIRE(bob->transfers()->accept(offer(files / "resume.bin"), qstr(downloads)));
    waitUntilMidTransfer(bytes.size());
    restart(bob, QStringLiteral("bob"));  // a new process: only the profile and the .part remain

    BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*alice) && lastFinished(*bob); }, 60s));
    BOOST_TEST(lastRow(*bob)->verified);
    BOOST_TEST(lastRow(*bob)->info.resumed);  // continued, not started over
    BOOST_TEST(lastRow(*alice)->verified);
    BOOST_TEST((readFile(downloads / "resume.bin") == bytes));
}

BOOST_FIXTURE_TEST_CASE(the_sender_closed_mid_transfer_offers_again_at_its_next_login_and_resumes, TwoClients) {
    const std::string bytes = randomBytes(kMidSize, 4);
    writeFile(files / "again.bin", bytes);
    BOOST_TEST_REQUIRE(bob->transfers()->accept(offer(files / "again.bin"), qstr(downloads)));
    waitUntilMidTransfer(bytes.size());
    BOOST_TEST(alice->store()->pendingFiles().size() == 1);
    restart(alice, QStringLiteral("alice"));

    BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*alice) && lastFinished(*bob); }, 60s));
    BOOST_TEST(lastRow(*alice)->verified);
    BOOST_TEST(lastRow(*bob)->verified);
    BOOST_TEST(lastRow(*bob)->info.resumed);
    BOOST_TEST((readFile(downloads / "again.bin") == bytes));
    BOOST_TEST(alice->store()->pendingFiles().isEmpty());
}

BOOST_FIXTURE_TEST_CASE(a_server_killed_mid_transfer_and_restarted_resumes, TwoClients) {
    const std::string bytes = randomBytes(kMidSize, 5);
    writeFile(files / "cut.bin", bytes);
    BOOST_TEST_REQUIRE(bob->transfers()->accept(offer(files / "cut.bin"), qstr(downloads)));
    waitUntilMidTransfer(bytes.size());
    server.kill();
    BOOST_TEST(waitFor([&] { return lastRow(*alice)->info.state == parley::transfer::TransferState::Interrupted; }));
    BOOST_TEST(lastStateText(*alice).startsWith(QStringLiteral("paused")));
    server.start();

    BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*alice) && lastFinished(*bob); }, 60s));
    BOOST_TEST(lastRow(*bob)->verified);
    BOOST_TEST(lastRow(*bob)->info.resumed);
    BOOST_TEST((readFile(downloads / "cut.bin") == bytes));
}

BOOST_FIXTURE_TEST_CASE(a_file_changed_while_the_sender_was_closed_is_not_offered_again, TwoClients) {
    writeFile(files / "draft.txt", "first version");
    offer(files / "draft.txt");  // bob does not answer yet
    BOOST_TEST_REQUIRE(waitFor([&] { return alice->store()->pendingFiles().value(0).sha256Hex.size() == 64; }));
    alice.reset();
    writeFile(files / "draft.txt", "second version, not what was offered");
    alice = loggedIn(QStringLiteral("alice"));

    BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*alice); }));
    BOOST_TEST(lastStateText(*alice).contains(QStringLiteral("changed on disk")), lastStateText(*alice).toStdString());
    BOOST_TEST(alice->store()->pendingFiles().isEmpty());
}

BOOST_FIXTURE_TEST_CASE(hostile_names_are_saved_sanitised_inside_the_chosen_folder, TwoClients) {
    const std::string control = std::string("bell") + '\x07' + "name.txt";
    for (const auto& [offered, saved] : std::vector<std::pair<std::string, std::string>>{
             {"CON", "_CON"}, {control, "bell_name.txt"}, {"trailing dots...", "trailing dots"}}) {
        BOOST_TEST_CONTEXT(saved) {
            writeFile(files / offered, "hostile");
            const quint32 number = offer(files / offered);
            BOOST_TEST(lastRow(*bob)->savedName.toStdString() == saved);  // shown as it will be saved
            BOOST_TEST_REQUIRE(bob->transfers()->accept(number, qstr(downloads)));
            BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*bob) && lastFinished(*alice); }));
            BOOST_TEST(lastRow(*bob)->verified);
            BOOST_TEST(lastRow(*bob)->finalPath.toStdString() == (downloads / saved).string());
            BOOST_TEST(readFile(downloads / saved) == "hostile");
        }
    }
}

BOOST_FIXTURE_TEST_CASE(a_missing_save_folder_fails_both_cards_with_the_reason, TwoClients) {
    writeFile(files / "lost.txt", "nowhere to go");
    const quint32 number = offer(files / "lost.txt");
    BOOST_TEST_REQUIRE(bob->transfers()->accept(number, qstr(downloads / "not-there")));
    BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*alice) && lastFinished(*bob); }));
    BOOST_TEST(!lastRow(*bob)->verified);
    BOOST_TEST(!lastRow(*alice)->verified);
    BOOST_TEST(lastStateText(*bob).contains(QStringLiteral("directory")), lastStateText(*bob).toStdString());
    BOOST_TEST(!lastStateText(*alice).isEmpty());
    BOOST_TEST(!fs::exists(downloads / "not-there"));
}

// The file is rewritten (same size) or cut short while it is being sent: the receiver
// never gets a file under the finished name, and both cards say why.
BOOST_FIXTURE_TEST_CASE(a_file_changed_or_cut_while_it_is_sent_never_arrives_as_finished, TwoClients) {
    for (const bool cut : {false, true}) {
        BOOST_TEST_CONTEXT((cut ? "cut short" : "rewritten")) {
            const std::string name = cut ? "cut.bin" : "rewritten.bin";
            writeFile(files / name, randomBytes(kMidSize, cut ? 9 : 8));
            BOOST_TEST_REQUIRE(bob->transfers()->accept(offer(files / name), qstr(downloads)));
            waitUntilMidTransfer(kMidSize);
            if (cut) {
                fs::resize_file(files / name, kMidSize / 2);
            } else {
                std::fstream file(files / name, std::ios::binary | std::ios::in | std::ios::out);
                file.seekp(static_cast<std::streamoff>(kMidSize - 1024 * 1024));
                const std::string other = randomBytes(1024 * 1024, 99);
                file.write(other.data(), static_cast<std::streamsize>(other.size()));
            }
            BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*alice) && lastFinished(*bob); }, 60s));
            BOOST_TEST(!lastRow(*bob)->verified);
            BOOST_TEST(!lastRow(*alice)->verified);
            BOOST_TEST_MESSAGE("alice: " << lastStateText(*alice).toStdString()
                                         << "; bob: " << lastStateText(*bob).toStdString());
            const QString why =
                cut ? QStringLiteral("cut.bin is shorter than when it was offered") : QStringLiteral("hash mismatch");
            BOOST_TEST(lastStateText(*alice).contains(why), lastStateText(*alice).toStdString());
            BOOST_TEST(lastStateText(*bob).contains(why), lastStateText(*bob).toStdString());
            BOOST_TEST(!fs::exists(downloads / name));
            BOOST_TEST(alice->store()->pendingFiles().isEmpty());  // not offered again at the next login
        }
    }
}

BOOST_FIXTURE_TEST_CASE(chat_goes_through_while_a_file_streams, TwoClients) {
    writeFile(files / "stream.bin", randomBytes(kMidSize, 6));
    BOOST_TEST_REQUIRE(bob->transfers()->accept(offer(files / "stream.bin"), qstr(downloads)));
    waitUntilMidTransfer(kMidSize);
    BOOST_TEST_REQUIRE(alice->sendChat(bobId, QStringLiteral("are you getting it?")));
    ConversationModel* atBob = bob->conversation(aliceId);
    bool whileStreaming = false;
    BOOST_TEST_REQUIRE(waitFor([&] {
        const bool shown =
            atBob->rowCount() > 0 && atBob->index(atBob->rowCount() - 1).data(ConversationModel::TextRole).toString() ==
                                         QStringLiteral("are you getting it?");
        whileStreaming = shown && !lastFinished(*bob);
        return shown;
    }));
    // Not queued behind the file: it arrived before the last chunk did.
    BOOST_TEST(whileStreaming);
    BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*bob); }, 60s));
    BOOST_TEST(lastRow(*bob)->verified);
}

BOOST_AUTO_TEST_SUITE_END()
