#include "server-gui/engine/LogLimiter.h"

namespace parley::server {

LogLimiter::LogLimiter(std::uint32_t linesPerWindow, std::uint64_t windowMs)
    : m_linesPerWindow(linesPerWindow), m_windowMs(windowMs) {}

bool LogLimiter::admit(const std::string& cause, std::uint64_t nowMs, std::uint64_t* suppressed) {
    *suppressed = 0;
    if (m_linesPerWindow == 0) return true;
    std::lock_guard<std::mutex> lock(m_mutex);
    Window& window = m_windows[cause];
    if (window.lines == 0 || nowMs - window.startMs >= m_windowMs) {
        window.startMs = nowMs;
        window.lines = 0;
    }
    if (window.lines >= m_linesPerWindow) {
        ++window.suppressed;
        return false;
    }
    ++window.lines;
    *suppressed = window.suppressed;
    window.suppressed = 0;
    return true;
}

}  // namespace parley::server
