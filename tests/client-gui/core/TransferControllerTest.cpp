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

#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <string_view>

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

/// The row of `c`'s transfer offered as `name` (nullptr if none).
const TransferRow* rowNamed(const SessionController& c, const std::string& name) {
    const TransferListModel* model = c.transfers()->model();
    for (int i = 0; i < model->rowCount(); ++i) {
        if (model->at(i).info.name == name) {
            return &model->at(i);
        }
    }
    return nullptr;
}

bool allFinished(const SessionController& c, int rows) {
    const TransferListModel* model = c.transfers()->model();
    for (int i = 0; i < model->rowCount(); ++i) {
        if (!model->at(i).finished) {
            return false;
        }
    }
    return model->rowCount() == rows;
}

/// The newest message of `c`'s conversation with `peer` ("" if none).
QString lastChatText(SessionController& c, quint32 peer) {
    ConversationModel* conversation = c.conversation(peer);
    const int rows = conversation->rowCount();
    return rows > 0 ? conversation->index(rows - 1).data(ConversationModel::TextRole).toString() : QString();
}

/// The leaf names in `dir`.
std::set<std::string> entriesOf(const fs::path& dir) {
    std::set<std::string> names;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
        names.insert(entry.path().filename().string());
    }
    return names;
}

std::string repeated(std::string_view piece, std::size_t times) {
    std::string text;
    for (std::size_t i = 0; i < times; ++i) {
        text += piece;
    }
    return text;
}

/// Files this process writes stop at `bytes` (RLIMIT_FSIZE), and a write past that fails
/// with EFBIG instead of raising SIGXFSZ: a disk that is full for this process alone. Both
/// are restored when it goes.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        BOOST_TEST_REQUIRE(::getrlimit(RLIMIT_FSIZE, &m_saved) == 0);
        rlimit lowered = m_saved;
        lowered.rlim_cur = bytes;
        m_handler = std::signal(SIGXFSZ, SIG_IGN);
        if (::setrlimit(RLIMIT_FSIZE, &lowered) != 0) {
            std::signal(SIGXFSZ, m_handler);
            BOOST_FAIL("setrlimit(RLIMIT_FSIZE) failed");
        }
    }
    ~FileSizeLimit() {
        ::setrlimit(RLIMIT_FSIZE, &m_saved);
        std::signal(SIGXFSZ, m_handler);
    }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

private:
    rlimit m_saved{};
    void (*m_handler)(int) = nullptr;
};

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
    const std::vector<std::pair<std::string, std::string>> names{{"CON", "_CON"},
                                                                 {control, "bell_name.txt"},
                                                                 {"trailing dots...", "trailing dots"},
                                                                 {"..evil", "..evil"},
                                                                 {"a..b", "a..b"}};
    const std::set<std::string> around = entriesOf(dir.path());
    for (const auto& [offered, saved] : names) {
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
    BOOST_TEST(entriesOf(downloads).size() == names.size());
    BOOST_TEST(entriesOf(dir.path()) == around);  // nothing beside the folders that were there
}

