#include "server-gui/ServerWindow.h"

#include "server-gui/AccountsView.h"
#include "server-gui/ClusterModel.h"
#include "server-gui/ClusterView.h"
#include "server-gui/DisplayFormat.h"
#include "server-gui/LogPanel.h"
#include "server-gui/OnlineUsersView.h"
#include "server-gui/SettingsForm.h"
#include "server-gui/ThroughputGraph.h"
#include "server-gui/TransfersView.h"
#include "server-gui/WindowSettings.h"

#include <QAction>
#include <QClipboard>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QIcon>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QTime>
#include <QVBoxLayout>

namespace parley::server {
namespace {}  // namespace

ServerWindow::ServerWindow(const ServerConfig& config, WindowSetup setup, QWidget* parent)
    : QMainWindow(parent),
      m_setup(std::move(setup)),
      m_controller(new ServerController(config, this)),
      m_tabs(new QTabWidget),
      m_settings(new SettingsForm(
          config, m_setup.defaultSqlite.isEmpty() ? QString::fromStdString(config.database) : m_setup.defaultSqlite)),
      m_startButton(new QPushButton(tr("&Start"))),
      m_stopButton(new QPushButton(tr("S&top"))),
      m_statusLabel(new QLabel),
      m_online(new OnlineUsersView),
      m_accounts(new AccountsView),
      m_transfers(new TransfersView),
      m_cluster(new ClusterView),
      m_clusterStatusLabel(new QLabel),
      m_log(new LogPanel(m_setup.logFile)),
      m_statsLabel(new QLabel),
      m_graph(new ThroughputGraph) {
    setWindowTitle(tr("Parley Server"));

    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_settings->setObjectName(QStringLiteral("settingsForm"));
    m_startButton->setObjectName(QStringLiteral("startButton"));
    m_stopButton->setObjectName(QStringLiteral("stopButton"));
    m_statusLabel->setObjectName(QStringLiteral("statusLabel"));
    m_online->setObjectName(QStringLiteral("onlineUsers"));
    m_accounts->setObjectName(QStringLiteral("accounts"));
    m_transfers->setObjectName(QStringLiteral("transfers"));
    m_cluster->setObjectName(QStringLiteral("cluster"));
    m_clusterStatusLabel->setObjectName(QStringLiteral("clusterStatusLabel"));
    m_log->setObjectName(QStringLiteral("log"));
    m_statsLabel->setObjectName(QStringLiteral("statsLabel"));

    // Start/Stop and the status, above every tab.
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_startButton);
    buttons->addWidget(m_stopButton);
    buttons->addSpacing(12);
    buttons->addWidget(m_statusLabel, 1);
    buttons->addWidget(m_clusterStatusLabel);
    m_clusterStatusLabel->hide();
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statusLabel->setWordWrap(true);
    m_statusLabel->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* copyFingerprint = new QAction(tr("Copy certificate fingerprint"), m_statusLabel);
    copyFingerprint->setObjectName(QStringLiteral("copyFingerprintAction"));
    m_statusLabel->addAction(copyFingerprint);
    connect(copyFingerprint, &QAction::triggered, this,
            [this] { QGuiApplication::clipboard()->setText(m_controller->certificateFingerprint()); });

    // Throughput.
    auto* figures = new QWidget;
    auto* figuresLayout = new QVBoxLayout(figures);
    m_statsLabel->setTextFormat(Qt::RichText);
    m_statsLabel->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_statsLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* figuresRow = new QHBoxLayout;
    figuresRow->addWidget(m_statsLabel);
    figuresRow->addWidget(m_graph, 1);
    figuresLayout->addLayout(figuresRow, 1);

