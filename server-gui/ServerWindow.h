#pragma once
// ServerWindow: the operator's window ("Parley Server"). Edits the listen
// address and database, has Start/Stop, shows the status, the online users
// (with Kick), the log and throughput figures. It holds no engine logic: it
// forwards clicks to ServerController and redraws from its signals.
//
// Object names (the GUI test contract, see tests/server-gui):
//   listenHostEdit, listenPortSpin, databaseEdit, startButton, stopButton,
//   statusLabel, onlineTable, kickButton, logView, statsLabel
//
// Threading: GUI thread only. Closing the window stops the server.

#include "server-gui/ServerController.h"
#include "server-gui/engine/ServerConfig.h"

#include <QMainWindow>

#include <vector>

class QCloseEvent;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace parley::server {

class ServerWindow final : public QMainWindow {
    Q_OBJECT
public:
    /// `config` gives the initial field values and every setting the window does not edit.
    explicit ServerWindow(const ServerConfig& config, QWidget* parent = nullptr);
    ~ServerWindow() override;

    ServerController* controller() const { return m_controller; }

protected:
    void closeEvent(QCloseEvent* event) override;

private slots:
    void onStartClicked();
    void onKickClicked();
    void onStateChanged(bool running, quint16 port);
    void onErrorOccurred(const QString& message);
    void onLogLine(const QString& time, const QString& level, const QString& text);
    void onStatsUpdated(const parley::server::ServerFigures& figures);
    void onOnlineUsersUpdated(const std::vector<parley::server::OnlineUser>& users);
    void updateKickButton();

private:
    void setEditable(bool editable);

    Q_DISABLE_COPY(ServerWindow)
    ServerController* m_controller;
    QLineEdit* m_hostEdit;
    QSpinBox* m_portSpin;
    QLineEdit* m_databaseEdit;
    QPushButton* m_startButton;
    QPushButton* m_stopButton;
    QLabel* m_statusLabel;
    QTableWidget* m_onlineTable;
    QPushButton* m_kickButton;
    QPlainTextEdit* m_logView;
    QLabel* m_statsLabel;
};

}  // namespace parley::server
