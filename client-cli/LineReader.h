#pragma once
// Reads standard input line by line on a thread of its own and hands each line (and
// the end of input) to a callback.

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace parley::client {

/// The reading thread is detached: a blocking read of stdin cannot be interrupted
/// portably, so it may outlive this object (blocked in std::getline until the process
/// exits). It never touches this object: after stop() or destruction, what it reads is
/// dropped.
///
/// Threading: start()/stop() from one controlling thread; the callback runs on the
/// reading thread, so it should post() the line to wherever it is handled.
class LineReader {
public:
    /// A line without its '\n', or nullopt at the end of input (after the last line).
    using LineCallback = std::function<void(std::optional<std::string> line)>;

    LineReader() = default;
    /// Calls stop().
    ~LineReader();
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    /// Starts the reading thread (once).
    void start(LineCallback callback);
    /// The callback is not called any more once this returns. Idempotent.
    void stop();

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
};

}  // namespace parley::client