// The name in an offer is whatever the sender puts there, not a name some file has: alice's
// store is given names no file here can have (paths, 300 characters), and she offers them
// at her next login as she would what an earlier process left.
BOOST_FIXTURE_TEST_CASE(offered_paths_and_300_character_names_are_saved_as_one_leaf_inside_the_chosen_folder,
                        TwoClients) {
    // 300 characters, 595 bytes: cut to at most 250 (255 with ".part"), keeping the extension;
    // 249 here, as the cut does not split a "ü" (2 bytes).
    const std::string u = "\xC3\xBC";
    const std::string overlong = "x" + repeated(u, 295) + ".txt";
    const std::string shortened = "x" + repeated(u, 122) + ".txt";
    const std::vector<std::pair<std::string, std::string>> names{
        {"../../escape.txt", "escape.txt"},
        {"..\\..\\windows.txt", "windows.txt"},
        {(dir.path() / "absolute.txt").string(), "absolute.txt"},
        {overlong, shortened}};
    writeFile(files / "payload", "hostile");
    for (const auto& name : names) {
        BOOST_TEST_REQUIRE(
            alice->store()->addPendingFile(bobId, qstr(files / "payload"), QString::fromStdString(name.first)) != 0);
    }
    BOOST_TEST_REQUIRE(alice->store()->addPendingFile(bobId, qstr(files / "payload"), QStringLiteral("..")) != 0);
    const std::set<std::string> around = entriesOf(dir.path());
    restart(alice, QStringLiteral("alice"));

    const int offers = static_cast<int>(names.size());
    TransferListModel* atBob = bob->transfers()->model();
    BOOST_TEST_REQUIRE(waitFor([&] { return atBob->rowCount() == offers; }), "bob got " << atBob->rowCount());
    for (int i = 0; i < offers; ++i) {
        BOOST_TEST_REQUIRE(bob->transfers()->accept(atBob->at(i).info.number, qstr(downloads)));
    }
    BOOST_TEST_REQUIRE(waitFor([&] { return allFinished(*bob, offers) && allFinished(*alice, offers + 1); }));
    for (const auto& [offered, saved] : names) {
        BOOST_TEST_CONTEXT(saved) {
            const TransferRow* row = rowNamed(*bob, offered);
            BOOST_TEST_REQUIRE(row != nullptr);
            BOOST_TEST(row->verified);
            BOOST_TEST(row->savedName.toStdString() == saved);
            BOOST_TEST(row->finalPath.toStdString() == (downloads / saved).string());
            BOOST_TEST(readFile(downloads / saved) == "hostile");
        }
    }
    BOOST_TEST(entriesOf(downloads).size() == names.size());
    BOOST_TEST(entriesOf(dir.path()) == around);
    BOOST_TEST(!fs::exists(dir.path().parent_path() / "escape.txt"));
    // ".." names no file: the server refuses it before bob hears of it.
    const TransferRow* dots = rowNamed(*alice, "..");
    BOOST_TEST_REQUIRE(dots != nullptr);
    BOOST_TEST(!dots->verified);
    BOOST_TEST(stateText(*dots).contains(QStringLiteral("not usable")), stateText(*dots).toStdString());
    BOOST_TEST(rowNamed(*bob, "..") == nullptr);
    BOOST_TEST(alice->store()->pendingFiles().isEmpty());
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
    // Bob's folders are his: alice hears what failed, not where.
    BOOST_TEST(!lastStateText(*alice).contains(qstr(downloads)), lastStateText(*alice).toStdString());
    BOOST_TEST(!fs::exists(downloads / "not-there"));
}

// A folder nobody may create a file in, root included (procfs takes no new files): the
// save fails before any byte moves, both cards say why, nothing is written.
BOOST_FIXTURE_TEST_CASE(a_read_only_save_folder_fails_both_cards_with_the_reason, TwoClients) {
    const fs::path readOnly = "/proc";
    writeFile(files / "ro.txt", "nowhere to write");
    BOOST_TEST_REQUIRE(bob->transfers()->accept(offer(files / "ro.txt"), qstr(readOnly)));
    BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*alice) && lastFinished(*bob); }));
    BOOST_TEST(!lastRow(*bob)->verified);
    BOOST_TEST(!lastRow(*alice)->verified);
    // The reason is the file system's (ENOENT here, EACCES or EROFS elsewhere), after ours.
    const QString why = QStringLiteral("cannot create %1: ").arg(qstr(readOnly / "ro.txt.part"));
    BOOST_TEST(lastStateText(*bob).startsWith(QStringLiteral("not accepted: ") + why),
               lastStateText(*bob).toStdString());
    // Alice hears what failed, not where (bob's folders are his).
    BOOST_TEST(lastStateText(*alice) == QStringLiteral("refused by BOB: the file could not be written"),
               lastStateText(*alice).toStdString());
    BOOST_TEST(!fs::exists(readOnly / "ro.txt.part"));
    BOOST_TEST(!fs::exists(readOnly / "ro.txt"));
    BOOST_TEST(fs::is_empty(downloads));
    BOOST_TEST(alice->store()->pendingFiles().isEmpty());
}

