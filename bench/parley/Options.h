#pragma once
// Command line of parley-bench. See usage() in Options.cpp for the meaning of each flag.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace parley::bench {

enum class Target { Parley, Mqtt, Nats };
enum class Shape { Register, Pairs, Idle, Logins, FileRelay, TcpCopy, Restart };

struct Options {
    Target target = Target::Parley;
    Shape shape = Shape::Pairs;
    std::string label;  ///< names the server variant in the results (default: target)
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    /// pairs: the receivers connect here (another node of a cluster); 0 = `port`.
    std::uint16_t receiverPort = 0;
    /// restart: every reconnect goes here (another node of a cluster, the killed one's
    /// users moving over); 0 = `port`.
    std::uint16_t failoverPort = 0;
    std::string serverPid;  ///< for /proc (CPU, RSS), "PID[,PID...]" summed; empty = not measured
    long clkTck = 100;

    std::size_t threads = 1;  ///< client loops
    bool spin = false;
    /// TLS to the server (platform/tls, client side; the bench trusts any certificate,
    /// it measures, it does not authenticate). Default: on for Parley (as the server),
    /// off for mosquitto and nats-server; --plaintext / --tls 1 decide.
    std::optional<bool> tls;
    bool useTls() const {
        return tls.value_or(target == Target::Parley);
    }                              ///< client loops poll without sleeping while traffic runs
    std::size_t concurrency = 64;  ///< connections logging in at once during setup
    double setupTimeout = 300;     ///< seconds allowed for connecting and logging in

    // pairs / rate
    std::size_t pairs = 100;
    std::vector<std::uint32_t> windows{1, 16};
    std::vector<std::uint32_t> rates;  ///< a fixed-rate phase (total msg/s) for each, after the window phases
    double seconds = 3;                ///< measured seconds per phase
    double rateSeconds = 0;            ///< measured seconds of the rate phase (0 = seconds)
    double warmup = 0.5;               ///< seconds of traffic before each measurement starts
    double drain = 10;                 ///< seconds allowed for in-flight messages to arrive after a phase

    // idle
    std::size_t connections = 10000;
    double hold = 2;  ///< seconds to keep the idle connections before the second reading

    // users
    std::size_t first = 0;        ///< first user index
    std::size_t users = 0;        ///< register: how many
    std::size_t loginUsers = 16;  ///< logins: concurrent accounts logging in and out
    std::string userPrefix = "bu";
    std::string password = "bench-password";
    /// Parley: ask for login tokens ("remember me") and log in again with them.
    bool tokens = false;
    /// restart: the shell command that kills the server (SIGKILL) and starts it again.
    std::string restartCommand;
    std::uint32_t hashIterations = 0;  ///< informational (printed with logins)

    // peers
    int qos = 0;            ///< MQTT QoS of PUBLISH and SUBSCRIBE
    bool natsAcks = false;  ///< NATS: receivers publish batched acks; W counts them

    // file-relay / tcp-copy
    std::size_t fileMiB = 1024;
    std::size_t fileWindowMiB = 8;

    bool countSyscalls = false;  ///< count the server's system calls with perf stat while measuring
    double quietMs = 300;        ///< setup is over when nothing arrived for this long
};

/// Parses argv; on error returns nullopt after printing why and the usage.
std::optional<Options> parseOptions(int argc, char** argv);

const char* toString(Target target);
const char* toString(Shape shape);

/// The user name of index `i`: prefix + 5 digits (Parley needs 3..32 characters).
std::string userName(const Options& options, std::size_t index);

}  // namespace parley::bench