    auto* settingsScroll = new QScrollArea;
    settingsScroll->setWidget(m_settings);
    settingsScroll->setWidgetResizable(true);
    settingsScroll->setFrameShape(QFrame::NoFrame);
    m_tabs->addTab(settingsScroll, tr("Settings"));
    m_tabs->addTab(m_online, tr("Online users"));
    m_tabs->addTab(m_accounts, tr("All users"));
    m_tabs->addTab(m_transfers, tr("Transfers"));
    m_tabs->addTab(m_cluster, tr("Cluster"));
    m_tabs->addTab(figures, tr("Throughput"));
    m_tabs->addTab(m_log, tr("Log"));

    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->addLayout(buttons);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);
    resize(900, 640);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* about = help->addAction(tr("&About Parley Server"));
    about->setObjectName(QStringLiteral("aboutAction"));
    connect(about, &QAction::triggered, this, &ServerWindow::showAbout);

    connect(m_settings, &SettingsForm::validityChanged, this, &ServerWindow::updateStartButton);
    connect(m_startButton, &QPushButton::clicked, this, &ServerWindow::onStartClicked);
    connect(m_stopButton, &QPushButton::clicked, m_controller, &ServerController::stop);
    connect(m_online, &OnlineUsersView::kickRequested, m_controller, &ServerController::kick);
    connect(m_accounts, &AccountsView::refreshRequested, m_controller, &ServerController::refreshAccounts);
    connect(m_accounts, &AccountsView::disableRequested, m_controller, &ServerController::setAccountDisabled);
    connect(m_accounts, &AccountsView::resetPasswordRequested, m_controller, &ServerController::resetPassword);
    connect(m_accounts, &AccountsView::revokeSessionsRequested, m_controller, &ServerController::revokeSessions);
    connect(m_transfers, &TransfersView::abortRequested, m_controller, &ServerController::abortTransfer);
    connect(m_controller, &ServerController::transfersUpdated, m_transfers, &TransfersView::setTransfers);
    connect(m_controller, &ServerController::accountsUpdated, m_accounts, &AccountsView::setAccounts);
    connect(m_controller, &ServerController::accountChanged, m_accounts, &AccountsView::showResult);
    connect(m_controller, &ServerController::stateChanged, this, &ServerWindow::onStateChanged);
    connect(m_controller, &ServerController::errorOccurred, this, &ServerWindow::onErrorOccurred);
    connect(m_controller, &ServerController::logLine, this, &ServerWindow::onLogLine);
    connect(m_controller, &ServerController::statsUpdated, this, &ServerWindow::onStatsUpdated);
    connect(m_controller, &ServerController::onlineSessionsUpdated, m_online, &OnlineUsersView::setSessions);
    connect(m_controller, &ServerController::clusterChanged, m_cluster, &ClusterView::setConfigured);

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(this);
        auto* menu = new QMenu(this);
        connect(menu->addAction(tr("Start")), &QAction::triggered, this, &ServerWindow::onStartClicked);
        connect(menu->addAction(tr("Stop")), &QAction::triggered, m_controller, &ServerController::stop);
        connect(menu->addAction(tr("Show")), &QAction::triggered, this, [this] {
            showNormal();
            activateWindow();
        });
        menu->addSeparator();
        connect(menu->addAction(tr("Quit")), &QAction::triggered, this, &ServerWindow::quit);
        m_tray->setContextMenu(menu);
        connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger) setVisible(!isVisible());
        });
        m_tray->show();
    }
    setWindowIcon(QIcon(QStringLiteral(":/parley/server-48.png")));

    onStateChanged(false, 0);
    onStatsUpdated(ServerFigures{});
}

ServerWindow::~ServerWindow() = default;

void ServerWindow::closeEvent(QCloseEvent* event) {
    if (m_quitting || !m_controller->isRunning()) {
        m_controller->stop();
        event->accept();
        if (m_tray) m_tray->hide();
        return;
    }
    event->ignore();
    askOnClose();
}

