// Files and images through the windows of two desktop clients (offscreen) against a real
// server: alice offers files in a conversation (what the file dialog, a drop and a paste
// end in: ConversationView::sendFiles), bob's conversation shows the offer card, Accept
// (the folder question answered by the test) and Decline are clicked, the cards follow
// to "verified", images get thumbnails on both sides, a broken image stays a file card,
// and the transfers window lists everything and clears the finished ones.
#include "tests/client-gui/widgets/GuiClient.h"

#include "client-gui/core/TransferController.h"
#include "client-gui/core/TransferListModel.h"
#include "client-gui/widgets/ChatWindow.h"
#include "client-gui/widgets/ConversationView.h"
#include "client-gui/widgets/ImageViewer.h"
#include "client-gui/widgets/MainWindow.h"
#include "client-gui/widgets/TransferCard.h"
#include "client-gui/widgets/TransferList.h"
#include "client-gui/widgets/TransfersWindow.h"
#include "client-gui/widgets/TrayNotifier.h"

#include <boost/test/unit_test.hpp>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDropEvent>
#include <QFile>
#include <QMimeData>
#include <QMovie>
#include <QPlainTextEdit>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QTabWidget>
#include <QTest>

#include <filesystem>

using namespace parley::gui;
using namespace parley::gui::test;
namespace fs = std::filesystem;

