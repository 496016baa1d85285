#include "platform/Logger.h"

#include <cstdio>
#include <string>
#include <utility>

namespace parley::net {

Logger::Logger() : m_threshold(LogLevel::Warn), m_sink(&Logger::writeToStderr) {}

Logger::Logger(LogLevel threshold, Sink sink) : m_threshold(threshold), m_sink(std::move(sink)) {}

void Logger::log(LogLevel level, std::string_view message) const {
    if (enabled(level) && m_sink) {
        m_sink(level, message);
    }
}

void Logger::writeToStderr(LogLevel level, std::string_view message) {
    // One fwrite per line so lines from different loop threads do not interleave.
    std::string line = "parley[";
    line += toString(level);
    line += "] ";
    line += message;
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
}

std::string_view Logger::toString(LogLevel level) {
    switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warn: return "warn";
    case LogLevel::Error: return "error";
    case LogLevel::Off: break;
    }
    return "off";
}

}  // namespace parley::net
