#include "tests/support/ChildProcess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace parley::test {

namespace {

using namespace std::chrono_literals;

std::string readFile(const std::filesystem::path& path, std::size_t from = 0) {
    std::ifstream in(path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(from));
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

/// The test's environment with `extra` added or replacing entries of the same name.
std::vector<std::string> mergedEnvironment(const std::map<std::string, std::string>& extra) {
    std::vector<std::string> merged;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string text = *entry;
        if (extra.count(text.substr(0, text.find('='))) == 0) {
            merged.push_back(text);
        }
    }
    for (const auto& [name, value] : extra) {
        merged.push_back(name + "=" + value);
    }
    return merged;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> result;
    for (std::string& s : strings) {
        result.push_back(s.data());
    }
    result.push_back(nullptr);
    return result;
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& outputBase,
                           const ProcessInput& input, const std::map<std::string, std::string>& environment)
    : m_outFile(outputBase.string() + ".out"), m_errFile(outputBase.string() + ".err") {
    std::vector<std::string> args = argv;
    std::vector<std::string> env = mergedEnvironment(environment);
    std::vector<char*> argPointers = pointers(args);
    std::vector<char*> envPointers = pointers(env);
    const std::string inputFile = input.file.empty() ? std::string("/dev/null") : input.file.string();
    int pipeFds[2] = {-1, -1};
    if (input.pipe) {
        if (::pipe(pipeFds) != 0) {
            throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
        }
        // Other children must not inherit our write end, or this one never sees EOF.
        ::fcntl(pipeFds[0], F_SETFD, FD_CLOEXEC);
        ::fcntl(pipeFds[1], F_SETFD, FD_CLOEXEC);
    }

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (input.pipe) {
        posix_spawn_file_actions_adddup2(&actions, pipeFds[0], 0);  // dup2 clears O_CLOEXEC
    } else {
        posix_spawn_file_actions_addopen(&actions, 0, inputFile.c_str(), O_RDONLY, 0);
    }
    posix_spawn_file_actions_addopen(&actions, 1, m_outFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, m_errFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int error =
        posix_spawn(&m_pid, args.front().c_str(), &actions, nullptr, argPointers.data(), envPointers.data());
    posix_spawn_file_actions_destroy(&actions);
    if (input.pipe) {
        ::close(pipeFds[0]);
        m_inputFd = pipeFds[1];
    }
    if (error != 0) {
        closeInput();
        m_pid = -1;
        throw std::runtime_error("cannot start " + args.front() + ": " + std::strerror(error));
    }
}

ChildProcess::~ChildProcess() {
    closeInput();
    if (m_pid > 0 && !m_exitCode) {
        ::kill(m_pid, SIGKILL);
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {}
    }
}

void ChildProcess::reap(int status) {
    if (WIFEXITED(status)) {
        m_exitCode = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        m_exitCode = 128 + WTERMSIG(status);
    } else {
        m_exitCode = -1;
    }
}

std::optional<int> ChildProcess::poll() {
    if (!m_exitCode && m_pid > 0) {
        int status = 0;
        struct rusage usage {};
        if (::wait4(m_pid, &status, WNOHANG, &usage) == m_pid) {
            m_peakRssKiB = usage.ru_maxrss;  // Linux: KiB
            reap(status);
        }
    }
    return m_exitCode;
}

ProcessResult ChildProcess::wait(std::chrono::milliseconds limit) {
    ProcessResult result;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!poll() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(5ms);
    }
    if (!m_exitCode) {
        result.timedOut = true;
        terminate(0ms);
    }
    result.exitCode = *m_exitCode;
    result.peakRssKiB = m_peakRssKiB;
    result.out = readOut();
    result.err = readErr();
    return result;
}

int ChildProcess::terminate(std::chrono::milliseconds grace, int signalNumber) {
    if (!poll()) {
        ::kill(m_pid, grace.count() > 0 ? signalNumber : SIGKILL);
        const auto deadline = std::chrono::steady_clock::now() + grace;
        while (!poll() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(5ms);
        }
        if (!m_exitCode) {
            ::kill(m_pid, SIGKILL);
            int status = 0;
            struct rusage usage {};
            while (::wait4(m_pid, &status, 0, &usage) < 0 && errno == EINTR) {}
            m_peakRssKiB = usage.ru_maxrss;
            reap(status);
        }
    }
    return *m_exitCode;
}

std::optional<std::string> ChildProcess::waitForLine(const std::string& fragment, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        // Polled before reading: once the child has ended, the file holds all it wrote,
        // and a last line without '\n' is complete too.
        const bool ended = poll().has_value();
        const std::string text = readFile(m_outFile, m_unreadLineAt);
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t end = text.find('\n', start);
            if (end == std::string::npos && !ended) {
                break;  // still being written
            }
            end = std::min(end, text.size());
            const std::string line = text.substr(start, end - start);
            if (line.find(fragment) != std::string::npos) {
                m_unreadLineAt += std::min(end + 1, text.size());
                return line;
            }
            start = end + 1;
        }
        if (ended || std::chrono::steady_clock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(5ms);
    }
}

void ChildProcess::writeInput(const std::string& text) {
    std::size_t written = 0;
    while (m_inputFd >= 0 && written < text.size()) {
        const ssize_t n = ::write(m_inputFd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            throw std::runtime_error(std::string("write to the child: ") + std::strerror(errno));
        }
        written += static_cast<std::size_t>(n);
    }
}

void ChildProcess::closeInput() {
    if (m_inputFd >= 0) {
        ::close(m_inputFd);
        m_inputFd = -1;
    }
}

std::string ChildProcess::readOut() const { return readFile(m_outFile); }

std::string ChildProcess::readErr() const { return readFile(m_errFile); }

}  // namespace parley::test
