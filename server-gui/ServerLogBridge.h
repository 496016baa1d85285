#pragma once
// ServerLogBridge: the engine's ServerObserver for the window. Callbacks arrive
// on I/O and store threads; the bridge only converts them to Qt values and
// emits signals, which the controller receives through queued connections on
// the GUI thread. It never touches widgets or controller state.
//
// Ownership: owned by ServerController, lives in the GUI thread and must
// outlive the Server that points at it.
// Threading: the ServerObserver methods may be called from any thread.

#include "server-gui/engine/ServerObserver.h"

#include <QObject>
#include <QString>

namespace parley::server {

class ServerLogBridge final : public QObject, public ServerObserver {
    Q_OBJECT
public:
    explicit ServerLogBridge(QObject* parent = nullptr);

    void onLog(LogLevel level, const std::string& line) override;
    void onUserOnline(proto::UserId id, const std::string& username, const std::string& address) override;
    void onUserOffline(proto::UserId id, const std::string& username) override;

signals:
    /// `time` is when the engine reported it ("HH:mm:ss"), `level` "info", "warn", ...
    void logLine(const QString& time, const QString& level, const QString& text);
    /// A user came online or went offline (the online table should refresh).
    void presenceChanged();

private:
    Q_DISABLE_COPY(ServerLogBridge)
};

}  // namespace parley::server
