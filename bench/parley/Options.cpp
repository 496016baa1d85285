#include "bench/parley/Options.h"

#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>

namespace parley::bench {
namespace {

const char* const kUsage = R"(usage: parley-bench --target parley|mqtt|nats --port PORT --shape SHAPE [options]
       parley-bench report --in RESULTS [--machine FILE] [--command TEXT] [--plot-dir DIR]

Load generator for Parley, mosquitto (MQTT 3.1.1) and nats-server, one epoll loop
per client thread, raw protocol frames. Results: `result k=v ...` lines on stdout.

shapes
  register   create --users accounts from --first (Parley only; existing ones are fine)
  pairs      --pairs P pairs (sender 2i -> receiver 2i+1 from --first); one phase per
             window in --windows, each saturating for --seconds; with --rate R[,R2..]
             a fixed-rate phase per R (R msg/s in total, paced per loop) for latency
  idle       --connections N logged-in idle connections; server memory per connection
  logins     --login-users K accounts logging in and out as fast as the server allows
  restart    --users N logged in; --restart-cmd CMD kills and restarts the server; the time
             until all N are logged in again (--tokens 1: with login tokens, else passwords)
  file-relay a --file-mib MiB virtual file relayed from bu<first> to bu<first+1> (Parley
             only): FILE_CHUNKs from memory within the receiver's credit; no disk, no hash
  tcp-copy   the same bytes over one direct loopback TCP connection in this process
             (no server, --port not needed): the ceiling for a relay

options
  --host IP (127.0.0.1)  --port N          the server
  --server-pid PID[,PID] server process(es), for CPU (/proc/PID/stat) and memory (VmRSS),
                         summed (a cluster: every node, and the database)
  --receiver-port N      pairs: the receivers log in on this port, the senders on --port
                         (two nodes of a cluster: every message crosses nodes)
  --failover-port N      restart: reconnect to this port (another node of the cluster,
                         --restart-cmd kills the one on --port)
  --clk-tck N (100)      clock ticks per second of /proc/PID/stat (getconf CLK_TCK)
  --label NAME           names the server variant in the results (default: the target)
  --threads N (1)        client loops (one thread each)
  --tls 0|1              TLS to the server (default: 1 for parley, 0 for mqtt and nats);
                         any certificate is accepted. --plaintext is --tls 0
  --spin 0|1 (0)         pairs/rate: client loops poll without sleeping while traffic runs
                         (no wake-up per message for the generator; costs a core)
  --concurrency N (64)   connections logging in at once during setup
  --setup-timeout S (300)
  --pairs P (100)  --windows 1,16  --rate R,.. (0 = none)  --seconds S (3)
  --rate-seconds S (= --seconds)  --warmup S (0.5)  --drain S (10)
  --connections N (10000)  --hold S (2)
  --first I (0)  --users N  --login-users K (16)  --user-prefix P (bu)  --password PW
  --hash-iterations N    informational: the server's PBKDF2 cost, printed with logins
  --qos 0|1 (0)          MQTT QoS for publish and subscribe
  --nats-acks 0|1 (0)    NATS: receivers publish one ack per read; the window counts acks
  --quiet-ms MS (300)    setup is over when no byte arrived for this long
  --file-mib N (1024)    file-relay / tcp-copy: bytes to move, MiB
  --file-window-mib N (8)  file-relay: the receiver's credit window, MiB (at most 16)
  --count-syscalls 0|1   also count the server's system calls while measuring
                         (perf stat -e raw_syscalls:sys_enter -p PID; adds a little load)
)";

std::vector<std::uint32_t> parseList(const std::string& text) {
    std::vector<std::uint32_t> values;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) values.push_back(static_cast<std::uint32_t>(std::stoul(item)));
    return values;
}

}  // namespace

