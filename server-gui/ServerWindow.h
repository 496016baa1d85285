#pragma once
// ServerWindow: the operator's window ("Parley Server"). Start/Stop and the
// status on top (and "cluster 2/3", members alive / known, when clustered); tabs
// below: Settings (SettingsForm, editable while stopped, saved at Start), Online
// users (with Kick), All users (Disable, Reset password), Transfers (Abort),
// Cluster (its members, or why there are none), Throughput, Log. It holds no
// engine logic: it forwards clicks to ServerController and redraws from its
// signals.
//
// Object names (the GUI test contract, see tests/server-gui; the settings
// fields are listed in SettingsForm.h):
//   startErrorDialog (after a failed Start), tabs, settingsForm, startButton, stopButton, statusLabel,
//   clusterStatusLabel (hidden when not clustered), onlineUsers (OnlineUsersView.h lists its own),
//   accounts (AccountsView.h), transfers (TransfersView.h), cluster (ClusterView.h),
//   throughputGraph, log (LogPanel.h: logView, ...), statsLabel
//
// Closing the window while the server runs asks (closeQuestion: stopAndQuitButton,
// keepInTrayButton when there is a system tray, Cancel); quit() (the tray's
// Quit, SIGTERM) stops the server and ends the application. The tray icon
// shows the state (running / stopped / error) and has Start, Stop, Show, Quit.
//
// Threading: GUI thread only.

#include "server-gui/ServerController.h"
#include "server-gui/engine/ServerConfig.h"

#include <QMainWindow>

#include <vector>

class QCloseEvent;
class QLabel;
class QPushButton;
class QSystemTrayIcon;
class QTabWidget;

namespace parley::server {

class AccountsView;
class ClusterView;
class LogPanel;
class OnlineUsersView;
class SettingsForm;
class ThroughputGraph;
class TransfersView;

/// Where the window keeps what it remembers (see WindowSettings.h).
struct WindowSetup {
    /// The settings file written at Start; empty: nothing is saved (tests that do not ask).
    QString settingsFile;
    /// What the "embedded SQLite file" choice fills in; empty: the config's database.
    QString defaultSqlite;
    /// The log file (rotated); empty: the log stays in memory only.
    QString logFile;
};

class ServerWindow final : public QMainWindow {
    Q_OBJECT
public:
    /// `config` gives the initial field values and every setting the window does not edit.
    explicit ServerWindow(const ServerConfig& config, WindowSetup setup = {}, QWidget* parent = nullptr);
    ~ServerWindow() override;

    ServerController* controller() const { return m_controller; }

public slots:
    /// Stops the server (clients are told) and quits the application.
    void quit();

protected:
    void closeEvent(QCloseEvent* event) override;

private slots:
    void onStartClicked();
    void onStateChanged(bool running, quint16 port);
    void onErrorOccurred(const QString& message);
    void onLogLine(const QString& time, const QString& level, const QString& text);
    void onStatsUpdated(const parley::server::ServerFigures& figures);
    void updateClusterStatus(const std::vector<parley::server::ClusterMemberView>& members);
    void updateStartButton();
    void askOnClose();
    void updateTray();
    void showAbout();

private:
    Q_DISABLE_COPY(ServerWindow)
    WindowSetup m_setup;
    bool m_quitting = false;
    ServerController* m_controller;
    QTabWidget* m_tabs;
    SettingsForm* m_settings;
    QPushButton* m_startButton;
    QPushButton* m_stopButton;
    QLabel* m_statusLabel;
    OnlineUsersView* m_online;
    AccountsView* m_accounts;
    TransfersView* m_transfers;
    ClusterView* m_cluster;
    QLabel* m_clusterStatusLabel;
    LogPanel* m_log;
    QLabel* m_statsLabel;
    ThroughputGraph* m_graph;
    QSystemTrayIcon* m_tray = nullptr;  ///< null without a system tray
};

}  // namespace parley::server
