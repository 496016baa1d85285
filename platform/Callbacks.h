#pragma once
// Every callback type platform/ exposes (muduo Callbacks.h). Unless a header says
// otherwise, callbacks run on the loop thread of the connection or reactor they belong to,
// must not block, and must not throw: an exception escaping a callback ends the loop
// thread (std::terminate).

#include <cstddef>
#include <functional>
#include <memory>
#include <system_error>

namespace parley::net {

class Buffer;
class TcpConnection;

using TcpConnectionPtr = std::shared_ptr<TcpConnection>;

/// The connection is established (runs once, before any other connection callback).
using ConnectionCallback = std::function<void(const TcpConnectionPtr&)>;

/// Bytes arrived. Consume whole messages from the buffer (retrieve) and leave a partial
/// one in it: it is kept and handed back, with more bytes appended, next time. The
/// buffer is valid during the call only.
using MessageCallback = std::function<void(const TcpConnectionPtr&, Buffer&)>;

/// The output buffer has been written out completely.
using WriteCompleteCallback = std::function<void(const TcpConnectionPtr&)>;

/// The output buffer has grown to the high-water mark (`bytes` queued): pause producing.
/// Runs from inside the send() that crossed the mark.
using HighWaterMarkCallback = std::function<void(const TcpConnectionPtr&, std::size_t bytes)>;

/// After a high-water event, the output buffer has drained to the low-water mark
/// (`bytes` still queued): resume producing.
using LowWaterMarkCallback = std::function<void(const TcpConnectionPtr&, std::size_t bytes)>;

/// The connection is closed (runs once, last, and only if ConnectionCallback ran).
/// TcpConnection::lastError() tells why: empty for an orderly close.
using CloseCallback = std::function<void(const TcpConnectionPtr&)>;

/// A timer fired (Reactor::runAfter / runEvery).
using TimerCallback = std::function<void()>;

/// An outgoing connection could not be established (TcpClient).
using ConnectFailedCallback = std::function<void(const std::error_code&)>;

/// The set of callbacks a TcpServer or TcpClient gives each of its connections. Shared,
/// immutable once the server starts; any member may be empty.
struct ConnectionCallbacks {
    ConnectionCallback onConnection;
    MessageCallback onMessage;
    WriteCompleteCallback onWriteComplete;
    HighWaterMarkCallback onHighWaterMark;
    LowWaterMarkCallback onLowWaterMark;
    CloseCallback onClose;
};

}  // namespace parley::net
