#pragma once
// Rate limit for log lines a peer can cause (failed logins, protocol errors,
// reported errors, ...): per cause, at most `linesPerWindow` lines in each
// window of `windowMs`; what is over is counted, and the first line of the
// cause in a later window is preceded by "N similar lines suppressed (cause)".
// 61,000 bad connections once wrote 148,000 lines.
//
// Thread-safe: causes are logged from every I/O loop. Memory: one entry per
// cause, and causes are a fixed set of literals.

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace parley::server {

class LogLimiter {
public:
    /// linesPerWindow 0 = no limit.
    LogLimiter(std::uint32_t linesPerWindow, std::uint64_t windowMs);

    /// Whether a line of `cause` may be written now; `*suppressed` is set to the
    /// lines of that cause left out since its last written line (0 mostly).
    bool admit(const std::string& cause, std::uint64_t nowMs, std::uint64_t* suppressed);

private:
    struct Window {
        std::uint64_t startMs = 0;
        std::uint32_t lines = 0;
        std::uint64_t suppressed = 0;
    };
    const std::uint32_t m_linesPerWindow;
    const std::uint64_t m_windowMs;
    std::mutex m_mutex;
    std::unordered_map<std::string, Window> m_windows;
};

}  // namespace parley::server