void ServerWindow::askOnClose() {
    // open(), not exec(): the server keeps being shown while the operator decides.
    auto* box = new QMessageBox(QMessageBox::Question, tr("Parley Server"),
                                m_tray ? tr("Stop the server, or keep it running in the tray?")
                                       : tr("The server is running. Stop it and close the window?"),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("closeQuestion"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton* stop = box->addButton(tr("Stop the server"), QMessageBox::AcceptRole);
    stop->setObjectName(QStringLiteral("stopAndQuitButton"));
    QPushButton* keep = nullptr;
    if (m_tray) {
        keep = box->addButton(tr("Keep running in the tray"), QMessageBox::RejectRole);
        keep->setObjectName(QStringLiteral("keepInTrayButton"));
    }
    box->addButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::buttonClicked, this, [this, stop, keep](QAbstractButton* clicked) {
        if (clicked == stop) quit();
        else if (keep != nullptr && clicked == keep) hide();
    });
    box->open();
}

void ServerWindow::quit() {
    m_quitting = true;
    m_controller->stop();
    close();
    QCoreApplication::quit();
}

void ServerWindow::updateTray() {
    if (!m_tray) return;
    const bool running = m_controller->isRunning();
    const bool failed = !running && !m_controller->lastError().isEmpty();
    // The application icon with a dot: green running, grey stopped, red error.
    QPixmap pixmap(QStringLiteral(":/parley/server-48.png"));
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(Qt::white, 2));
    painter.setBrush(running ? QColor(0x1b, 0x7f, 0x2a) : failed ? QColor(0xb0, 0x00, 0x20) : QColor(0x80, 0x80, 0x80));
    painter.drawEllipse(
        QRectF(pixmap.width() * 0.55, pixmap.height() * 0.55, pixmap.width() * 0.4, pixmap.height() * 0.4));
    painter.end();
    m_tray->setIcon(QIcon(pixmap));
    m_tray->setToolTip(running  ? tr("Parley Server: running on port %1").arg(m_controller->port())
                       : failed ? tr("Parley Server: not started (%1)").arg(m_controller->lastError())
                                : tr("Parley Server: stopped"));
}

void ServerWindow::onStartClicked() {
    if (!m_settings->valid() || m_controller->isRunning() || m_controller->isStarting()) return;
    const ServerConfig config = m_settings->applyTo(m_controller->config());
    m_controller->setConfig(config);
    if (!m_setup.settingsFile.isEmpty()) {
        const QString error = writeWindowSettings(m_setup.settingsFile, config);
        if (!error.isEmpty())
            onLogLine(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), QStringLiteral("warn"),
                      tr("settings not saved: %1").arg(error));
    }
    m_statusLabel->setStyleSheet(QString());
    m_statusLabel->setText(tr("Starting…"));
    // The start runs on a worker: the window stays live, the form waits for its outcome.
    m_controller->start();
    m_settings->setEditable(false);
    updateStartButton();
}

void ServerWindow::onStateChanged(bool running, quint16 port) {
    m_settings->setEditable(!running);
    updateStartButton();
    m_stopButton->setEnabled(running);
    if (running) {
        const QString where =
            tr("Running on %1, port %2").arg(QString::fromStdString(m_controller->config().listenHost)).arg(port);
        const QString fingerprint = m_controller->certificateFingerprint();
        m_statusLabel->setToolTip(fingerprint.isEmpty() ? QString()
                                                        : tr("Certificate SHA-256 fingerprint (compare it with what a "
                                                             "client shows when it first connects):\n%1")
                                                              .arg(fingerprint));
        if (fingerprint.isEmpty()) {
            // --plaintext: the operator sees that the wire is in clear.
            m_statusLabel->setStyleSheet(QStringLiteral("color: #9a5b00; font-weight: bold;"));
            m_statusLabel->setText(where + tr(" — WITHOUT TLS: passwords and messages cross the network in clear"));
        } else {
            m_statusLabel->setStyleSheet(QStringLiteral("color: #1b7f2a; font-weight: bold;"));
            // The start of the fingerprint fits one line; the whole one is in the tooltip and
            // on the label's context menu ("Copy fingerprint").
            m_statusLabel->setText(where + tr(", TLS — certificate %1…").arg(fingerprint.left(23)));
        }
    } else if (m_controller->lastError().isEmpty()) {
        m_statusLabel->setStyleSheet(QString());
        m_statusLabel->setText(tr("Stopped"));
    }
    m_online->setKickAllowed(running);
    m_accounts->setActionsAllowed(running);
    m_transfers->setAbortAllowed(running);
    updateTray();
    if (running) m_controller->refreshAccounts();
}

