#include "tests/support/ChildProcess.h"

#include <Poco/Exception.h>
#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include <fstream>
#include <stdexcept>

namespace parley::test {

ChildProcess::ChildProcess(const std::string& executable, const std::vector<std::string>& args,
                           const std::string& logFile)
    : m_pipe(std::make_unique<Poco::Pipe>()) {
    try {
        // The same pipe for stdout and stderr: one stream, in the order written.
        m_handle = std::make_unique<Poco::ProcessHandle>(
            Poco::Process::launch(executable, Poco::Process::Args(args.begin(), args.end()), nullptr, m_pipe.get(),
                                  m_pipe.get()));
    } catch (const Poco::Exception& error) {
        throw std::runtime_error("cannot start " + executable + ": " + error.displayText());
    }
    m_pid = static_cast<std::int64_t>(m_handle->id());
    m_reader = std::thread([this, logFile] { readOutput(logFile); });
}

ChildProcess::~ChildProcess() {
    kill();
    if (m_reader.joinable()) m_reader.join();  // the pipe ends with the process
}

void ChildProcess::readOutput(const std::string& logFile) {
    std::ofstream log;
    if (!logFile.empty()) log.open(logFile, std::ios::app);
    std::string partial;
    char buffer[4096];
    for (;;) {
        int count = 0;
        try {
            count = m_pipe->readBytes(buffer, static_cast<int>(sizeof buffer));
        } catch (const Poco::Exception&) {
            count = 0;
        }
        if (count <= 0) break;
        const std::string chunk(buffer, static_cast<std::size_t>(count));
        if (log) log << chunk << std::flush;
        std::lock_guard<std::mutex> lock(m_mutex);
        m_output += chunk;
        partial += chunk;
        for (auto end = partial.find('\n'); end != std::string::npos; end = partial.find('\n')) {
            m_lines.push_back(partial.substr(0, end));
            partial.erase(0, end + 1);
        }
        m_changed.notify_all();
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!partial.empty()) m_lines.push_back(partial);
    m_eof = true;
    m_changed.notify_all();
}

std::optional<std::string> ChildProcess::waitForLine(const std::string& fragment, std::chrono::milliseconds timeout) {
    std::optional<std::string> found;
    std::unique_lock<std::mutex> lock(m_mutex);
    m_changed.wait_for(lock, timeout, [&] {
        for (std::size_t i = m_nextLine; i < m_lines.size(); ++i) {
            if (m_lines[i].find(fragment) != std::string::npos) {
                found = m_lines[i];
                m_nextLine = i + 1;
                return true;
            }
        }
        return m_eof;
    });
    return found;
}

void ChildProcess::kill() {
    if (!m_handle || m_exitCode) return;
    try {
        Poco::Process::kill(*m_handle);
    } catch (const Poco::Exception&) {
        // Already gone (exited on its own): reaping below collects it.
    }
    reap();
}

void ChildProcess::reap() {
    if (m_exitCode) return;
    try {
        m_exitCode = m_handle->wait();
    } catch (const Poco::Exception&) {
        m_exitCode = -1;
    }
    awaitOutputEnd();
}

void ChildProcess::awaitOutputEnd() {
    // The pipe ends with the process; give the reader the moment it needs to
    // take the last bytes, so output() after an exit holds everything. Bounded:
    // a grandchild could keep the pipe open.
    std::unique_lock<std::mutex> lock(m_mutex);
    m_changed.wait_for(lock, std::chrono::seconds(5), [this] { return m_eof; });
}

std::optional<int> ChildProcess::waitExit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!m_exitCode) {
        int code = -1;
        try {
            code = m_handle->tryWait();
        } catch (const Poco::Exception&) {
            code = -1;
        }
        if (code != -1) {
            m_exitCode = code;
            awaitOutputEnd();
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return m_exitCode;
}

std::optional<int> ChildProcess::terminate(std::chrono::milliseconds timeout) {
    if (m_exitCode) return m_exitCode;
    try {
        Poco::Process::requestTermination(m_handle->id());
    } catch (const Poco::Exception&) {
        // Gone already: waitExit() collects it.
    }
    if (auto code = waitExit(timeout)) return code;
    kill();
    return std::nullopt;
}

bool ChildProcess::running() { return !waitExit(std::chrono::milliseconds(0)); }

std::string ChildProcess::output() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_output;
}

}  // namespace parley::test
