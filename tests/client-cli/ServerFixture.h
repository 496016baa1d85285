#pragma once
// The end-to-end fixture of the parley-cli suites: a real parley-server per test case on a
// free 127.0.0.1 port with a fresh SQLite file, and parley-cli run as child processes (the
// binaries' paths come from CMake: PARLEY_CLI_BINARY, PARLEY_SERVER_BINARY). Every child
// has a time limit, and the server is always stopped (ChildProcess is RAII).

#include "tests/client-cli/CliTestSupport.h"
#include "tests/support/ChildProcess.h"

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace parley::client::test {

namespace utf = boost::unit_test;

using parley::test::ChildProcess;
using parley::test::ProcessInput;
using parley::test::ProcessResult;

inline constexpr std::chrono::milliseconds kProcessLimit = 30s;
inline const std::string kPassword = "correct horse";

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// Both binaries are known (CMake sets them only when the parley-server target exists).
inline boost::test_tools::assertion_result binariesKnown(utf::test_unit_id) {
    const bool known = !environment("PARLEY_CLI_BINARY").empty() && !environment("PARLEY_SERVER_BINARY").empty();
    boost::test_tools::assertion_result result(known);
    result.message() << "PARLEY_CLI_BINARY and PARLEY_SERVER_BINARY must name the binaries";
    return result;
}

/// One server per test case, and the means to run parley-cli against it.
class ServerFixture {
public:
    ServerFixture() : m_cli(environment("PARLEY_CLI_BINARY")), m_port(freePort()) {
        // Not a precondition: a suite that cannot find its binaries fails (a skip would pass in CI).
        BOOST_TEST_REQUIRE(binariesKnown(0));
        std::signal(SIGPIPE, SIG_IGN);  // a child that exits early must not kill the test
        startServer();
    }

    ~ServerFixture() {
        const int code = m_server->terminate(5s);
        BOOST_TEST_MESSAGE("parley-server exited with " << code << "; its output:\n"
                                                        << m_server->readOut() << m_server->readErr());
    }

    /// Starts parley-server on the fixture's port and database; returns once it listens.
    void startServer() {
        const std::string server = environment("PARLEY_SERVER_BINARY");
        m_server = std::make_unique<ChildProcess>(
            std::vector<std::string>{server, "--headless", "--listen", address(), "--db",
                                     "sqlite:" + (m_dir.path() / "parley.db").string(), "--data",
                                     (m_dir.path() / "data").string(), "--hash-iterations", "1000", "--threads", "2",
                                     "--registrations-per-hour", "0", "--stats-every", "0"},
            m_dir.path() / ("server-" + std::to_string(++m_serverStarts)));
        const bool up = waitUntil([this] { return m_server->poll() || canConnect(m_port); }, 20s);
        BOOST_TEST_REQUIRE((up && !m_server->poll()), "parley-server did not start listening on "
                                                          << address() << "\nstdout:\n"
                                                          << m_server->readOut() << "\nstderr:\n"
                                                          << m_server->readErr());
        // TLS with the self-signed certificate of its data folder (the same one at every
        // restart): the clients trust it by the fingerprint the server logs.
        const std::string marker = "certificate SHA-256 ";
        std::string out;
        BOOST_TEST_REQUIRE(waitUntil(
                               [&] {
                                   out = m_server->readOut();
                                   const auto at = out.find(marker);
                                   return at != std::string::npos && out.size() >= at + marker.size() + 95;
                               },
                               20s),
                           "no certificate fingerprint in the server's log:\n"
                               << out);
        m_fingerprint = out.substr(out.find(marker) + marker.size(), 95);
    }

    /// The SHA-256 fingerprint of the server's certificate, as it logs it.
    const std::string& fingerprint() const { return m_fingerprint; }

    /// The server's peak resident memory so far (VmHWM from /proc), KiB; 0 if unknown.
    long serverPeakRssKiB() const {
        std::ifstream status("/proc/" + std::to_string(m_server->pid()) + "/status");
        std::string line;
        while (std::getline(status, line)) {
            if (line.rfind("VmHWM:", 0) == 0) {
                return std::stol(line.substr(6));
            }
        }
        return 0;
    }

    /// SIGKILL: the server gets no chance to say goodbye.
    void killServer() { m_server->terminate(0s); }

    std::string address() const { return "127.0.0.1:" + std::to_string(m_port); }

    /// The test case's folder (removed afterwards): for files to send and receive.
    const std::filesystem::path& dir() const { return m_dir.path(); }

    /// `user`'s --state-dir (resume state of received files), in the test case's folder.
    std::filesystem::path stateDir(const std::string& user) const { return m_dir.path() / ("state-" + user); }

    /// argv for parley-cli as `user`: --server, --user, --password, then `args`.
    std::vector<std::string> cliArgs(const std::string& user, const std::vector<std::string>& args,
                                     const std::string& password = kPassword) const {
        std::vector<std::string> argv = {m_cli,        "--server", address(), "--timeout", "10", "--trust-fingerprint",
                                         m_fingerprint};
        if (!user.empty()) {
            argv.insert(argv.end(), {"--user", user, "--password", password, "--state-dir", stateDir(user).string()});
        }
        argv.insert(argv.end(), args.begin(), args.end());
        return argv;
    }

    /// Starts parley-cli and leaves it running.
    std::unique_ptr<ChildProcess> start(const std::string& user, const std::vector<std::string>& args,
                                        const ProcessInput& input = {}) {
        return std::make_unique<ChildProcess>(cliArgs(user, args), nextOutputBase(), input);
    }

    /// Starts interactive parley-cli fed through a pipe; returns once it is logged in.
    std::unique_ptr<ChildProcess> startInteractive(const std::string& user) {
        auto process = start(user, {}, {{}, true});
        BOOST_TEST_REQUIRE(waitUntil([&] { return contains(process->readOut(), "Logged in as " + user); }, 15s),
                           process->readOut() << process->readErr());
        return process;
    }

    /// Runs parley-cli to its end.
    ProcessResult cli(const std::string& user, const std::vector<std::string>& args,
                      const std::string& password = kPassword) {
        ChildProcess process(cliArgs(user, args, password), nextOutputBase());
        return finished(process);
    }

    /// Runs interactive parley-cli with `input` as its whole standard input.
    ProcessResult interactive(const std::string& user, const std::string& input) {
        const std::filesystem::path file = nextOutputBase().string() + ".in";
        std::ofstream(file) << input;
        ChildProcess process(cliArgs(user, {}), nextOutputBase(), {file, false});
        return finished(process);
    }

    /// Runs any argv to its end, with extra environment variables.
    ProcessResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
        ChildProcess process(argv, nextOutputBase(), {}, env);
        return finished(process);
    }

    void registerUser(const std::string& name) {
        const ProcessResult result = cli(name, {"register"});
        BOOST_TEST_REQUIRE(result.exitCode == 0, "register " << name << ": " << result.err);
    }

    /// Waits until `user` appears online to `observer` (through `who`).
    bool waitOnline(const std::string& observer, const std::string& user) {
        return waitUntil([&] { return contains(cli(observer, {"who"}).out, user + "\tonline\n"); }, 15s);
    }

    static ProcessResult finished(ChildProcess& process) {
        ProcessResult result = process.wait(kProcessLimit);
        BOOST_TEST(!result.timedOut, "parley-cli ran over " << kProcessLimit.count() << " ms");
        return result;
    }

private:
    std::filesystem::path nextOutputBase() { return m_dir.path() / ("cli-" + std::to_string(++m_runs)); }

    TempDir m_dir;
    std::string m_cli;
    std::uint16_t m_port;
    std::unique_ptr<ChildProcess> m_server;
    std::string m_fingerprint;
    int m_serverStarts = 0;
    int m_runs = 0;
};

/// A server with the accounts alice and bob.
class AliceAndBob : public ServerFixture {
public:
    AliceAndBob() {
        registerUser("alice");
        registerUser("bob");
    }
};

}  // namespace parley::client::test
