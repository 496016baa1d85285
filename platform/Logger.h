#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace parley::net {

enum class LogLevel : std::uint8_t { Debug, Info, Warn, Error, Off };

/// A level threshold plus a sink. A value type with no global state: whoever creates a
/// Reactor (or LoopThread / LoopPool) passes one in, and platform/ code logs through
/// Reactor::logger(). The default writes warnings and errors to stderr.
///
/// The sink may be called from any loop thread concurrently; it must be thread-safe.
class Logger {
public:
    using Sink = std::function<void(LogLevel, std::string_view)>;

    Logger();
    Logger(LogLevel threshold, Sink sink);

    bool enabled(LogLevel level) const { return level >= m_threshold && m_threshold != LogLevel::Off; }
    void log(LogLevel level, std::string_view message) const;

    void debug(std::string_view message) const { log(LogLevel::Debug, message); }
    void info(std::string_view message) const { log(LogLevel::Info, message); }
    void warn(std::string_view message) const { log(LogLevel::Warn, message); }
    void error(std::string_view message) const { log(LogLevel::Error, message); }

    /// The default sink: one "parley[warn] message" line per call on stderr.
    static void writeToStderr(LogLevel level, std::string_view message);
    static std::string_view toString(LogLevel level);

private:
    LogLevel m_threshold;
    Sink m_sink;
};

}  // namespace parley::net
