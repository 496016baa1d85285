#pragma once
// Helpers of the client core suites: the Qt event loop while waiting, a real
// parley-server as a child process, and controllers with their own profiles.

#include "client-gui/core/AccountPaths.h"
#include "client-gui/core/ServerAddress.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/TempDir.h"

#include <QString>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace parley::gui {
class SessionController;
}

namespace parley::gui::test {

using namespace std::chrono_literals;

/// Runs the Qt event loop until `condition` holds or `limit` passes; returns its last value.
bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds limit = 15s);
/// Runs the Qt event loop for `duration` (to show that something does NOT happen).
void spin(std::chrono::milliseconds duration);

/// A port on 127.0.0.1 that was free a moment ago.
std::uint16_t freePort();

/// How a ServerProcess listens.
enum class Transport {
    Tls,        ///< the default: TLS, the self-signed certificate of its data folder
    Plaintext,  ///< --plaintext
};

/// parley-server (PARLEY_SERVER_BINARY) on a free port with its own SQLite file and data
/// folder (dir/data: the self-signed certificate) in `dir`. RAII: the destructor stops
/// it. start() again after kill() keeps port, database and certificate.
class ServerProcess {
public:
    /// `extraArgs` are added to parley-server's command line (e.g. "--rate", "100000").
    explicit ServerProcess(std::filesystem::path dir, std::vector<std::string> extraArgs = {},
                           Transport transport = Transport::Tls);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    void start();
    /// SIGKILL: no goodbye to anyone.
    void kill();
    /// SIGTERM: a graceful stop (every session is told KICKED ServerShutdown).
    void stop();
    ServerAddress address() const { return {QStringLiteral("127.0.0.1"), m_port}; }
    std::string output() const;
    Transport transport() const { return m_transport; }
    /// The data folder (its self-signed pair: tls-certificate.pem, tls-key.pem).
    std::filesystem::path dataDir() const { return m_dir / "data"; }
    /// The SHA-256 fingerprint of the certificate presented (the self-signed one unless
    /// --tls-cert is among the extra arguments); "" for Plaintext.
    QString fingerprint() const;
    /// Pins fingerprint() for this server in `profileDir`, as trusting it on first contact does.
    void pinIn(const QString& profileDir) const;
    /// The profile in `profileDir`, with this server's certificate pinned in it.
    AccountPaths pinnedProfile(const QString& profileDir) const;

private:
    std::filesystem::path m_dir;
    std::vector<std::string> m_extraArgs;
    Transport m_transport;
    std::uint16_t m_port;
    int m_starts = 0;
    std::unique_ptr<parley::test::ChildProcess> m_process;
};

/// Registers `name` (display name: upper case) with a throwaway controller on `profile`.
void registerUser(const AccountPaths& profile, const ServerAddress& server, const QString& name,
                  const QString& password);
/// The user id of `name` in `c`'s contact list (0 if absent).
quint32 idOf(const SessionController& c, const QString& name);

inline QString qstr(const std::filesystem::path& path) { return QString::fromStdString(path.string()); }

}  // namespace parley::gui::test
