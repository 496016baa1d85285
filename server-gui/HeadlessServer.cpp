#include "server-gui/HeadlessServer.h"

#include "server-gui/engine/Server.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

namespace parley::server {
namespace {

// A signal handler can only reach a global; this flag is the one piece of
// global mutable state in the program, set by the handler and read by main.
volatile std::sig_atomic_t g_stopRequested = 0;

extern "C" void requestStop(int) { g_stopRequested = 1; }

// Not thread-safe (std::localtime): called only under StdoutLog's mutex.
std::string timestamp() {
    const std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", std::localtime(&now));
    return text;
}

class StdoutLog final : public ServerObserver {
public:
    void onLog(LogLevel level, const std::string& line) override { write(toString(level), line); }
    void onUserOnline(proto::UserId id, const std::string& username, const std::string& address) override {
        write("info", username + " (id " + std::to_string(id) + ") is online from " + address);
    }
    void onUserOffline(proto::UserId id, const std::string& username) override {
        write("info", username + " (id " + std::to_string(id) + ") is offline");
    }
    void write(const std::string& level, const std::string& line) {
        std::lock_guard<std::mutex> lock(m_mutex);
        std::cout << timestamp() << " [" << level << "] " << line << std::endl;
    }

private:
    std::mutex m_mutex;
};

std::string statsLine(const StatsSnapshot& s) {
    std::ostringstream out;
    out << "stats: " << s.usersOnline << " online, " << s.connectionsOpen << " connections, "
        << s.messagesRouted << " routed, " << s.messagesStored << " stored, " << s.messagesFromStore
        << " delivered from store, " << s.roomMessages << " room, " << s.bytesIn << " B in, " << s.bytesOut
        << " B out, " << s.transfersActive << " file transfers, " << s.fileBytesRelayed << " file B relayed";
    return out.str();
}

}  // namespace

int runHeadless(const ServerOptions& options) {
    StdoutLog log;
    Server server(options.config, &log);
    try {
        server.start();
    } catch (const StartError& error) {
        std::cerr << "parley-server: " << error.what() << std::endl;
        return 2;
    }
    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
    // The port line is what scripts wait for (and learn the port from).
    log.write("info", "ready on port " + std::to_string(server.port()));

    auto nextStats = std::chrono::steady_clock::now() + std::chrono::seconds(options.statsEverySeconds);
    while (!g_stopRequested) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (options.statsEverySeconds != 0 && std::chrono::steady_clock::now() >= nextStats) {
            log.write("info", statsLine(server.stats()));
            nextStats += std::chrono::seconds(options.statsEverySeconds);
        }
    }
    log.write("info", "stopping (signal received)");
    server.stop();
    return 0;
}

}  // namespace parley::server
