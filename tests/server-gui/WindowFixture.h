#pragma once
// The server window with fast test settings (one I/O thread, cheap hashing, a
// temporary SQLite file), its widgets found by object name: the fixture of the
// server_gui_tests cases.

#include "server-gui/ServerWindow.h"
#include "tests/server-gui/GuiTestSupport.h"
#include "tests/support/TempDir.h"

#include <boost/test/unit_test.hpp>

#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

#include <cstdlib>
#include <memory>
#include <string>

namespace parley::test {

using server::ServerConfig;
using server::ServerWindow;

/// The parley-cli binary the suite drives (PARLEY_CLI_BINARY, set by ctest).
inline std::string cliBinary() {
    const char* path = std::getenv("PARLEY_CLI_BINARY");
    BOOST_REQUIRE_MESSAGE(path != nullptr, "PARLEY_CLI_BINARY is not set (run through ctest)");
    return path;
}

/// A window with fast test settings, its widgets found by object name.
struct WindowFixture {
    WindowFixture() {
        ServerConfig config;
        config.listenHost = "127.0.0.1";
        config.database = "sqlite:" + dir.file("parley.db");
        config.threads = 1;
        config.dbWorkers = 1;
        config.passwordIterations = 1000;
        server::WindowSetup setup;
        setup.logFile = QString::fromStdString(dir.file("server-window.log"));
        window = std::make_unique<ServerWindow>(config, setup);
        window->show();
        hostEdit = find<QLineEdit>("listenHostEdit");
        portSpin = find<QSpinBox>("listenPortSpin");
        databaseEdit = find<QLineEdit>("databaseEdit");
        startButton = find<QPushButton>("startButton");
        stopButton = find<QPushButton>("stopButton");
        statusLabel = find<QLabel>("statusLabel");
        onlineTable = find<QTableView>("onlineTable");
        kickButton = find<QPushButton>("kickButton");
        logView = find<QPlainTextEdit>("logView");
        statsLabel = find<QLabel>("statsLabel");
    }
    ~WindowFixture() { window->close(); }

    template <class T>
    T* find(const char* name) {
        return test::findWidget<T>(*window, name);
    }

    void startOn(quint16 port) {
        portSpin->setValue(port);
        QTest::mouseClick(startButton, Qt::LeftButton);
    }

    bool running() const { return window->controller()->isRunning(); }
    /// The start runs on a worker: true once it has reported back (running or not).
    bool startSettled() {
        return waitUntil([&] { return !window->controller()->isStarting(); });
    }

    /// What the online table shows at (row, column) after sorting and filtering.
    QString cell(int row, int column) const { return onlineTable->model()->index(row, column).data().toString(); }
    int onlineRows() const { return onlineTable->model()->rowCount(); }
    /// Selects the table row of `username`; false if it is not shown.
    bool selectUser(const QString& username) {
        for (int row = 0; row < onlineRows(); ++row) {
            if (cell(row, 1) != username) continue;
            onlineTable->selectRow(row);
            return true;
        }
        return false;
    }
    /// Kick on the selected row, answering the reason dialog with `reason`.
    void kickSelected(const QString& reason) {
        BOOST_REQUIRE(kickButton->isEnabled());
        QTest::mouseClick(kickButton, Qt::LeftButton);
        auto* dialog = window->findChild<QInputDialog*>(QStringLiteral("kickReasonDialog"));
        BOOST_REQUIRE(dialog != nullptr);
        dialog->setTextValue(reason);
        dialog->accept();
    }

    test::TempDir dir{"parley-server-gui"};
    std::unique_ptr<ServerWindow> window;
    QLineEdit* hostEdit = nullptr;
    QSpinBox* portSpin = nullptr;
    QLineEdit* databaseEdit = nullptr;
    QPushButton* startButton = nullptr;
    QPushButton* stopButton = nullptr;
    QLabel* statusLabel = nullptr;
    QTableView* onlineTable = nullptr;
    QPushButton* kickButton = nullptr;
    QPlainTextEdit* logView = nullptr;
    QLabel* statsLabel = nullptr;
};

}  // namespace parley::test