namespace {

QString qpath(const fs::path& path) { return QString::fromStdString(path.string()); }

QByteArray readAll(const fs::path& path) {
    QFile file(qpath(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeAll(const fs::path& path, const QByteArray& bytes) {
    QFile file(qpath(path));
    BOOST_TEST_REQUIRE(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

/// A small PNG with something on it.
void writeImage(const fs::path& path) {
    QImage image(320, 200, QImage::Format_RGB32);
    image.fill(QColor(40, 110, 190));
    QPainter painter(&image);
    painter.setBrush(QColor(250, 200, 40));
    painter.drawEllipse(QPoint(160, 100), 70, 70);
    painter.end();
    BOOST_TEST_REQUIRE(image.save(qpath(path), "PNG"));
}

/// A 24x16 GIF of two frames (red, blue) 0.1 s apart, looping (made with ImageMagick's
/// `convert -size 24x16 xc:red xc:blue -delay 10 -loop 0`): Qt reads GIFs, it cannot write them.
const unsigned char kAnimatedGif[] = {
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x18, 0x00, 0x10, 0x00, 0xf0, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x21, 0xf9, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0xff, 0x0b, 0x4e, 0x45, 0x54, 0x53, 0x43, 0x41,
    0x50, 0x45, 0x32, 0x2e, 0x30, 0x03, 0x01, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x18, 0x00, 0x10,
    0x00, 0x00, 0x02, 0x11, 0x84, 0x8f, 0xa9, 0xcb, 0xed, 0x0f, 0xa3, 0x9c, 0xb4, 0xda, 0x8b, 0xb3, 0xde, 0xbc,
    0xfb, 0xaf, 0x14, 0x00, 0x21, 0xf9, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x18,
    0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00, 0x02, 0x11, 0x84, 0x8f, 0xa9, 0xcb, 0xed, 0x0f,
    0xa3, 0x9c, 0xb4, 0xda, 0x8b, 0xb3, 0xde, 0xbc, 0xfb, 0xaf, 0x14, 0x00, 0x3b};

/// Stands in for the desktop's file manager and viewers: the file: URLs the client
/// asks QDesktopServices to open.
class UrlRecorder final : public QObject {
    Q_OBJECT
public:
    UrlRecorder() { QDesktopServices::setUrlHandler(QStringLiteral("file"), this, "open"); }
    ~UrlRecorder() override { QDesktopServices::unsetUrlHandler(QStringLiteral("file")); }
    QList<QUrl> urls;
public slots:
    void open(const QUrl& url) { urls.push_back(url); }
};

/// The open image viewers (top-level windows).
QList<ImageViewer*> viewers() {
    QList<ImageViewer*> found;
    for (QWidget* widget : QApplication::topLevelWidgets()) {
        if (auto* viewer = qobject_cast<ImageViewer*>(widget); viewer && viewer->isVisible()) found.push_back(viewer);
    }
    return found;
}

/// Both logged in, alice's conversation with bob and bob's with alice open; bob's
/// folder question answers `downloads`.
struct Conversations : AliceAndBob {
    parley::test::TempDir files{"parley-gui-files"};
    parley::test::TempDir downloads{"parley-gui-downloads"};
    ConversationView* toBob = nullptr;
    ConversationView* toAlice = nullptr;

    Conversations() {
        alice.logIn(server.port(), QStringLiteral("alice"));
        bob.logIn(server.port(), QStringLiteral("bob"));
        toBob = alice.app().chatWindow().openConversation(bobId);
        toAlice = bob.app().chatWindow().openConversation(aliceId);
        BOOST_TEST_REQUIRE(toBob->transferList() != nullptr);
        BOOST_TEST_REQUIRE(toAlice->transferList() != nullptr);
        toAlice->transferList()->setAskFolder(
            [this](const QString&, const QString&) { return qpath(downloads.path()); });
    }

    /// The newest card of `view`'s conversation (nullptr if none).
    static TransferCard* newestCard(ConversationView* view) {
        const QList<TransferCard*> cards = view->transferList()->findChildren<TransferCard*>();
        TransferCard* newest = nullptr;
        for (TransferCard* card : cards) {
            if (card->isVisibleTo(view) && (newest == nullptr || card->number() > newest->number())) newest = card;
        }
        return newest;
    }

    static QString stateOf(ConversationView* view) {
        TransferCard* card = newestCard(view);
        return card ? child<QLabel>(*card, "transferState")->text() : QString();
    }

    static bool buttonShown(ConversationView* view, const char* name) {
        TransferCard* card = newestCard(view);
        return card != nullptr && child<QPushButton>(*card, name)->isVisibleTo(card);
    }

    static bool thumbnailShown(ConversationView* view) {
        TransferCard* card = newestCard(view);
        return card != nullptr && child<QLabel>(*card, "transferThumbnail")->isVisibleTo(card);
    }

    /// alice offers `path`; waits for bob's offer card with Accept and Decline.
    void offer(const fs::path& path) {
        toBob->sendFiles({qpath(path)});
        BOOST_TEST_REQUIRE(waitUntil([&] { return buttonShown(toAlice, "acceptButton"); }), "bob saw no offer card");
        BOOST_TEST(buttonShown(toAlice, "declineButton"));
    }

    void click(ConversationView* view, const char* name) {
        TransferCard* card = newestCard(view);
        BOOST_TEST_REQUIRE(card != nullptr);
        QTest::mouseClick(child<QPushButton>(*card, name), Qt::LeftButton);
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(transfer_widgets, Conversations)

BOOST_AUTO_TEST_CASE(an_offer_accepted_in_the_window_arrives_and_both_cards_say_verified) {
    QByteArray bytes(300 * 1024, '\0');
    for (int i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 7919) & 0xFF);
    writeAll(files.path() / "notes.bin", bytes);
    offer(files.path() / "notes.bin");
    BOOST_TEST(stateOf(toBob).toStdString() == "waiting for bob to accept");
    BOOST_TEST(stateOf(toAlice).contains(QStringLiteral("offers this file")));

    click(toAlice, "acceptButton");
    BOOST_TEST_REQUIRE(waitUntil([&] {
                           return stateOf(toBob) == QStringLiteral("verified") &&
                                  stateOf(toAlice) == QStringLiteral("verified");
                       }),
                       "alice: " << stateOf(toBob).toStdString() << ", bob: " << stateOf(toAlice).toStdString());
    BOOST_TEST((readAll(downloads.path() / "notes.bin") == bytes));
    BOOST_TEST(buttonShown(toAlice, "openButton"));
    BOOST_TEST(buttonShown(toAlice, "showInFolderButton"));
    BOOST_TEST(!buttonShown(toAlice, "cancelButton"));
    // Open hands the saved file to the desktop, Show in folder its folder.
    UrlRecorder desktop;
    click(toAlice, "openButton");
    click(toAlice, "showInFolderButton");
    BOOST_TEST_REQUIRE(desktop.urls.size() == 2);
    BOOST_TEST(desktop.urls[0].toLocalFile().toStdString() == (downloads.path() / "notes.bin").string());
    BOOST_TEST(fs::equivalent(desktop.urls[1].toLocalFile().toStdString(), downloads.path()));
}

BOOST_AUTO_TEST_CASE(decline_in_the_window_shows_on_both_cards) {
    writeAll(files.path() / "unwanted.txt", "no thanks");
    offer(files.path() / "unwanted.txt");
    click(toAlice, "declineButton");
    BOOST_TEST(waitUntil([&] { return stateOf(toBob).startsWith(QStringLiteral("declined by")); }),
               stateOf(toBob).toStdString());
    BOOST_TEST(stateOf(toAlice).toStdString() == "declined");
    BOOST_TEST(fs::is_empty(downloads.path()));
}

BOOST_AUTO_TEST_CASE(an_image_shows_as_a_thumbnail_on_both_sides) {
    writeImage(files.path() / "sunset.png");
    offer(files.path() / "sunset.png");
    BOOST_TEST(waitUntil([&] { return thumbnailShown(toBob); }), "the sender's thumbnail comes at once");
    BOOST_TEST(!thumbnailShown(toAlice), "the receiver's comes once verified");
    click(toAlice, "acceptButton");
    BOOST_TEST(waitUntil([&] { return thumbnailShown(toAlice); }), "bob's card shows no thumbnail");
    BOOST_TEST(stateOf(toAlice).toStdString() == "verified");
    // Cached in the profile, under the file's hash.
    const fs::path cache = bob.profile();
    bool cached = false;
    for (const auto& entry : fs::recursive_directory_iterator(cache)) {
        cached =
            cached || (entry.path().parent_path().filename() == "thumbnails" && entry.path().extension() == ".png");
    }
    BOOST_TEST(cached);
}

BOOST_AUTO_TEST_CASE(a_gif_plays_in_its_card_and_a_click_opens_the_viewer_esc_closes_it) {
    writeAll(files.path() / "blink.gif",
             QByteArray(reinterpret_cast<const char*>(kAnimatedGif), static_cast<int>(sizeof kAnimatedGif)));
    offer(files.path() / "blink.gif");
    click(toAlice, "acceptButton");
    BOOST_TEST_REQUIRE(waitUntil([&] { return thumbnailShown(toAlice); }), stateOf(toAlice).toStdString());
    auto* thumbnail = child<QLabel>(*newestCard(toAlice), "transferThumbnail");
    BOOST_TEST_REQUIRE(thumbnail->movie() != nullptr, "a GIF's thumbnail is a movie");
    BOOST_TEST(waitUntil([&] { return thumbnail->movie()->state() == QMovie::Running; }));
    const int firstFrame = thumbnail->movie()->currentFrameNumber();
    BOOST_TEST(waitUntil([&] { return thumbnail->movie()->currentFrameNumber() != firstFrame; }),
               "the GIF does not animate");

    BOOST_TEST_REQUIRE(viewers().isEmpty());
    QTest::mouseClick(thumbnail, Qt::LeftButton);
    BOOST_TEST_REQUIRE(waitUntil([&] { return viewers().size() == 1; }), "no viewer opened");
    ImageViewer* viewer = viewers().front();
    auto* shown = viewer->findChild<QLabel*>(QStringLiteral("imageViewerLabel"));
    BOOST_TEST_REQUIRE(shown != nullptr);
    BOOST_TEST((shown->movie() != nullptr && shown->movie()->state() == QMovie::Running));
    // It comes to the front: Esc is the viewer's then, not the conversation window's.
    BOOST_TEST_REQUIRE(QTest::qWaitForWindowActive(viewer), "the viewer did not become the active window");
    const int tabsBefore = bob.app().chatWindow().findChild<QTabWidget*>(QStringLiteral("chatTabs"))->count();
    QTest::keyClick(viewer, Qt::Key_Escape);
    BOOST_TEST(waitUntil([&] { return viewers().isEmpty(); }), "Esc did not close the viewer");
    // ... and only the viewer: the conversation behind it stays open.
    BOOST_TEST(bob.app().chatWindow().findChild<QTabWidget*>(QStringLiteral("chatTabs"))->count() == tabsBefore);
}

BOOST_AUTO_TEST_CASE(files_dropped_on_the_conversation_and_a_pasted_image_are_offered) {
    writeAll(files.path() / "dropped-1.txt", "one");
    writeAll(files.path() / "dropped-2.txt", "two");
    QMimeData dragged;
    dragged.setUrls({QUrl::fromLocalFile(qpath(files.path() / "dropped-1.txt")),
                     QUrl::fromLocalFile(qpath(files.path() / "dropped-2.txt"))});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &dragged, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(toBob, &enter);
    BOOST_TEST(enter.isAccepted(), "local files are not accepted for a drop");
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &dragged, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(toBob, &drop);
    TransferListModel* atBob = bob.controller().transfers()->model();
    BOOST_TEST_REQUIRE(waitUntil([&] { return atBob->rowCount() == 2; }), "bob got " << atBob->rowCount() << " offers");

    // An image copied to the clipboard and pasted into the message field (Ctrl+V).
    QImage image(64, 48, QImage::Format_RGB32);
    image.fill(QColor(200, 60, 60));
    auto* clipboardData = new QMimeData;  // the clipboard takes ownership
    clipboardData->setImageData(image);
    QApplication::clipboard()->setMimeData(clipboardData);
    auto* edit = child<QPlainTextEdit>(*toBob, "messageEdit");
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_V, Qt::ControlModifier);
    BOOST_TEST_REQUIRE(waitUntil([&] { return atBob->rowCount() == 3; }), "the pasted image was not offered");
    const QString pasted = QString::fromStdString(atBob->at(2).info.name);
    BOOST_TEST(pasted.startsWith(QStringLiteral("pasted-")), pasted.toStdString());
    BOOST_TEST(pasted.endsWith(QStringLiteral(".png")), pasted.toStdString());
    BOOST_TEST(edit->toPlainText().isEmpty(), "the image went into the text");
    click(toAlice, "acceptButton");
    BOOST_TEST(waitUntil([&] { return thumbnailShown(toAlice); }), stateOf(toAlice).toStdString());
}

BOOST_AUTO_TEST_CASE(a_broken_image_is_a_plain_file_card) {
    writeAll(files.path() / "broken.png", "this is not a PNG at all");
    offer(files.path() / "broken.png");
    click(toAlice, "acceptButton");
    BOOST_TEST_REQUIRE(waitUntil([&] { return stateOf(toAlice) == QStringLiteral("verified"); }));
    TransferListModel* model = bob.controller().transfers()->model();
    BOOST_TEST(waitUntil([&] { return !model->at(model->rowCount() - 1).image; }), "still taken for an image");
    BOOST_TEST(!thumbnailShown(toAlice));
    BOOST_TEST(!thumbnailShown(toBob));
    BOOST_TEST(buttonShown(toAlice, "openButton"));
    BOOST_TEST((readAll(downloads.path() / "broken.png") == QByteArray("this is not a PNG at all")));
}

BOOST_AUTO_TEST_CASE(the_transfers_window_lists_every_transfer_and_clears_the_finished) {
    writeAll(files.path() / "one.txt", "one");
    offer(files.path() / "one.txt");
    click(toAlice, "acceptButton");
    BOOST_TEST_REQUIRE(waitUntil([&] { return stateOf(toBob) == QStringLiteral("verified"); }));
    writeAll(files.path() / "two.txt", "two");
    offer(files.path() / "two.txt");  // left open

    child<QAction>(alice.app().mainWindow(), "transfersAction")->trigger();
    TransfersWindow* window = alice.app().transfersWindow();
    BOOST_TEST_REQUIRE(window != nullptr);
    BOOST_TEST(window->isVisible());
    BOOST_TEST(window->list().cardCount() == 2);
    QTest::mouseClick(child<QPushButton>(*window, "clearFinishedButton"), Qt::LeftButton);
    BOOST_TEST(waitUntil([&] { return window->list().cardCount() == 1; }));
    BOOST_TEST(stateOf(toBob).toStdString() == "waiting for bob to accept");
}

BOOST_AUTO_TEST_CASE(an_offer_to_a_conversation_not_in_view_notifies) {
    bob.app().chatWindow().closeAll();
    writeAll(files.path() / "ping.txt", "ping");
    toBob->sendFiles({qpath(files.path() / "ping.txt")});
    const TrayNotifier& tray = bob.app().tray();
    BOOST_TEST(waitUntil([&] { return tray.lastNotification().text == QStringLiteral("ping.txt"); }),
               "no notification: " << tray.lastNotification().text.toStdString());
    BOOST_TEST(tray.lastNotification().peerId == aliceId);
    BOOST_TEST(tray.lastNotification().title.contains(QStringLiteral("offers a file")));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(transfer_card)

// Past 4 GiB the bar, the size and the time left do not wrap: 5 GiB, 4.5 GiB of it done.
BOOST_AUTO_TEST_CASE(a_five_gib_card_at_four_and_a_half_gib_shows_90_percent_and_5_gb) {
    constexpr quint64 kGiB = 1024ull * 1024 * 1024;
    const QLocale before;
    QLocale::setDefault(QLocale::c());
    TransferRow row;
    row.info.number = 7;
    row.info.direction = parley::transfer::Direction::Incoming;
    row.info.name = "five.bin";
    row.info.size = 5 * kGiB;
    row.info.done = 4 * kGiB + kGiB / 2;
    row.info.state = parley::transfer::TransferState::Active;
    row.peerName = QStringLiteral("ALICE");
    row.bytesPerSecond = 100.0 * 1024 * 1024;
    TransferCard card;
    card.setRow(row);
    QLocale::setDefault(before);

    const QProgressBar* bar = child<QProgressBar>(card, "transferProgress");
    BOOST_TEST(bar->value() == 900);
    BOOST_TEST(bar->maximum() == 1000);
    BOOST_TEST(child<QLabel>(card, "transferName")->text().toStdString() == "five.bin \u2014 5.0 GB, from ALICE");
    BOOST_TEST(child<QLabel>(card, "transferSpeed")->text().toStdString() == "100.0 MB/s, 5 s left");
}

BOOST_AUTO_TEST_SUITE_END()

#include "TransferWidgetsTest.moc"
