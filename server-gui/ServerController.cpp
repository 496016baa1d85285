#include "server-gui/ServerController.h"

#include "server-gui/ServerLogBridge.h"

#include <QTime>

#include <exception>

namespace parley::server {

ServerController::ServerController(ServerConfig config, QObject* parent)
    : QObject(parent), m_config(std::move(config)), m_bridge(new ServerLogBridge(this)) {
    // Queued explicitly: the bridge emits from I/O and store threads.
    connect(m_bridge, &ServerLogBridge::logLine, this, &ServerController::logLine, Qt::QueuedConnection);
    connect(m_bridge, &ServerLogBridge::presenceChanged, this, &ServerController::refresh, Qt::QueuedConnection);
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &ServerController::refresh);
}

ServerController::~ServerController() {
    // Stop before the bridge (a child QObject) is destroyed. A start still running
    // finishes first; its queued report is dropped with this object.
    m_timer.stop();
    joinStartWorker();
    if (m_starting) m_starting->stop();
    m_starting.reset();
    if (m_server) m_server->stop();
    m_server.reset();
}

void ServerController::joinStartWorker() {
    if (m_startWorker.joinable()) m_startWorker.join();
}

bool ServerController::isRunning() const { return m_server && m_server->running(); }

quint16 ServerController::port() const { return isRunning() ? m_server->port() : quint16(0); }

QString ServerController::certificateFingerprint() const {
    return isRunning() ? QString::fromStdString(m_server->certificateFingerprint()) : QString();
}

void ServerController::setCluster(RemoteUsersFactory cluster) {
    m_cluster = std::move(cluster);
    emit clusterChanged(clustered());
}

void ServerController::start() {
    if (isRunning() || isStarting()) return;
    m_server.reset();
    m_starting = std::make_unique<Server>(m_config, m_bridge, Clock::system(), m_cluster);
    m_startWorker = std::thread([this, server = m_starting.get()] {
        QString error;
        try {
            server->start();
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
            if (error.isEmpty()) error = QStringLiteral("unknown error");
        }
        // Dropped if this controller is gone by then (its destructor joined us).
        QMetaObject::invokeMethod(
            this, [this, error] { startFinished(error); }, Qt::QueuedConnection);
    });
}

void ServerController::startFinished(const QString& error) {
    joinStartWorker();
    if (!m_starting) return;  // stop() came first and ended that run
    if (!error.isEmpty()) {
        m_starting.reset();
        m_lastError = error;
        log(QStringLiteral("error"), QStringLiteral("start failed: ") + m_lastError);
        emit errorOccurred(m_lastError);
        emit stateChanged(false, 0);
        return;
    }
    m_server = std::move(m_starting);
    ++m_run;
    m_snapshotPending = false;
    m_lastError.clear();
    m_history.clear();
    m_history.add(m_server->stats(), 0.0);  // the baseline: the first tick is a whole sample
    m_sinceLast.start();
    emit stateChanged(true, m_server->port());
    m_timer.start();
    refresh();
}

void ServerController::stop() {
    if (m_starting) {
        // Rare (Stop or quit during a start): wait for it, then stop what it started.
        joinStartWorker();
        m_starting->stop();
        m_starting.reset();
        log(QStringLiteral("info"), QStringLiteral("stopped while starting"));
        emit stateChanged(false, 0);
        return;
    }
    if (!m_server) return;
    m_timer.stop();
    m_server->stop();
    m_server.reset();
    log(QStringLiteral("info"), QStringLiteral("stopped"));
    emit stateChanged(false, 0);
    emit statsUpdated(ServerFigures{});
    emit onlineSessionsUpdated({});
    emit transfersUpdated({});
}

void ServerController::kick(quint32 userId, const QString& reason) {
    if (!isRunning()) return;
    if (m_server->kick(userId, reason.toStdString())) {
        log(QStringLiteral("info"), QStringLiteral("kicked user id %1: %2").arg(userId).arg(reason));
    } else {
        log(QStringLiteral("warn"), QStringLiteral("user id %1 is not online").arg(userId));
    }
    refresh();
}

void ServerController::abortTransfer(quint32 sender, quint64 transferId, const QString& reason) {
    if (!isRunning()) return;
    if (m_server->abortTransfer(sender, transferId, reason.toStdString())) {
        log(QStringLiteral("info"),
            QStringLiteral("aborted transfer %1 of user id %2: %3").arg(transferId).arg(sender).arg(reason));
    } else {
        log(QStringLiteral("warn"),
            QStringLiteral("transfer %1 of user id %2 is not in progress").arg(transferId).arg(sender));
    }
    refresh();
}

void ServerController::refresh() {
    if (!isRunning()) return;
    ServerFigures figures;
    figures.stats = m_server->stats();
    // Refreshes triggered by presence events come in between timer ticks; a
    // sample is taken only over a long enough window so the rates do not jump.
    const qint64 elapsedMs = m_sinceLast.elapsed();
    if (elapsedMs >= 500) {
        m_history.add(figures.stats, static_cast<double>(elapsedMs));
        m_sinceLast.restart();
    }
    figures.messagesPerSecond = m_history.latest().messagesPerSecond;
    // A copy taken under the cluster's lock, which its threads hold only briefly.
    figures.clusterMembers = m_server->clusterMembers();
    emit statsUpdated(figures);
    emit transfersUpdated(m_server->transfers());
    requestSessions();
}

void ServerController::requestSessions() {
    // One snapshot at a time: slow loops do not pile requests up.
    if (m_snapshotPending) return;
    m_snapshotPending = true;
    m_server->snapshotSessions(onGuiThread([this](const std::vector<OnlineSession>& sessions) {
        m_snapshotPending = false;
        if (isRunning()) emit onlineSessionsUpdated(sessions);
    }));
}

void ServerController::refreshAccounts() {
    if (!isRunning()) return;
    m_server->listAccounts(onGuiThread([this](const db::ValueResult<std::vector<db::UserSummary>>& accounts) {
        if (accounts.ok()) emit accountsUpdated(accounts.value);
        else
            log(QStringLiteral("error"),
                QStringLiteral("cannot list the accounts: ") + QString::fromStdString(accounts.error));
    }));
}

void ServerController::setAccountDisabled(quint32 userId, bool disabled) {
    if (!isRunning()) return;
    const QString done = disabled ? tr("Account %1 disabled.").arg(userId) : tr("Account %1 enabled.").arg(userId);
    m_server->setAccountDisabled(
        userId, disabled, onGuiThread([this, done](const db::Result& result) { reportAccountChange(result, done); }));
}

void ServerController::resetPassword(quint32 userId, const QString& password) {
    if (!isRunning()) return;
    const QString done = tr("Password of account %1 reset.").arg(userId);
    m_server->resetPassword(userId, password.toStdString(),
                            onGuiThread([this, done](const db::Result& result) { reportAccountChange(result, done); }));
}

void ServerController::revokeSessions(quint32 userId) {
    if (!isRunning()) return;
    const QString done = tr("Sessions of account %1 revoked: its saved logins ask for the password again.").arg(userId);
    m_server->revokeSessions(
        userId, onGuiThread([this, done](const db::Result& result) { reportAccountChange(result, done); }));
}

void ServerController::reportAccountChange(const db::Result& result, const QString& done) {
    emit accountChanged(result.ok(), result.ok() ? done : QString::fromStdString(result.error));
    refreshAccounts();
}

void ServerController::log(const QString& level, const QString& text) {
    emit logLine(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), level, text);
}

}  // namespace parley::server
