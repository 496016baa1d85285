#pragma once
// A child process for tests that need a real executable (e.g. parley-server
// --headless killed with SIGKILL). Portable through Poco::Process: no fork or
// signal code here.
//
//   ChildProcess server(serverPath, {"--headless", "--listen", "127.0.0.1:0"}, logPath);
//   auto line = server.waitForLine("ready on port", 20s);
//   server.kill();            // SIGKILL (TerminateProcess on Windows), then reaped
//
// Ownership: the object owns the process it started; the destructor kills and
// reaps it if it still runs, so a failing test never leaves a server behind.
// It only ever signals that one process, by its handle.
// Output: stdout and stderr, merged, are read by a helper thread into memory
// (and appended to `logFile` if given), so the child never blocks on a full pipe.
// Threading: one controlling thread. Errors: the constructor throws
// std::runtime_error if the process cannot be started.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace Poco {
class Pipe;
class ProcessHandle;
}  // namespace Poco

namespace parley::test {

class ChildProcess {
public:
    ChildProcess(const std::string& executable, const std::vector<std::string>& args,
                 const std::string& logFile = {});
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    std::int64_t pid() const { return m_pid; }

    /// Waits for an output line containing `fragment`, looking at the lines after
    /// the one the previous successful call returned. Returns the line, or
    /// nullopt if the time runs out or the process ends without printing it.
    std::optional<std::string> waitForLine(const std::string& fragment, std::chrono::milliseconds timeout);

    /// Kills the process at once (SIGKILL) and reaps it. No-op once it has ended.
    void kill();
    /// Asks the process to stop (SIGINT, like Ctrl+C) and waits up to `timeout`;
    /// kills it after that. The exit code, or nullopt if it had to be killed.
    std::optional<int> terminate(std::chrono::milliseconds timeout);
    /// Waits up to `timeout` for the process to end by itself; its exit code.
    std::optional<int> waitExit(std::chrono::milliseconds timeout);
    bool running();

    /// Everything the process printed so far (all of it once an exit was seen).
    std::string output() const;

private:
    void readOutput(const std::string& logFile);
    void reap();
    void awaitOutputEnd();

    std::unique_ptr<Poco::Pipe> m_pipe;
    std::unique_ptr<Poco::ProcessHandle> m_handle;
    std::int64_t m_pid = 0;
    std::optional<int> m_exitCode;
    std::thread m_reader;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::string m_output;
    std::vector<std::string> m_lines;
    std::size_t m_nextLine = 0;
    bool m_eof = false;
};

}  // namespace parley::test