// The disk fills while bob receives: a file size limit on this process (which holds both
// clients and their stores, well below the limit; the server is another process). Bob's
// write fails, both cards say why, no file under the name, and chat goes on.
BOOST_FIXTURE_TEST_CASE(a_save_folder_that_fills_up_mid_transfer_fails_both_cards_and_chat_goes_on, TwoClients) {
    constexpr rlim_t kFullAt = 8 * 1024 * 1024;
    writeFile(files / "full.bin", randomBytes(kMidSize, 10));
    const FileSizeLimit full(kFullAt);
    BOOST_TEST_REQUIRE(bob->transfers()->accept(offer(files / "full.bin"), qstr(downloads)));
    BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*alice) && lastFinished(*bob); }, 60s));
    BOOST_TEST(!lastRow(*bob)->verified);
    BOOST_TEST(!lastRow(*alice)->verified);
    BOOST_TEST(lastRow(*bob)->info.done <= kFullAt);  // the card never shows what was not written
    const QString why = QStringLiteral("cannot write %1: File too large").arg(qstr(downloads / "full.bin.part"));
    BOOST_TEST(lastStateText(*bob) == QStringLiteral("failed: cancelled here (I/O error): ") + why,
               lastStateText(*bob).toStdString());
    BOOST_TEST(lastStateText(*alice) ==
                   QStringLiteral("failed: cancelled by the peer (I/O error): the file could not be written"),
               lastStateText(*alice).toStdString());
    BOOST_TEST(waitFor([&] { return fs::is_empty(downloads); }), "a .part was left behind");
    BOOST_TEST(alice->store()->pendingFiles().isEmpty());

    BOOST_TEST_REQUIRE(alice->sendChat(bobId, QStringLiteral("did it fit?")));
    BOOST_TEST(waitFor([&] { return lastChatText(*bob, aliceId) == QStringLiteral("did it fit?"); }),
               lastChatText(*bob, aliceId).toStdString());
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
            // Each side's own card says what happened here; the other hears what, not where.
            const QString aliceSees =
                cut ? qstr(files / "cut.bin") + QStringLiteral(" is shorter than when it was offered")
                    : QStringLiteral("hash mismatch");
            const QString bobSees =
                cut ? QStringLiteral("the file changed or could not be read") : QStringLiteral("hash mismatch");
            BOOST_TEST(lastStateText(*alice).contains(aliceSees), lastStateText(*alice).toStdString());
            BOOST_TEST(lastStateText(*bob).contains(bobSees), lastStateText(*bob).toStdString());
            BOOST_TEST(!lastStateText(*bob).contains(qstr(files)), lastStateText(*bob).toStdString());
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
    bool whileStreaming = false;
    BOOST_TEST_REQUIRE(waitFor([&] {
        const bool shown = lastChatText(*bob, aliceId) == QStringLiteral("are you getting it?");
        whileStreaming = shown && !lastFinished(*bob);
        return shown;
    }));
    // Not queued behind the file: it arrived before the last chunk did.
    BOOST_TEST(whileStreaming);
    BOOST_TEST_REQUIRE(waitFor([&] { return lastFinished(*bob); }, 60s));
    BOOST_TEST(lastRow(*bob)->verified);
}

// Past 4 GiB nothing on a card wraps: size, bytes done, speed and time left of a 5 GiB
// transfer at 4.5 GiB (the bar and the size text are the widgets' own, tested there).
BOOST_AUTO_TEST_CASE(a_five_gib_transfer_past_4_gib_keeps_its_size_progress_and_speed) {
    constexpr quint64 kGiB = 1024ull * 1024 * 1024;
    TransferListModel model;
    parley::transfer::TransferInfo info;
    info.number = 7;
    info.direction = parley::transfer::Direction::Incoming;
    info.peer = 2;
    info.name = "five.bin";
    info.size = 5 * kGiB;
    info.done = 3 * kGiB + kGiB / 2;
    info.state = parley::transfer::TransferState::Active;
    model.update(info, QStringLiteral("ALICE"));
    info.done = 4 * kGiB + kGiB / 2;  // 1 GiB later, over the 32-bit boundary
    const QModelIndex card = model.index(0);
    BOOST_TEST_REQUIRE(waitFor([&] {
        model.update(info, QStringLiteral("ALICE"));
        return card.data(TransferListModel::SpeedRole).toDouble() > 0;
    }));
    BOOST_TEST(card.data(TransferListModel::SizeRole).toULongLong() == 5 * kGiB);
    BOOST_TEST(card.data(TransferListModel::DoneRole).toULongLong() == 4 * kGiB + kGiB / 2);
    BOOST_TEST(card.data(TransferListModel::SecondsLeftRole).toLongLong() > 0);
    BOOST_TEST(card.data(TransferListModel::StateTextRole).toString().toStdString() == "receiving");

    model.finish(info, QStringLiteral("ALICE"), true, QStringLiteral("verified"), QStringLiteral("/x/five.bin"));
    BOOST_TEST(card.data(TransferListModel::DoneRole).toULongLong() == 5 * kGiB);
    BOOST_TEST(card.data(TransferListModel::SecondsLeftRole).toLongLong() == -1);
}

BOOST_AUTO_TEST_SUITE_END()
