#include "server-gui/HeadlessServer.h"

#include "server-gui/ClusterJoin.h"
#include "server-gui/StopSignals.h"
#include "server-gui/engine/RemoteUsers.h"
#include "server-gui/engine/Server.h"
#include "shared/files/PrivateFiles.h"

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>
#include <utility>

namespace parley::server {
namespace {

// Not thread-safe (std::localtime): called only under StdoutLog's mutex.
std::string timestamp() {
    const std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", std::localtime(&now));
    return text;
}

/// The headless log: stdout, or a file (--log) that reopen() opens again after
/// logrotate moved it away. Files Parley creates are readable by its user only.
class StdoutLog final : public ServerObserver {
public:
    explicit StdoutLog(std::string path) : m_path(std::move(path)) {}

    /// Opens (again) the log file; empty string or why it cannot.
    std::string reopen() {
        if (m_path.empty()) return {};
        std::lock_guard<std::mutex> lock(m_mutex);
        m_file.close();
        m_file.clear();
        m_file.open(m_path, std::ios::app);
        if (!m_file) return "cannot open the log file " + m_path;
        files::restrictToOwner(std::filesystem::u8path(m_path));  // FAT: stays as it is
        return {};
    }

    void onLog(LogLevel level, const std::string& line) override {
        write(std::string(net::Logger::toString(level)), line);
    }
    void onUserOnline(proto::UserId id, const std::string& username, const std::string& address) override {
        write("info", username + " (id " + std::to_string(id) + ") is online from " + address);
    }
    void onUserOffline(proto::UserId id, const std::string& username) override {
        write("info", username + " (id " + std::to_string(id) + ") is offline");
    }
    void write(const std::string& level, const std::string& line) {
        std::lock_guard<std::mutex> lock(m_mutex);
        std::ostream& out = m_path.empty() ? std::cout : m_file;
        out << timestamp() << " [" << level << "] " << line << std::endl;
    }

private:
    const std::string m_path;
    std::ofstream m_file;
    std::mutex m_mutex;
};

/// How clients can tell the server: its certificate's fingerprint, or a warning.
std::string transportText(const Server& server) {
    const std::string fingerprint = server.certificateFingerprint();
    return fingerprint.empty() ? "plaintext, no TLS" : "TLS, certificate SHA-256 " + fingerprint;
}

std::string statsLine(const StatsSnapshot& s, const Server& server) {
    std::ostringstream out;
    out << "stats: " << s.usersOnline << " online, " << s.connectionsOpen << " connections, " << s.messagesRouted
        << " routed, " << s.messagesStored << " stored, " << s.messagesFromStore << " delivered from store, "
        << s.roomMessages << " room, " << s.bytesIn << " B in, " << s.bytesOut << " B out, " << s.transfersActive
        << " file transfers, " << s.fileBytesRelayed << " file B relayed; " << transportText(server);
    const std::vector<ClusterMemberView> members = server.clusterMembers();
    if (!members.empty()) {
        std::size_t alive = 0;
        std::string names;
        for (const ClusterMemberView& m : members) {
            alive += m.alive ? 1 : 0;
            names += (names.empty() ? "" : ", ") + m.node +
                     (m.self    ? " (this node)"
                      : m.alive ? ""
                                : " (silent)") +
                     " " + std::to_string(m.usersOnline) + " online";
        }
        out << "; cluster " << alive << "/" << members.size() << " nodes: " << names;
    }
    return out.str();
}

}  // namespace

int runHeadless(const ServerOptions& options) {
    StdoutLog log(options.logFile);
    if (std::string error = log.reopen(); !error.empty()) {
        std::cerr << "parley-server: " << error << std::endl;
        return 2;
    }
    RemoteUsersFactory cluster;
    if (std::string error = makeClusterFactory(options, cluster); !error.empty()) {
        std::cerr << "parley-server: " << error << std::endl;
        return 2;
    }
    Server server(options.config, &log, Clock::system(), std::move(cluster));
    try {
        server.start();
    } catch (const StartError& error) {
        std::cerr << "parley-server: " << error.what() << std::endl;
        return 2;
    }
    installStopSignals();
    // The port line is what scripts wait for (and learn the port from).
    log.write("info", "ready on port " + std::to_string(server.port()) + " (" + transportText(server) + ")");

    auto nextStats = std::chrono::steady_clock::now() + std::chrono::seconds(options.statsEverySeconds);
    while (!stopRequested()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (takeReopenRequest()) {
            if (std::string error = log.reopen(); !error.empty()) std::cerr << "parley-server: " << error << std::endl;
            else
                log.write("info", options.logFile.empty() ? "SIGHUP: logging to stdout, nothing to reopen"
                                                          : "SIGHUP: reopened the log file");
        }
        if (options.statsEverySeconds != 0 && std::chrono::steady_clock::now() >= nextStats) {
            log.write("info", statsLine(server.stats(), server));
            nextStats += std::chrono::seconds(options.statsEverySeconds);
        }
    }
    log.write("info", "stopping (signal received)");
    server.stop();
    return 0;
}

}  // namespace parley::server
