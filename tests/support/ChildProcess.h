#pragma once
// Test-only helper: runs a program (parley-server, parley-cli) as a child process with
// its output captured in files, a time limit, and a guaranteed end.
//
//   ChildProcess server({serverPath, "--headless", "--listen", "127.0.0.1:0"}, dir / "server");
//   auto line = server.waitForLine("ready on port ", 20s);   // in server.out
//   server.terminate(0ms);                                   // SIGKILL, then reaped
//
// POSIX (posix_spawn/waitpid/kill): built on UNIX only (tests/support/CMakeLists.txt),
// acceptable in tests only, never in the programs themselves.
// Threading: one controlling thread. Errors: the constructor throws std::runtime_error.

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace parley::test {

/// How a child ended.
struct ProcessResult {
    int exitCode = -1;      ///< the exit status, or 128 + signal
    bool timedOut = false;  ///< killed because it outlived its time limit
    long peakRssKiB = 0;    ///< the child's peak resident memory (getrusage ru_maxrss)
    std::string out;        ///< all of stdout
    std::string err;        ///< all of stderr
};

/// Where a child's standard input comes from.
struct ProcessInput {
    std::filesystem::path file;  ///< this file; /dev/null if empty and not `pipe`
    bool pipe = false;           ///< a pipe fed with writeInput(), ended by closeInput()
};

/// One child process. RAII: the destructor kills it (SIGKILL) if it is still running
/// and reaps it, so a failing test never leaves it behind. Only this pid is signalled.
class ChildProcess {
public:
    /// Starts argv[0] (a path, not looked up in PATH) with these arguments, stdout and
    /// stderr into files `<outputBase>.out` / `.err`. `environment` entries are added to
    /// (or override) the test's own environment. Throws std::runtime_error if the program
    /// cannot be started.
    ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& outputBase,
                 const ProcessInput& input = {}, const std::map<std::string, std::string>& environment = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return m_pid; }

    /// The exit code if the child has ended, without waiting.
    std::optional<int> poll();

    /// Waits until the child ends, killing it once `limit` has passed. Returns its
    /// output too.
    ProcessResult wait(std::chrono::milliseconds limit);

    /// Sends `signalNumber` (SIGTERM by default; SIGINT is Ctrl+C), then SIGKILL if the
    /// child is still there after `grace`; a zero `grace` sends SIGKILL at once. Reaps
    /// the child and returns its exit code (128 + 9 if it had to be killed).
    int terminate(std::chrono::milliseconds grace, int signalNumber = SIGTERM);

    /// Waits for a complete line of stdout containing `fragment`, looking only at the
    /// lines after the one the previous successful call returned. Returns the line
    /// (without its '\n'), or nullopt if `limit` passes or the child ends without
    /// printing it. Does not kill the child.
    std::optional<std::string> waitForLine(const std::string& fragment, std::chrono::milliseconds limit);

    /// With ProcessInput::pipe: writes to the child's stdin / closes it (the child sees EOF).
    void writeInput(const std::string& text);
    void closeInput();

    /// What the child wrote so far.
    std::string readOut() const;
    std::string readErr() const;

private:
    void reap(int status);

    pid_t m_pid = -1;
    int m_inputFd = -1;  ///< our end of the stdin pipe
    std::optional<int> m_exitCode;
    long m_peakRssKiB = 0;
    std::filesystem::path m_outFile;
    std::filesystem::path m_errFile;
    std::size_t m_unreadLineAt = 0;  ///< stdout offset of the first line waitForLine() has not returned
};

}  // namespace parley::test