void ServerWindow::onErrorOccurred(const QString& message) {
    updateTray();
    // A dialog that names the cause (port in use, database unreachable, ...); open(),
    // so that nothing waits on it. One at a time: a new error replaces the old one.
    delete findChild<QMessageBox*>(QStringLiteral("startErrorDialog"));
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Parley Server"), tr("The server did not start."),
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("startErrorDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(message);
    box->open();
    m_statusLabel->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold;"));
    m_statusLabel->setText(tr("Not started: %1").arg(message));
}

void ServerWindow::onLogLine(const QString& time, const QString& level, const QString& text) {
    m_log->append(time, level, text);
}

void ServerWindow::onStatsUpdated(const ServerFigures& figures) {
    m_graph->setSamples(m_controller->history().samples());
    const StatsSnapshot& s = figures.stats;
    const auto row = [](const QString& name, const QString& value) {
        return QStringLiteral("<tr><td>%1</td><td align=\"right\">&nbsp;&nbsp;<b>%2</b></td></tr>").arg(name, value);
    };
    QString html = QStringLiteral("<table cellspacing=\"2\">");
    html += row(tr("Connections"), tr("%1 open (%2 total)").arg(s.connectionsOpen).arg(s.connectionsTotal));
    html += row(tr("Users online"), QString::number(s.usersOnline));
    html += row(tr("Messages routed"), QString::number(s.messagesRouted));
    html += row(tr("Messages stored"), QString::number(s.messagesStored));
    html += row(tr("Delivered from store"), QString::number(s.messagesFromStore));
    html += row(tr("Room messages"), QString::number(s.roomMessages));
    html += row(tr("Messages/s"), QString::number(figures.messagesPerSecond, 'f', 1));
    html += row(tr("Bytes in"), formatBytes(s.bytesIn));
    html += row(tr("Bytes out"), formatBytes(s.bytesOut));
    html += row(tr("File transfers"),
                tr("%1 in progress, %2 relayed").arg(s.transfersActive).arg(formatBytes(s.fileBytesRelayed)));
    html += row(tr("Logins ok / failed"), QStringLiteral("%1 / %2").arg(s.loginsOk).arg(s.loginsFailed));
    if (!figures.clusterMembers.empty()) html += row(tr("Cluster"), clusterSummary(figures.clusterMembers));
    html += QStringLiteral("</table>");
    m_statsLabel->setText(html);
    m_cluster->setMembers(figures.clusterMembers);
    updateClusterStatus(figures.clusterMembers);
}

void ServerWindow::updateClusterStatus(const std::vector<ClusterMemberView>& members) {
    m_clusterStatusLabel->setVisible(!members.empty());
    m_clusterStatusLabel->setText(clusterSummary(members));
    const QString silent = silentMembers(members);
    // Amber while a member is silent: its users are offline here until it is back.
    m_clusterStatusLabel->setStyleSheet(silent.isEmpty() ? QStringLiteral("font-weight: bold;")
                                                         : QStringLiteral("color: #9a5b00; font-weight: bold;"));
    m_clusterStatusLabel->setToolTip(silent.isEmpty()
                                         ? tr("Every member of the cluster is alive (see the Cluster tab).")
                                         : tr("Silent: %1 (see the Cluster tab).").arg(silent));
}

void ServerWindow::updateStartButton() {
    m_startButton->setEnabled(!m_controller->isRunning() && !m_controller->isStarting() && m_settings->valid());
}

void ServerWindow::showAbout() {
    QMessageBox::about(this, tr("Parley Server — About"),
                       tr("<h3>Parley Server %1</h3><p>The server of a self-hosted team messenger: "
                          "users in SQL, chat and files routed by user id.</p>")
                           .arg(QStringLiteral(PARLEY_VERSION_STRING)));
}

}  // namespace parley::server