std::optional<Options> parseOptions(int argc, char** argv) {
    Options o;
    bool portGiven = false;
    using Setter = std::function<void(const std::string&)>;
    const std::map<std::string, Setter> setters = {
        {"--target",
         [&](const std::string& v) {
             if (v == "parley") o.target = Target::Parley;
             else if (v == "mqtt") o.target = Target::Mqtt;
             else if (v == "nats") o.target = Target::Nats;
             else throw std::invalid_argument("unknown target " + v);
         }},
        {"--shape",
         [&](const std::string& v) {
             if (v == "register") o.shape = Shape::Register;
             else if (v == "pairs") o.shape = Shape::Pairs;
             else if (v == "idle") o.shape = Shape::Idle;
             else if (v == "logins") o.shape = Shape::Logins;
             else if (v == "file-relay") o.shape = Shape::FileRelay;
             else if (v == "tcp-copy") o.shape = Shape::TcpCopy;
             else if (v == "restart") o.shape = Shape::Restart;
             else throw std::invalid_argument("unknown shape " + v);
         }},
        {"--label", [&](const std::string& v) { o.label = v; }},
        {"--host", [&](const std::string& v) { o.host = v; }},
        {"--port",
         [&](const std::string& v) {
             o.port = static_cast<std::uint16_t>(std::stoul(v));
             portGiven = true;
         }},
        {"--server-pid", [&](const std::string& v) { o.serverPid = v; }},
        {"--failover-port", [&](const std::string& v) { o.failoverPort = static_cast<std::uint16_t>(std::stoul(v)); }},
        {"--receiver-port", [&](const std::string& v) { o.receiverPort = static_cast<std::uint16_t>(std::stoul(v)); }},
        {"--clk-tck", [&](const std::string& v) { o.clkTck = std::stol(v); }},
        {"--threads", [&](const std::string& v) { o.threads = std::stoul(v); }},
        {"--spin", [&](const std::string& v) { o.spin = v != "0"; }},
        {"--tls", [&](const std::string& v) { o.tls = v != "0"; }},
        {"--concurrency", [&](const std::string& v) { o.concurrency = std::stoul(v); }},
        {"--setup-timeout", [&](const std::string& v) { o.setupTimeout = std::stod(v); }},
        {"--pairs", [&](const std::string& v) { o.pairs = std::stoul(v); }},
        {"--windows", [&](const std::string& v) { o.windows = parseList(v); }},
        {"--rate", [&](const std::string& v) { o.rates = v == "0" ? std::vector<std::uint32_t>() : parseList(v); }},
        {"--seconds", [&](const std::string& v) { o.seconds = std::stod(v); }},
        {"--rate-seconds", [&](const std::string& v) { o.rateSeconds = std::stod(v); }},
        {"--warmup", [&](const std::string& v) { o.warmup = std::stod(v); }},
        {"--drain", [&](const std::string& v) { o.drain = std::stod(v); }},
        {"--connections", [&](const std::string& v) { o.connections = std::stoul(v); }},
        {"--hold", [&](const std::string& v) { o.hold = std::stod(v); }},
        {"--first", [&](const std::string& v) { o.first = std::stoul(v); }},
        {"--users", [&](const std::string& v) { o.users = std::stoul(v); }},
        {"--login-users", [&](const std::string& v) { o.loginUsers = std::stoul(v); }},
        {"--user-prefix", [&](const std::string& v) { o.userPrefix = v; }},
        {"--password", [&](const std::string& v) { o.password = v; }},
        {"--tokens", [&](const std::string& v) { o.tokens = v != "0"; }},
        {"--restart-cmd", [&](const std::string& v) { o.restartCommand = v; }},
        {"--hash-iterations",
         [&](const std::string& v) { o.hashIterations = static_cast<std::uint32_t>(std::stoul(v)); }},
        {"--qos", [&](const std::string& v) { o.qos = std::stoi(v); }},
        {"--nats-acks", [&](const std::string& v) { o.natsAcks = v != "0"; }},
        {"--quiet-ms", [&](const std::string& v) { o.quietMs = std::stod(v); }},
        {"--file-mib", [&](const std::string& v) { o.fileMiB = std::stoul(v); }},
        {"--file-window-mib", [&](const std::string& v) { o.fileWindowMiB = std::stoul(v); }},
        {"--count-syscalls", [&](const std::string& v) { o.countSyscalls = v != "0"; }},
    };
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string flag = argv[i];
            if (flag == "--help" || flag == "-h") {
                std::cout << kUsage;
                return std::nullopt;
            }
            if (flag == "--plaintext") {  // the server's switch, without a value
                o.tls = false;
                continue;
            }
            const auto it = setters.find(flag);
            if (it == setters.end()) throw std::invalid_argument("unknown option " + flag);
            if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value");
            it->second(argv[++i]);
        }
        if ((!portGiven || o.port == 0) && o.shape != Shape::TcpCopy) throw std::invalid_argument("--port is required");
        if (o.threads == 0 || o.concurrency == 0)
            throw std::invalid_argument("--threads and --concurrency must be > 0");
        if (o.qos < 0 || o.qos > 1) throw std::invalid_argument("--qos must be 0 or 1");
        if (o.seconds <= 0 || o.warmup < 0 || o.drain < 0)
            throw std::invalid_argument("bad --seconds/--warmup/--drain");
        if (o.shape != Shape::Pairs && o.shape != Shape::Idle && o.shape != Shape::TcpCopy &&
            o.target != Target::Parley)
            throw std::invalid_argument("shapes register, logins and file-relay are Parley's");
        if (o.fileMiB == 0 || o.fileWindowMiB == 0 || o.fileWindowMiB > 16)
            throw std::invalid_argument("--file-mib must be > 0 and --file-window-mib 1..16");
        if (o.windows.empty()) throw std::invalid_argument("--windows needs at least one value");
        for (auto w : o.windows)
            if (w == 0) throw std::invalid_argument("a window must be >= 1");
        for (auto r : o.rates)
            if (r == 0) throw std::invalid_argument("a rate must be >= 1 msg/s (or --rate 0 for none)");
        if (o.label.empty()) o.label = toString(o.target);
        if (o.rateSeconds <= 0) o.rateSeconds = o.seconds;
    } catch (const std::exception& error) {
        std::cerr << "parley-bench: " << error.what() << "\n\n" << kUsage;
        return std::nullopt;
    }
    return o;
}

const char* toString(Target target) {
    switch (target) {
    case Target::Parley: return "parley";
    case Target::Mqtt: return "mqtt";
    case Target::Nats: return "nats";
    }
    return "?";
}

const char* toString(Shape shape) {
    switch (shape) {
    case Shape::Register: return "register";
    case Shape::Pairs: return "pairs";
    case Shape::Idle: return "idle";
    case Shape::Logins: return "logins";
    case Shape::FileRelay: return "file-relay";
    case Shape::TcpCopy: return "tcp-copy";
    case Shape::Restart: return "restart";
    }
    return "?";
}

std::string userName(const Options& options, std::size_t index) {
    char digits[32];
    std::snprintf(digits, sizeof digits, "%05zu", index);
    return options.userPrefix + digits;
}

}  // namespace parley::bench
